package ui

import (
	"github.com/valvpm/valv/ui/appcore"
	"github.com/valvpm/valv/vault"
)

// errorText is err as a sentence in the person's language (appcore.MessageFor has the
// one table of errors and their sentences).
func errorText(err error) string { return say(appcore.MessageFor(err)) }

// say renders a message of the app core, translating the messages among its values
// first.
func say(m appcore.Message) string {
	if m.Key == "" {
		return ""
	}
	if len(m.Args) == 0 {
		return T(m.Key)
	}
	args := make(map[string]any, len(m.Args))
	for k, v := range m.Args {
		if inner, ok := v.(appcore.Message); ok {
			v = say(inner)
		}
		args[k] = v
	}
	return T(m.Key, args)
}

// typeName is an item type's name in the person's language.
func typeName(t vault.Type) string {
	switch t {
	case vault.TypeLogin:
		return T("type.login")
	case vault.TypeApp:
		return T("type.app")
	case vault.TypeCard:
		return T("type.card")
	case vault.TypeAddress:
		return T("type.address")
	case vault.TypeNote:
		return T("type.note")
	case vault.TypeDocument:
		return T("type.document")
	}
	return T("type.unknown")
}

// categoryName is a sidebar entry's label.
func categoryName(c appcore.Category) string {
	switch c {
	case appcore.CatLogin:
		return T("category.websites")
	case appcore.CatApp:
		return T("category.applications")
	case appcore.CatCard:
		return T("category.cards")
	case appcore.CatAddress:
		return T("category.addresses")
	case appcore.CatNote:
		return T("category.notes")
	case appcore.CatDocument:
		return T("category.documents")
	case appcore.CatFavourites:
		return T("category.favourites")
	}
	return T("category.all")
}

// strengthName is the meter's word for a vault.Strength score.
func strengthName(score int) string {
	switch score {
	case 0:
		return T("strength.0")
	case 1:
		return T("strength.1")
	case 2:
		return T("strength.2")
	case 3:
		return T("strength.3")
	}
	return T("strength.4")
}

// hintText translates a vault.Strength hint key.
func hintText(h string) string {
	switch h {
	case "short", "common", "sequence", "repeat", "one-class", "dictionary-word":
		return T("hint." + h)
	}
	return T("hint.other")
}
