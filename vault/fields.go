package vault

import (
	"strings"
)

// The item schema: every typed field an item can carry, in one table. The codec, Validate,
// the JSON form, search, Redacted, valv-cli's flags and `show`, and the desktop app's
// editor and detail view all walk this table, so a new field is one row here plus its
// label in the translation files ("field."+Name in assets/translations).
//
// What is not in the table has a shape of its own and is handled by hand where needed:
// Type, Favourite, Created and Modified, the extra fields (Item.Fields) and the password
// history.

// FieldSpec describes one field of an item. Get it from FieldsOf, AllFields or
// LookupField; the zero value describes nothing.
type FieldSpec struct {
	// Name is the field's stable name: the valv-cli flag (--cardholder), the key in
	// Valv's JSON (docs/json-format.md), FieldError.Field, and the stem of the label's
	// translation key (see LabelKey). Never rename one: scripts and exports use it.
	Name string
	// Label is the English label valv-cli prints in `show` ("Cardholder"). The desktop
	// app translates LabelKey instead.
	Label string
	// Help says in English what the field holds, for valv-cli's flag help ("card
	// holder"); the item types and "repeat for several" are added from the table.
	Help string
	// Secret fields are masked until the person reveals them, are never matched by
	// search, and are removed (or masked, for the card number) by Item.Redacted.
	Secret bool
	// MultiLine fields hold text with line breaks (notes); editors show several rows.
	MultiLine bool
	// List fields hold several values (website addresses, street lines): Values and
	// SetValues work on the entries, Get and Set on the entries one per line.
	List bool

	tag        byte                  // codec tag, stored in sealed items: never reuse
	json       string                // the JSON member's name when it is not Name
	types      typeSet               // the item types that have the field
	searchable bool                  // matched by Vault.Search
	str        func(*Item) *string   // a string field's storage in Item (nil for List)
	list       func(*Item) *[]string // a list field's storage in Item (nil otherwise)
	check      func(string) bool     // a format the value must have, when not empty
	checkCode  FieldCode             // why a value failing check is refused
	checkWhy   string                // and the English reason
	mask       func(string) string   // what Redacted leaves of a secret (nil: nothing)
}

// typeSet is a set of item types, one bit per Type value.
type typeSet uint32

func types(ts ...Type) typeSet {
	var s typeSet
	for _, t := range ts {
		s |= 1 << t
	}
	return s
}

var everyType = types(Types...)

// fieldTable is the schema, in display order: editors and detail views show a type's
// fields in this order (the codec orders by tag on its own). A new field gets the next
// unused tag (after tagHistory) and its row where it should appear on screen.
var fieldTable = []FieldSpec{
	{Name: "title", Label: "Title", Help: "title", tag: tagTitle, types: everyType, searchable: true,
		str: func(it *Item) *string { return &it.Title }},
	{Name: "folder", Label: "Folder", Help: "folder", tag: tagFolder, types: everyType, searchable: true,
		str: func(it *Item) *string { return &it.Folder }},
	{Name: "url", Label: "URL", Help: "website address", List: true, MultiLine: true, tag: tagURL, json: "urls",
		types: types(TypeLogin), searchable: true, list: func(it *Item) *[]string { return &it.URLs }},
	{Name: "application", Label: "Application", Help: "application name", tag: tagApplication,
		types: types(TypeApp), searchable: true, str: func(it *Item) *string { return &it.Application }},
	{Name: "username", Label: "Username", Help: "user name", tag: tagUsername,
		types: types(TypeLogin, TypeApp), searchable: true, str: func(it *Item) *string { return &it.Username }},
	{Name: "password", Label: "Password", Help: "password", Secret: true, tag: tagPassword,
		types: types(TypeLogin, TypeApp), str: func(it *Item) *string { return &it.Password }},
	{Name: "totp", Label: "TOTP", Help: "authenticator secret or otpauth:// URI", Secret: true, tag: tagTOTP,
		types: types(TypeLogin, TypeApp), str: func(it *Item) *string { return &it.TOTP }},
	{Name: "cardholder", Label: "Cardholder", Help: "card holder", tag: tagCardholder,
		types: types(TypeCard), searchable: true, str: func(it *Item) *string { return &it.Cardholder }},
	{Name: "number", Label: "Number", Help: "card number, checked with the Luhn digit", Secret: true, tag: tagNumber,
		types: types(TypeCard), str: func(it *Item) *string { return &it.Number },
		check: LuhnValid, checkCode: FieldCardNumber, checkWhy: "is not a valid card number (check the digits)",
		mask: MaskCardNumber},
	{Name: "expiry", Label: "Expiry", Help: "expiry MM/YY", tag: tagExpiry,
		types: types(TypeCard), str: func(it *Item) *string { return &it.Expiry },
		check: validExpiry, checkCode: FieldExpiry, checkWhy: "must be a month and year like 07/29"},
	{Name: "cvc", Label: "CVC", Help: "security code", Secret: true, tag: tagCVC,
		types: types(TypeCard), str: func(it *Item) *string { return &it.CVC }},
	{Name: "pin", Label: "PIN", Help: "PIN", Secret: true, tag: tagPIN,
		types: types(TypeCard), str: func(it *Item) *string { return &it.PIN }},
	{Name: "name", Label: "Name", Help: "full name", tag: tagName,
		types: types(TypeAddress), searchable: true, str: func(it *Item) *string { return &it.Name }},
	{Name: "street", Label: "Street", Help: "street line", List: true, MultiLine: true, tag: tagStreet,
		types: types(TypeAddress), list: func(it *Item) *[]string { return &it.Street }},
	{Name: "city", Label: "City", Help: "city", tag: tagCity,
		types: types(TypeAddress), searchable: true, str: func(it *Item) *string { return &it.City }},
	{Name: "region", Label: "Region", Help: "region or state", tag: tagRegion,
		types: types(TypeAddress), str: func(it *Item) *string { return &it.Region }},
	{Name: "postcode", Label: "Postcode", Help: "postcode", tag: tagPostcode,
		types: types(TypeAddress), str: func(it *Item) *string { return &it.Postcode }},
	{Name: "country", Label: "Country", Help: "country", tag: tagCountry,
		types: types(TypeAddress), str: func(it *Item) *string { return &it.Country }},
	{Name: "phone", Label: "Phone", Help: "phone", tag: tagPhone,
		types: types(TypeAddress), str: func(it *Item) *string { return &it.Phone }},
	{Name: "email", Label: "E-mail", Help: "e-mail", tag: tagEmail,
		types: types(TypeAddress), searchable: true, str: func(it *Item) *string { return &it.Email }},
	{Name: "notes", Label: "Notes", Help: "notes", MultiLine: true, tag: tagNotes, types: everyType, searchable: true,
		str: func(it *Item) *string { return &it.Notes }},
}

// AllFields returns every field of the schema in display order. The slice is the
// caller's to keep.
func AllFields() []FieldSpec {
	return append([]FieldSpec(nil), fieldTable...)
}

// FieldsOf returns the fields an item of type t has, in display order: what an editor
// offers and a detail view shows for that type. Title comes first; a view that shows
// the title as its heading skips it. Notes come last.
func FieldsOf(t Type) []FieldSpec {
	var out []FieldSpec
	for _, f := range fieldTable {
		if f.AppliesTo(t) {
			out = append(out, f)
		}
	}
	return out
}

// LookupField returns the field with the given Name, and false when there is none.
func LookupField(name string) (FieldSpec, bool) {
	for _, f := range fieldTable {
		if f.Name == name {
			return f, true
		}
	}
	return FieldSpec{}, false
}

// LabelKey is the translation key of the field's label, "field."+Name.
func (f FieldSpec) LabelKey() string { return "field." + f.Name }

// AppliesTo reports whether items of type t have the field. Validate refuses a value in
// a field that does not apply to the item's type.
func (f FieldSpec) AppliesTo(t Type) bool { return t.Valid() && f.types&(1<<t) != 0 }

// Types lists the item types that have the field, in the order of Types.
func (f FieldSpec) Types() []Type {
	var out []Type
	for _, t := range Types {
		if f.AppliesTo(t) {
			out = append(out, t)
		}
	}
	return out
}

// Get returns the field's value in it as one string: a List field's entries one per
// line.
func (f FieldSpec) Get(it *Item) string {
	if f.list != nil {
		return strings.Join(*f.list(it), "\n")
	}
	return *f.str(it)
}

// Set stores s as the field's value in it, as given. A List field takes s one entry per
// line; blank lines are dropped and each entry is trimmed, as a person typing a list
// expects.
func (f FieldSpec) Set(it *Item, s string) {
	if f.list != nil {
		f.SetValues(it, trimmedLines(s))
		return
	}
	*f.str(it) = s
}

// SetInput stores what a person typed into an editor: a single-line value without
// surrounding spaces, a multi-line one exactly as typed, a list as Set splits it.
func (f FieldSpec) SetInput(it *Item, s string) {
	if !f.MultiLine {
		s = strings.TrimSpace(s)
	}
	f.Set(it, s)
}

// Values returns the field's entries: a List field's values (shared with it: copy
// before changing), or a string field's value as one entry (none when empty).
func (f FieldSpec) Values(it *Item) []string {
	if f.list != nil {
		return *f.list(it)
	}
	if s := *f.str(it); s != "" {
		return []string{s}
	}
	return nil
}

// SetValues stores vs as the field's value in it. A List field keeps the entries that
// are not blank, untrimmed (nil when none is left); a string field takes the entries
// joined by line breaks.
func (f FieldSpec) SetValues(it *Item, vs []string) {
	if f.list == nil {
		*f.str(it) = strings.Join(vs, "\n")
		return
	}
	var keep []string
	for _, v := range vs {
		if strings.TrimSpace(v) != "" {
			keep = append(keep, v)
		}
	}
	*f.list(it) = keep
}

// IsSet reports whether the field has a value in it.
func (f FieldSpec) IsSet(it *Item) bool {
	if f.list != nil {
		return len(*f.list(it)) > 0
	}
	return *f.str(it) != ""
}

// trimmedLines splits text into its trimmed, non-empty lines.
func trimmedLines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// fieldByTag indexes the table by codec tag for the decoder.
var fieldByTag = func() (m [tagMax + 1]*FieldSpec) {
	for i := range fieldTable {
		m[fieldTable[i].tag] = &fieldTable[i]
	}
	return m
}()
