package vault

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// ID identifies an item. It is random and stored in clear (it reveals nothing typed).
type ID [16]byte

func newID() ID {
	var id ID
	rand.Read(id[:])
	return id
}

// String is the 32-character lower-case hex form used by valv-cli and the JSON export.
func (id ID) String() string { return hex.EncodeToString(id[:]) }

// ParseID parses the hex form of an ID.
func ParseID(s string) (ID, error) {
	var id ID
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != len(id) {
		return id, fmt.Errorf("%q is not an item ID", s)
	}
	copy(id[:], b)
	return id, nil
}

// Type is the kind of an item.
type Type uint8

// Item types. The numbers are stored in sealed items: never renumber.
const (
	TypeLogin   Type = 1 // website account
	TypeApp     Type = 2 // application account
	TypeCard    Type = 3 // bank card
	TypeAddress Type = 4
	TypeNote    Type = 5
	// TypeDocument holds files on their own (a passport scan, recovery codes) with notes.
	TypeDocument Type = 6
)

// Types lists every item type in display order.
var Types = []Type{TypeLogin, TypeApp, TypeCard, TypeAddress, TypeNote, TypeDocument}

var typeNames = map[Type]string{TypeLogin: "login", TypeApp: "app", TypeCard: "card", TypeAddress: "address", TypeNote: "note", TypeDocument: "document"}

// String is the type's short name, as in `valv-cli add login`.
func (t Type) String() string {
	if n, ok := typeNames[t]; ok {
		return n
	}
	return fmt.Sprintf("type%d", uint8(t))
}

// ParseType parses a short type name ("login", "app", "card", "address", "note",
// "document").
func ParseType(s string) (Type, error) {
	for t, n := range typeNames {
		if strings.EqualFold(s, n) {
			return t, nil
		}
	}
	return 0, fmt.Errorf("%q is not an item type (login, app, card, address, note or document)", s)
}

// Valid reports whether t is a known type.
func (t Type) Valid() bool { _, ok := typeNames[t]; return ok }

// MaxHistory is how many previous passwords an item keeps.
const MaxHistory = 5

// PastPassword is a password an item used to have, and when it was replaced.
type PastPassword struct {
	Password string
	Replaced time.Time
}

// Field is a named extra value: imported columns with no place of their own, and
// anything else a person wants to keep with an item.
type Field struct {
	Name, Value string
}

// Item is one entry of the vault. Which fields apply depends on Type (see Validate);
// the others stay empty. Every string field is encrypted at rest.
type Item struct {
	ID        ID
	Type      Type
	Title     string
	Folder    string
	Favourite bool
	Created   time.Time
	Modified  time.Time

	// Website login: URLs; application login: Application. Both: Username, Password.
	URLs        []string
	Application string
	Username    string
	Password    string
	TOTP        string // an authenticator secret or otpauth:// URI (package totp reads it)

	// Bank card.
	Cardholder string
	Number     string
	Expiry     string // MM/YY
	CVC        string
	PIN        string

	// Address.
	Name     string
	Street   []string
	City     string
	Region   string
	Postcode string
	Country  string
	Phone    string
	Email    string

	// Notes is free text on any type; for a note it is the note's text.
	Notes string

	Fields  []Field
	History []PastPassword // newest first, at most MaxHistory

	// Attachments are the item's files, in the order they were added. Only Attach,
	// RenameAttachment and Detach change them on a stored item (Update keeps the stored
	// list); Add and AddAll store the ones that carry content (NewAttachment).
	Attachments []Attachment
}

// Clone returns a deep copy, so a screen can edit an item without touching the vault's.
func (it *Item) Clone() *Item {
	c := *it
	for i := range fieldTable {
		if l := fieldTable[i].list; l != nil {
			*l(&c) = slices.Clone(*l(it))
		}
	}
	c.Fields = slices.Clone(it.Fields)
	c.History = slices.Clone(it.History)
	c.Attachments = slices.Clone(it.Attachments)
	return &c
}

// maxFieldLen caps one field so a pasted file cannot bloat the vault by accident.
const maxFieldLen = 64 << 10

// Validate checks the item's fields for its type and returns a *FieldError (wrapping
// ErrInvalidItem) for the first problem.
func (it *Item) Validate() error {
	if !it.Type.Valid() {
		return &FieldError{"type", "is not a known item type", FieldUnknownType}
	}
	if strings.TrimSpace(it.Title) == "" {
		return &FieldError{"title", "must not be empty", FieldEmpty}
	}
	for i := range fieldTable {
		if f := &fieldTable[i]; !f.AppliesTo(it.Type) && f.IsSet(it) {
			return &FieldError{f.Name, "does not apply to a " + it.Type.String() + " item", FieldNotApplicable}
		}
	}
	for s := range it.strings {
		if len(s) > maxFieldLen {
			return &FieldError{"field", fmt.Sprintf("is longer than %d KiB", maxFieldLen>>10), FieldTooLong}
		}
		if !utf8.ValidString(s) {
			return &FieldError{"field", "is not valid text (UTF-8)", FieldNotUTF8}
		}
	}
	if fe := checkTOTP(it.TOTP); fe != nil {
		return fe
	}
	if fe := checkAttachments(it); fe != nil {
		return fe
	}
	for i := range fieldTable {
		if f := &fieldTable[i]; f.check != nil && f.IsSet(it) && !f.check(f.Get(it)) {
			return &FieldError{f.Name, f.checkWhy, f.checkCode}
		}
	}
	return nil
}

// strings yields every person-typed string of the item, for size checks, without
// collecting them: Validate runs twice per item of an import.
func (it *Item) strings(yield func(string) bool) {
	for i := range fieldTable {
		f := &fieldTable[i]
		if f.list != nil {
			for _, v := range *f.list(it) {
				if !yield(v) {
					return
				}
			}
		} else if v := *f.str(it); v != "" && !yield(v) {
			return
		}
	}
	for _, f := range it.Fields {
		if !yield(f.Name) || !yield(f.Value) {
			return
		}
	}
	for _, h := range it.History {
		if !yield(h.Password) {
			return
		}
	}
}

// LuhnValid reports whether a card number (spaces and dashes allowed) has 12–19 digits
// and a correct Luhn check digit.
func LuhnValid(number string) bool {
	sum, n := 0, 0
	for i := len(number) - 1; i >= 0; i-- {
		c := number[i]
		switch {
		case c == ' ' || c == '-':
			continue
		case c < '0' || c > '9':
			return false
		}
		d := int(c - '0')
		if n%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		n++
	}
	return n >= 12 && n <= 19 && sum%10 == 0
}

func validExpiry(s string) bool {
	s = strings.TrimSpace(s)
	var mm, yy string
	if i := strings.IndexAny(s, "/-"); i > 0 {
		mm, yy = s[:i], s[i+1:]
	} else {
		return false
	}
	if len(mm) < 1 || len(mm) > 2 || (len(yy) != 2 && len(yy) != 4) {
		return false
	}
	m := 0
	for _, r := range mm + yy {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	for _, r := range mm {
		m = m*10 + int(r-'0')
	}
	return m >= 1 && m <= 12
}

// recordPassword pushes old into it's history when the password changed.
func (it *Item) recordPassword(old string, when time.Time) {
	if old == "" || old == it.Password {
		return
	}
	it.History = append([]PastPassword{{Password: old, Replaced: when}}, it.History...)
	if len(it.History) > MaxHistory {
		it.History = it.History[:MaxHistory]
	}
}
