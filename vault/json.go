package vault

import (
	"encoding/json"
	"fmt"
	"time"
)

// The JSON form of an item, shared by `valv-cli --json`, Valv's own JSON export and its
// import, so there is one documented schema (docs/json-format.md). Empty fields are
// omitted; times are RFC 3339 in UTC; type is the short name ("login", "app", "card",
// "address", "note").
type itemJSON struct {
	ID          string        `json:"id,omitempty"`
	Type        string        `json:"type"`
	Title       string        `json:"title"`
	Folder      string        `json:"folder,omitempty"`
	Favourite   bool          `json:"favourite,omitempty"`
	Created     *time.Time    `json:"created,omitempty"`
	Modified    *time.Time    `json:"modified,omitempty"`
	URLs        []string      `json:"urls,omitempty"`
	Application string        `json:"application,omitempty"`
	Username    string        `json:"username,omitempty"`
	Password    string        `json:"password,omitempty"`
	TOTP        string        `json:"totp,omitempty"`
	Cardholder  string        `json:"cardholder,omitempty"`
	Number      string        `json:"number,omitempty"`
	Expiry      string        `json:"expiry,omitempty"`
	CVC         string        `json:"cvc,omitempty"`
	PIN         string        `json:"pin,omitempty"`
	Name        string        `json:"name,omitempty"`
	Street      []string      `json:"street,omitempty"`
	City        string        `json:"city,omitempty"`
	Region      string        `json:"region,omitempty"`
	Postcode    string        `json:"postcode,omitempty"`
	Country     string        `json:"country,omitempty"`
	Phone       string        `json:"phone,omitempty"`
	Email       string        `json:"email,omitempty"`
	Notes       string        `json:"notes,omitempty"`
	Fields      []fieldJSON   `json:"fields,omitempty"`
	History     []historyJSON `json:"history,omitempty"`
}

type fieldJSON struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type historyJSON struct {
	Password string    `json:"password"`
	Replaced time.Time `json:"replaced"`
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

// MarshalJSON encodes the item in Valv's JSON schema, secrets included: callers that
// must not show secrets pass a Redacted copy.
func (it Item) MarshalJSON() ([]byte, error) {
	j := itemJSON{
		Type: it.Type.String(), Title: it.Title, Folder: it.Folder, Favourite: it.Favourite,
		Created: timePtr(it.Created), Modified: timePtr(it.Modified),
		URLs: it.URLs, Application: it.Application, Username: it.Username, Password: it.Password, TOTP: it.TOTP,
		Cardholder: it.Cardholder, Number: it.Number, Expiry: it.Expiry, CVC: it.CVC, PIN: it.PIN,
		Name: it.Name, Street: it.Street, City: it.City, Region: it.Region, Postcode: it.Postcode,
		Country: it.Country, Phone: it.Phone, Email: it.Email, Notes: it.Notes,
	}
	if it.ID != (ID{}) {
		j.ID = it.ID.String()
	}
	for _, f := range it.Fields {
		j.Fields = append(j.Fields, fieldJSON(f))
	}
	for _, h := range it.History {
		j.History = append(j.History, historyJSON{Password: h.Password, Replaced: h.Replaced.UTC()})
	}
	return json.Marshal(j)
}

// UnmarshalJSON decodes Valv's JSON schema. It does not validate: call Validate.
func (it *Item) UnmarshalJSON(b []byte) error {
	var j itemJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	t, err := ParseType(j.Type)
	if err != nil {
		return err
	}
	n := Item{
		Type: t, Title: j.Title, Folder: j.Folder, Favourite: j.Favourite,
		URLs: j.URLs, Application: j.Application, Username: j.Username, Password: j.Password, TOTP: j.TOTP,
		Cardholder: j.Cardholder, Number: j.Number, Expiry: j.Expiry, CVC: j.CVC, PIN: j.PIN,
		Name: j.Name, Street: j.Street, City: j.City, Region: j.Region, Postcode: j.Postcode,
		Country: j.Country, Phone: j.Phone, Email: j.Email, Notes: j.Notes,
	}
	if j.ID != "" {
		if n.ID, err = ParseID(j.ID); err != nil {
			return err
		}
	}
	if j.Created != nil {
		n.Created = j.Created.UTC()
	}
	if j.Modified != nil {
		n.Modified = j.Modified.UTC()
	}
	for _, f := range j.Fields {
		n.Fields = append(n.Fields, Field(f))
	}
	for _, h := range j.History {
		if h.Password == "" {
			return fmt.Errorf("a history entry has no password")
		}
		n.History = append(n.History, PastPassword{Password: h.Password, Replaced: h.Replaced.UTC()})
	}
	*it = n
	return nil
}

// SecretFields names the fields Redacted hides.
var SecretFields = []string{"password", "totp", "number", "cvc", "pin", "history"}

// Redacted returns a copy with the secrets removed — password, TOTP, CVC, PIN and the
// password history — and the card number cut to its last four digits, for listings
// and `show` without --reveal.
func (it *Item) Redacted() *Item {
	c := it.Clone()
	c.Password, c.TOTP, c.CVC, c.PIN, c.History = "", "", "", "", nil
	if c.Number != "" {
		c.Number = MaskCardNumber(c.Number)
	}
	return c
}

// MaskCardNumber shows only the last four digits of a card number: "•••• 1111".
func MaskCardNumber(n string) string {
	var digits []byte
	for i := 0; i < len(n); i++ {
		if n[i] >= '0' && n[i] <= '9' {
			digits = append(digits, n[i])
		}
	}
	if len(digits) <= 4 {
		return "••••"
	}
	return "•••• " + string(digits[len(digits)-4:])
}
