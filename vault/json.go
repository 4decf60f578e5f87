package vault

import (
	"encoding/json"
	"fmt"
	"reflect"
	"time"
)

// The JSON form of an item, shared by `valv-cli --json`, Valv's own JSON export and its
// import, so there is one documented schema (docs/json-format.md). Empty fields are
// omitted; times are RFC 3339 in UTC; type is the short name ("login", "app", "card",
// "address", "note").
//
// The object's members are the schema table's fields (fields.go) plus a few of their
// own shape, in codec tag order after "id". itemJSONType is that object as a Go struct,
// built once from the table, so encoding/json gives exactly the behaviour of a
// hand-written struct (member order, omitempty, case-insensitive names on input, its
// error messages) without a second list of fields to keep in step.
var itemJSONType = buildItemJSONType()

// The members that are not text fields of the schema, by the tag they sit at.
var specialJSON = map[byte]reflect.StructField{
	tagType:      {Name: "Type", Type: reflect.TypeFor[string](), Tag: `json:"type"`},
	tagFavourite: {Name: "Favourite", Type: reflect.TypeFor[bool](), Tag: `json:"favourite,omitempty"`},
	tagCreated:   {Name: "Created", Type: reflect.TypeFor[*time.Time](), Tag: `json:"created,omitempty"`},
	tagModified:  {Name: "Modified", Type: reflect.TypeFor[*time.Time](), Tag: `json:"modified,omitempty"`},
	tagField:     {Name: "Fields", Type: reflect.TypeFor[[]fieldJSON](), Tag: `json:"fields,omitempty"`},
	tagHistory:   {Name: "History", Type: reflect.TypeFor[[]historyJSON](), Tag: `json:"history,omitempty"`},
	tagAttachment: {Name: "Attachments", Type: reflect.TypeFor[[]attachmentJSON](),
		Tag: `json:"attachments,omitempty"`},
}

func buildItemJSONType() reflect.Type {
	members := []reflect.StructField{{Name: "ID", Type: reflect.TypeFor[string](), Tag: `json:"id,omitempty"`}}
	for tag := byte(1); tag <= tagMax; tag++ {
		f := fieldByTag[tag]
		if f == nil {
			members = append(members, specialJSON[tag]) // every tag has a member: see member
			continue
		}
		t := reflect.TypeFor[string]()
		if f.List {
			t = reflect.TypeFor[[]string]()
		}
		members = append(members, reflect.StructField{
			Name: jsonMemberName(f), Type: t, Tag: reflect.StructTag(`json:"` + f.jsonKey() + `,omitempty"`),
		})
	}
	return reflect.StructOf(members)
}

// member is the struct field of an itemJSONType value that holds tag: members follow
// "id" in tag order, one per tag, so the tag is the index.
func member(j reflect.Value, tag byte) reflect.Value { return j.Field(int(tag)) }

// jsonMemberName is the Go name of a schema field's member: exported, unique.
func jsonMemberName(f *FieldSpec) string { return "F" + f.Name }

// jsonKey is the field's member name in the JSON object: its Name, except that the
// list of website addresses is "urls".
func (f *FieldSpec) jsonKey() string {
	if f.json != "" {
		return f.json
	}
	return f.Name
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
	j := reflect.New(itemJSONType).Elem()
	if it.ID != (ID{}) {
		j.Field(0).SetString(it.ID.String())
	}
	member(j, tagType).SetString(it.Type.String())
	member(j, tagFavourite).SetBool(it.Favourite)
	member(j, tagCreated).Set(reflect.ValueOf(timePtr(it.Created)))
	member(j, tagModified).Set(reflect.ValueOf(timePtr(it.Modified)))
	for i := range fieldTable {
		f := &fieldTable[i]
		if f.List {
			member(j, f.tag).Set(reflect.ValueOf(*f.list(&it)))
		} else {
			member(j, f.tag).SetString(*f.str(&it))
		}
	}
	var fields []fieldJSON
	for _, f := range it.Fields {
		fields = append(fields, fieldJSON(f))
	}
	member(j, tagField).Set(reflect.ValueOf(fields))
	var history []historyJSON
	for _, h := range it.History {
		history = append(history, historyJSON{Password: h.Password, Replaced: h.Replaced.UTC()})
	}
	member(j, tagHistory).Set(reflect.ValueOf(history))
	var atts []attachmentJSON
	for _, a := range it.Attachments {
		atts = append(atts, newAttachmentJSON(a))
	}
	member(j, tagAttachment).Set(reflect.ValueOf(atts))
	return json.Marshal(j.Interface())
}

// UnmarshalJSON decodes Valv's JSON schema. It does not validate: call Validate.
func (it *Item) UnmarshalJSON(b []byte) error {
	p := reflect.New(itemJSONType)
	if err := json.Unmarshal(b, p.Interface()); err != nil {
		return err
	}
	j := p.Elem()
	t, err := ParseType(member(j, tagType).String())
	if err != nil {
		return err
	}
	n := Item{Type: t, Favourite: member(j, tagFavourite).Bool()}
	for i := range fieldTable {
		f := &fieldTable[i]
		if m := member(j, f.tag); f.List {
			*f.list(&n) = m.Interface().([]string)
		} else {
			*f.str(&n) = m.String()
		}
	}
	if id := j.Field(0).String(); id != "" {
		if n.ID, err = ParseID(id); err != nil {
			return err
		}
	}
	if c := member(j, tagCreated).Interface().(*time.Time); c != nil {
		n.Created = c.UTC()
	}
	if m := member(j, tagModified).Interface().(*time.Time); m != nil {
		n.Modified = m.UTC()
	}
	for _, f := range member(j, tagField).Interface().([]fieldJSON) {
		n.Fields = append(n.Fields, Field(f))
	}
	for _, h := range member(j, tagHistory).Interface().([]historyJSON) {
		if h.Password == "" {
			return fmt.Errorf("a history entry has no password")
		}
		n.History = append(n.History, PastPassword{Password: h.Password, Replaced: h.Replaced.UTC()})
	}
	for _, a := range member(j, tagAttachment).Interface().([]attachmentJSON) {
		att, err := a.attachment()
		if err != nil {
			return err
		}
		n.Attachments = append(n.Attachments, att)
	}
	*it = n
	return nil
}

// Redacted returns a copy without its secrets, for listings and `show` without
// --reveal: every Secret field of the schema is removed, except that the card number
// is cut to its last four digits, and the password history goes too.
func (it *Item) Redacted() *Item {
	c := it.Clone()
	for i := range fieldTable {
		f := &fieldTable[i]
		switch {
		case !f.Secret || !f.IsSet(c):
		case f.mask != nil:
			f.Set(c, f.mask(f.Get(c)))
		default:
			f.SetValues(c, nil)
		}
	}
	c.History = nil
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
