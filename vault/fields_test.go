package vault

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// Every person-typed member of Item is either a row of the schema table or one of the
// few members with a shape of their own, so a field added to Item without its row
// fails here instead of silently missing from the codec, JSON and search.
func TestSchemaCoversItem(t *testing.T) {
	own := map[string]bool{"ID": true, "Type": true, "Favourite": true, "Created": true, "Modified": true, "Fields": true, "History": true, "Attachments": true}
	var probe Item
	covered := map[uintptr]string{}
	base := reflect.ValueOf(&probe).Pointer()
	for _, f := range AllFields() {
		var p uintptr
		if f.List {
			p = reflect.ValueOf(f.list(&probe)).Pointer()
		} else {
			p = reflect.ValueOf(f.str(&probe)).Pointer()
		}
		if prev, dup := covered[p-base]; dup {
			t.Errorf("fields %q and %q share storage", prev, f.Name)
		}
		covered[p-base] = f.Name
	}
	it := reflect.TypeFor[Item]()
	for i := range it.NumField() {
		m := it.Field(i)
		if _, ok := covered[m.Offset]; !ok && !own[m.Name] {
			t.Errorf("Item.%s has no row in the schema table (vault/fields.go)", m.Name)
		}
	}
}

func TestSchemaTable(t *testing.T) {
	names, tags := map[string]bool{}, map[byte]bool{}
	for _, f := range AllFields() {
		if names[f.Name] || tags[f.tag] {
			t.Errorf("%s: name or tag used twice", f.Name)
		}
		names[f.Name], tags[f.tag] = true, true
		if f.tag == 0 || f.tag > tagMax || fieldByTag[f.tag].Name != f.Name {
			t.Errorf("%s: tag %d is not indexed", f.Name, f.tag)
		}
		if (f.list != nil) != f.List || (f.str != nil) == f.List {
			t.Errorf("%s: List=%v but the accessors say otherwise", f.Name, f.List)
		}
		if f.Secret && f.searchable {
			t.Errorf("%s: a secret must never be searchable", f.Name)
		}
		if f.Label == "" || f.Help == "" || len(f.Types()) == 0 || f.LabelKey() != "field."+f.Name {
			t.Errorf("%s: incomplete row %+v", f.Name, f)
		}
		if got, ok := LookupField(f.Name); !ok || got.tag != f.tag {
			t.Errorf("LookupField(%q) = %v, %v", f.Name, got.Name, ok)
		}
	}
	if _, ok := LookupField("nope"); ok {
		t.Error("LookupField found a field that does not exist")
	}
	for tag := byte(1); tag <= tagMax; tag++ {
		if fieldByTag[tag] == nil && specialJSON[tag].Name == "" {
			t.Errorf("tag %d has neither a schema row nor a special case", tag)
		}
	}
}

func TestFieldsOf(t *testing.T) {
	names := func(ty Type) string {
		var s []string
		for _, f := range FieldsOf(ty) {
			s = append(s, f.Name)
		}
		return strings.Join(s, " ")
	}
	for ty, want := range map[Type]string{
		TypeLogin:   "title folder url username password totp notes",
		TypeApp:     "title folder application username password totp notes",
		TypeCard:    "title folder cardholder number expiry cvc pin notes",
		TypeAddress: "title folder name street city region postcode country phone email notes",
		TypeNote:    "title folder notes",
		Type(0):     "",
		Type(99):    "",
	} {
		if got := names(ty); got != want {
			t.Errorf("FieldsOf(%s) = %q, want %q", ty, got, want)
		}
	}
	url, _ := LookupField("url")
	if !slices.Equal(url.Types(), []Type{TypeLogin}) {
		t.Errorf("url types = %v", url.Types())
	}
}

// The accessors read and write the member they name, for every field of every type:
// a value set through the table comes back from the codec, JSON and Validate.
func TestFieldAccessors(t *testing.T) {
	for _, ty := range Types {
		it := &Item{Type: ty, Title: "x"}
		want := map[string][]string{}
		for _, f := range FieldsOf(ty) {
			v := []string{"value of " + f.Name}
			switch {
			case f.List:
				v = []string{"first " + f.Name, "second " + f.Name}
			case f.Name == "number":
				v = []string{"4111 1111 1111 1111"}
			case f.Name == "expiry":
				v = []string{"07/29"}
			case f.Name == "totp":
				v = []string{"JBSWY3DPEHPK3PXP"}
			}
			f.SetValues(it, v)
			want[f.Name] = v
		}
		if err := it.Validate(); err != nil {
			t.Fatalf("%s: %v", ty, err)
		}
		back, err := decodeItem(encodeItem(it))
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(it)
		if err != nil {
			t.Fatal(err)
		}
		var fromJSON Item
		if err := json.Unmarshal(b, &fromJSON); err != nil {
			t.Fatal(err)
		}
		for _, f := range FieldsOf(ty) {
			for name, got := range map[string]*Item{"item": it, "codec": back, "json": &fromJSON, "clone": it.Clone()} {
				if !slices.Equal(f.Values(got), want[f.Name]) {
					t.Errorf("%s %s via %s = %q, want %q", ty, f.Name, name, f.Values(got), want[f.Name])
				}
			}
			if f.Get(it) != strings.Join(want[f.Name], "\n") {
				t.Errorf("%s: Get = %q", f.Name, f.Get(it))
			}
		}
	}
}

func TestFieldSetInput(t *testing.T) {
	it := &Item{Type: TypeLogin}
	field := func(n string) FieldSpec { f, _ := LookupField(n); return f }
	field("title").SetInput(it, "  Bank  ")
	field("url").SetInput(it, " https://a.example \n\n  https://b.example\n ")
	field("notes").SetInput(it, "  keep\n  as typed ")
	if it.Title != "Bank" || !slices.Equal(it.URLs, []string{"https://a.example", "https://b.example"}) || it.Notes != "  keep\n  as typed " {
		t.Errorf("SetInput: %q %q %q", it.Title, it.URLs, it.Notes)
	}
	field("url").SetInput(it, " \n ")
	if it.URLs != nil {
		t.Errorf("blank list input left %q", it.URLs)
	}
	field("url").SetValues(it, []string{" x ", "  ", ""})
	if !slices.Equal(it.URLs, []string{" x "}) {
		t.Errorf("SetValues kept %q", it.URLs)
	}
}

// A value in a field of another type is refused by name; a format check names its
// field; both in table order.
func TestValidateFromTable(t *testing.T) {
	for _, f := range AllFields() {
		for _, ty := range Types {
			if f.AppliesTo(ty) {
				continue
			}
			it := &Item{Type: ty, Title: "x"}
			f.Set(it, "something")
			var fe *FieldError
			if err := it.Validate(); !errors.As(err, &fe) || fe.Field != f.Name || fe.Code != FieldNotApplicable {
				t.Errorf("%s in a %s: %v", f.Name, ty, err)
			}
		}
	}
	for _, c := range []struct {
		field, value string
		code         FieldCode
	}{{"number", "4111 1111 1111 1112", FieldCardNumber}, {"expiry", "13/29", FieldExpiry}} {
		it := &Item{Type: TypeCard, Title: "x"}
		f, _ := LookupField(c.field)
		f.Set(it, c.value)
		var fe *FieldError
		if err := it.Validate(); !errors.As(err, &fe) || fe.Field != c.field || fe.Code != c.code {
			t.Errorf("%s=%q: %v", c.field, c.value, err)
		}
	}
}

func TestRedactedFromTable(t *testing.T) {
	for _, it := range sampleItems() {
		r := it.Redacted()
		for _, f := range FieldsOf(it.Type) {
			switch {
			case f.Name == "number" && f.IsSet(it):
				if f.Get(r) != MaskCardNumber(f.Get(it)) {
					t.Errorf("number redacted to %q", f.Get(r))
				}
			case f.Secret && f.IsSet(r):
				t.Errorf("%s: secret %s kept: %q", it.Type, f.Name, f.Get(r))
			case !f.Secret && f.Get(r) != f.Get(it):
				t.Errorf("%s: %s changed by Redacted", it.Type, f.Name)
			}
		}
	}
}

// Adding a field is a row in the table plus its label in every language: the desktop
// app looks the label up by LabelKey in assets/translations.
func TestEveryFieldHasALabel(t *testing.T) {
	files, err := filepath.Glob("../assets/translations/*.json")
	if err != nil || len(files) < 4 {
		t.Fatalf("translations not found: %v %v", files, err)
	}
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var msgs map[string]string
		if err := json.Unmarshal(b, &msgs); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		for _, f := range AllFields() {
			if strings.TrimSpace(msgs[f.LabelKey()]) == "" {
				t.Errorf("%s has no %q", filepath.Base(file), f.LabelKey())
			}
		}
	}
}

// BenchmarkItemCodec: decode one item's plaintext and build its search text, the
// per-item work of an unlock besides decryption.
func BenchmarkItemCodec(b *testing.B) {
	var plain [][]byte
	for _, it := range sampleItems() {
		it.Created, it.Modified = t0, t0
		plain = append(plain, encodeItem(it))
	}
	i := 0
	for b.Loop() {
		it, err := decodeItem(plain[i%len(plain)])
		if err != nil {
			b.Fatal(err)
		}
		_, _ = haystack(it, nil)
		i++
	}
}
