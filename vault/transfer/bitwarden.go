package transfer

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/valvpm/valv/vault"
)

// Bitwarden's unencrypted JSON export (https://bitwarden.com/help/export-your-data/):
// folders by ID, then items whose type is 1 login, 2 secure note, 3 card, 4 identity
// (and 5 SSH key in newer versions). Every value the mapping below does not place is
// kept as an extra field; an item of a type Valv does not know becomes a note.

type bwExport struct {
	Encrypted         bool            `json:"encrypted"`
	PasswordProtected bool            `json:"passwordProtected"`
	Folders           []bwNamed       `json:"folders"`
	Collections       []bwNamed       `json:"collections"`
	Items             json.RawMessage `json:"items"`
}

type bwNamed struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type bwItem struct {
	Type            int             `json:"type"`
	Name            string          `json:"name"`
	Notes           *string         `json:"notes"`
	Favorite        bool            `json:"favorite"`
	FolderID        *string         `json:"folderId"`
	CollectionIDs   []string        `json:"collectionIds"`
	Reprompt        int             `json:"reprompt"`
	CreationDate    string          `json:"creationDate"`
	RevisionDate    string          `json:"revisionDate"`
	Fields          []bwField       `json:"fields"`
	PasswordHistory []bwPast        `json:"passwordHistory"`
	Login           *bwLogin        `json:"login"`
	Card            jsonObject      `json:"card"`
	Identity        jsonObject      `json:"identity"`
	SSHKey          jsonObject      `json:"sshKey"`
	SecureNote      json.RawMessage `json:"secureNote"`
}

type bwField struct {
	Name  string `json:"name"`
	Value any    `json:"value"`
}

type bwPast struct {
	LastUsedDate string `json:"lastUsedDate"`
	Password     string `json:"password"`
}

type bwLogin struct {
	URIs []struct {
		URI string `json:"uri"`
	} `json:"uris"`
	Username string `json:"username"`
	Password string `json:"password"`
	TOTP     string `json:"totp"`
}

// jsonObject holds an object of an export (a Bitwarden card, a Dashlane entry) as
// decoded JSON, so that keys Valv has no place for can still be kept.
type jsonObject map[string]any

// take removes key and returns its value as text.
func (o jsonObject) take(key string) string {
	v, ok := o[key]
	if !ok {
		return ""
	}
	delete(o, key)
	return anyText(v)
}

// rest returns what take left, as fields in a stable order.
func (o jsonObject) rest() []vault.Field {
	keys := make([]string, 0, len(o))
	for k := range o {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out []vault.Field
	for _, k := range keys {
		if s := anyText(o[k]); s != "" {
			out = append(out, vault.Field{Name: k, Value: s})
		}
	}
	return out
}

func anyText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

func readBitwardenJSON(data []byte, r *reader) error {
	var ex bwExport
	if err := json.Unmarshal(data, &ex); err != nil {
		return fmt.Errorf("the Bitwarden JSON cannot be read, so nothing was imported: %s", jsonReason(err))
	}
	if ex.Encrypted || ex.PasswordProtected {
		return errors.New("this Bitwarden export is encrypted; export again from Bitwarden choosing the format .json (not encrypted)")
	}
	var raws []json.RawMessage
	if err := json.Unmarshal(ex.Items, &raws); err != nil {
		return fmt.Errorf("the Bitwarden JSON has no list of items: %s", jsonReason(err))
	}
	folders := make(map[string]string)
	for _, f := range ex.Folders {
		folders[f.ID] = f.Name
	}
	for _, c := range ex.Collections {
		folders[c.ID] = c.Name
	}
	step := max(len(raws)/100, 1)
	for i, raw := range raws {
		if i%step == 0 {
			r.report(StageRead, i, len(raws))
		}
		var b bwItem
		if err := json.Unmarshal(raw, &b); err != nil {
			r.problemKind(0, i+1, jsonTitle(raw), Problem{Kind: KindUnreadable, Reason: "the item cannot be read: " + jsonReason(err)})
			continue
		}
		r.add(0, i+1, bitwardenItem(&b, folders, raw))
	}
	r.report(StageRead, len(raws), len(raws))
	r.total = 0
	return nil
}

func bitwardenItem(b *bwItem, folders map[string]string, raw json.RawMessage) *vault.Item {
	it := &vault.Item{Title: b.Name, Favourite: b.Favorite}
	if b.Notes != nil {
		it.Notes = *b.Notes
	}
	if b.FolderID != nil {
		it.Folder = folders[*b.FolderID]
	} else if len(b.CollectionIDs) > 0 {
		it.Folder = folders[b.CollectionIDs[0]]
	}
	if t, ok := parseTime(b.CreationDate); ok {
		it.Created = t
	}
	if t, ok := parseTime(b.RevisionDate); ok {
		it.Modified = t
	}
	switch {
	case b.Type == 1 && b.Login != nil:
		it.Type = vault.TypeLogin
		for _, u := range b.Login.URIs {
			it.URLs = append(it.URLs, u.URI)
		}
		it.Username, it.Password, it.TOTP = b.Login.Username, b.Login.Password, b.Login.TOTP
		for _, h := range b.PasswordHistory {
			if h.Password == "" || h.Password == it.Password {
				continue
			}
			t, _ := parseTime(h.LastUsedDate)
			it.History = append(it.History, vault.PastPassword{Password: h.Password, Replaced: t})
		}
		slices.SortStableFunc(it.History, func(a, b vault.PastPassword) int { return b.Replaced.Compare(a.Replaced) })
	case b.Type == 2:
		it.Type = vault.TypeNote
	case b.Type == 3 && b.Card != nil:
		it.Type = vault.TypeCard
		it.Cardholder = b.Card.take("cardholderName")
		it.Number = b.Card.take("number")
		it.CVC = b.Card.take("code")
		m, y := b.Card.take("expMonth"), b.Card.take("expYear")
		if e := cardExpiry(m, y); e != "" {
			it.Expiry = e
		} else {
			it.Fields = append(it.Fields, nonEmpty("Expiry month", m, "Expiry year", y)...)
		}
		it.Fields = append(it.Fields, b.Card.rest()...)
	case b.Type == 4 && b.Identity != nil:
		it.Type = vault.TypeAddress
		id := b.Identity
		it.Name = strings.Join(slices.DeleteFunc([]string{id.take("firstName"), id.take("middleName"), id.take("lastName")},
			func(s string) bool { return s == "" }), " ")
		for _, k := range []string{"address1", "address2", "address3"} {
			if s := id.take(k); s != "" {
				it.Street = append(it.Street, s)
			}
		}
		it.City, it.Region, it.Postcode = id.take("city"), id.take("state"), id.take("postalCode")
		it.Country, it.Email, it.Phone = id.take("country"), id.take("email"), id.take("phone")
		it.Fields = append(it.Fields, id.rest()...)
	case b.Type == 5 && b.SSHKey != nil:
		it.Type = vault.TypeNote
		it.Fields = append(it.Fields, b.SSHKey.rest()...)
	default:
		// A type this code does not know: keep the whole item, readable, in the note.
		it.Type = vault.TypeNote
		it.Notes = joinNotes(it.Notes, string(raw))
	}
	for _, f := range b.Fields {
		it.Fields = append(it.Fields, vault.Field{Name: f.Name, Value: anyText(f.Value)})
	}
	if b.Reprompt != 0 {
		it.Fields = append(it.Fields, vault.Field{Name: "reprompt", Value: strconv.Itoa(b.Reprompt)})
	}
	return it
}

func nonEmpty(kv ...string) []vault.Field {
	var out []vault.Field
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] != "" {
			out = append(out, vault.Field{Name: kv[i], Value: kv[i+1]})
		}
	}
	return out
}

// cardExpiry makes "MM/YY" from a month and a year of two or four digits, or "" when
// they are not that.
func cardExpiry(m, y string) string {
	m, y = strings.TrimSpace(m), strings.TrimSpace(y)
	mm, err1 := strconv.Atoi(m)
	_, err2 := strconv.Atoi(y)
	if err1 != nil || err2 != nil || mm < 1 || mm > 12 || (len(y) != 2 && len(y) != 4) {
		return ""
	}
	return fmt.Sprintf("%02d/%s", mm, y[len(y)-2:])
}
