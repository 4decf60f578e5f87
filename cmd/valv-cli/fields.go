package main

import (
	"flag"
	"strings"

	"github.com/valvpm/valv/vault"
)

// itemFlags are the item fields as flags: one per field of the vault's schema, named
// after it (docs and `help add`), plus a few of their own. Only the flags given on the
// command line are applied, so `edit` changes just those.
type itemFlags struct {
	values    map[string]*string // a string field's flag, by field name
	lists     map[string]*multi  // a list field's repeated flag, by field name
	text      string             // --text, the note's text: the same as --notes
	fields    multi              // --field NAME=VALUE
	favourite bool
	generate  bool
}

// multi is a repeatable string flag.
type multi []string

func (m *multi) String() string     { return strings.Join(*m, ",") }
func (m *multi) Set(s string) error { *m = append(*m, s); return nil }

// flagWarnings add a caution to a field's flag help.
var flagWarnings = map[string]string{
	"password": "; visible to other users of this computer in the process list: prefer --generate",
}

func (f *itemFlags) declare(fs *flag.FlagSet) {
	f.values, f.lists = map[string]*string{}, map[string]*multi{}
	for _, sp := range vault.AllFields() {
		usage := fieldUsage(sp) + flagWarnings[sp.Name]
		if sp.List {
			f.lists[sp.Name] = &multi{}
			fs.Var(f.lists[sp.Name], sp.Name, usage)
		} else {
			f.values[sp.Name] = fs.String(sp.Name, "", usage)
		}
	}
	fs.BoolVar(&f.favourite, "favourite", false, "mark as favourite (--favourite=false to unmark)")
	fs.BoolVar(&f.generate, "generate", false, "generate a strong password (login, app)")
	fs.StringVar(&f.text, "text", "", "the note's text (note; same as --notes)")
	fs.Var(&f.fields, "field", "extra field NAME=VALUE (repeat for several)")
}

// fieldUsage is a field's flag help: what it holds and which item types have it,
// "website address (login; repeat for several)".
func fieldUsage(sp vault.FieldSpec) string {
	types := "every type"
	if ts := sp.Types(); len(ts) < len(vault.Types) {
		names := make([]string, len(ts))
		for i, t := range ts {
			names[i] = t.String()
		}
		types = strings.Join(names, ", ")
	}
	if sp.List {
		types += "; repeat for several"
	}
	return sp.Help + " (" + types + ")"
}

// apply copies the flags that were set onto it.
func (f *itemFlags) apply(fs *flag.FlagSet, it *vault.Item) error {
	var err error
	fs.Visit(func(fl *flag.Flag) {
		if sp, ok := vault.LookupField(fl.Name); ok {
			if sp.List {
				sp.SetValues(it, *f.lists[sp.Name])
			} else {
				sp.Set(it, *f.values[sp.Name])
			}
			return
		}
		if e := f.applyOwn(fl.Name, it); e != nil {
			err = e
		}
	})
	if err == nil && isSet(fs, "password") && isSet(fs, "generate") && f.generate {
		err = usagef("give either --password or --generate, not both")
	}
	return err
}

// applyOwn applies the flags that are not fields of the schema.
func (f *itemFlags) applyOwn(name string, it *vault.Item) error {
	switch name {
	case "favourite":
		it.Favourite = f.favourite
	case "text":
		it.Notes = f.text
	case "generate":
		if f.generate {
			pw, err := vault.Generate(vault.DefaultGenOptions)
			if err != nil {
				return err
			}
			it.Password = pw
		}
	case "field":
		it.Fields = nil
		for _, kv := range f.fields {
			k, v, ok := strings.Cut(kv, "=")
			if !ok {
				return usagef("--field takes NAME=VALUE, got %q", kv)
			}
			it.Fields = append(it.Fields, vault.Field{Name: k, Value: v})
		}
	}
	return nil
}

func isSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}
