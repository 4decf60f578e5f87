package ui

import (
	"errors"
	"log"

	"github.com/valvpm/valv/ui/appcore"
	"github.com/valvpm/valv/vault"
)

// errorText turns an error into a sentence in the person's language. Raw Go error text
// is never shown; unexpected errors are logged (they hold no secrets: the vault never
// puts one in an error) and shown as a general sentence.
func errorText(err error) string {
	var fe *vault.FieldError
	switch {
	case err == nil:
		return ""
	case errors.As(err, &fe):
		return T("error.field", map[string]any{"Field": fieldName(fe.Field), "Reason": reasonText(fe.Code)})
	case errors.Is(err, vault.ErrWrongPassword):
		return T("error.wrongPassword")
	case errors.Is(err, vault.ErrInUse):
		return T("error.inUse")
	case errors.Is(err, vault.ErrCorrupt):
		return T("error.corrupt")
	case errors.Is(err, vault.ErrNewerFormat):
		return T("error.newerFormat")
	case errors.Is(err, vault.ErrKDFParams):
		return T("error.kdfParams")
	case errors.Is(err, vault.ErrDiskFull):
		return T("error.diskFull")
	case errors.Is(err, vault.ErrExists):
		return T("error.exists")
	case errors.Is(err, vault.ErrLocked):
		return T("error.locked")
	case errors.Is(err, vault.ErrNotFound):
		return T("error.notFound")
	}
	if s, ok := accountErrorText(err); ok {
		return s
	}
	log.Printf("valv: unexpected error: %v", err)
	return T("error.unexpected")
}

// fieldName maps the vault's field names to their label in the editor.
func fieldName(f string) string {
	switch f {
	case "title", "url", "application", "username", "password", "cardholder", "number",
		"expiry", "cvc", "pin", "name", "street", "city", "region", "postcode", "country",
		"phone", "email", "notes":
		return T("field." + f)
	}
	return T("field.other")
}

// reasonText translates the vault's validation reasons by their stable codes.
func reasonText(c vault.FieldCode) string {
	switch c {
	case vault.FieldEmpty:
		return T("reason.empty")
	case vault.FieldCardNumber:
		return T("reason.cardNumber")
	case vault.FieldExpiry:
		return T("reason.expiry")
	case vault.FieldNotApplicable:
		return T("reason.notApplicable")
	case vault.FieldTooLong:
		return T("reason.tooLong")
	case vault.FieldNotUTF8:
		return T("reason.notUTF8")
	}
	return T("reason.invalid")
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
