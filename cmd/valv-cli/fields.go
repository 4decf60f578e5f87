package main

import (
	"flag"
	"strings"

	"github.com/valvpm/valv/vault"
)

// itemFlags are the item fields as flags, named after the fields (docs and `help add`).
// Only the flags given on the command line are applied, so `edit` changes just those.
type itemFlags struct {
	title, folder, application, username, password, totp             string
	cardholder, number, expiry, cvc, pin                             string
	name, city, region, postcode, country, phone, email, notes, text string
	urls, street, fields                                             multi
	favourite                                                        bool
	generate                                                         bool
}

// multi is a repeatable string flag.
type multi []string

func (m *multi) String() string     { return strings.Join(*m, ",") }
func (m *multi) Set(s string) error { *m = append(*m, s); return nil }

func (f *itemFlags) declare(fs *flag.FlagSet) {
	fs.StringVar(&f.title, "title", "", "title (every type)")
	fs.StringVar(&f.folder, "folder", "", "folder (every type)")
	fs.BoolVar(&f.favourite, "favourite", false, "mark as favourite (--favourite=false to unmark)")
	fs.Var(&f.urls, "url", "website address (login; repeat for several)")
	fs.StringVar(&f.application, "application", "", "application name (app)")
	fs.StringVar(&f.username, "username", "", "user name (login, app)")
	fs.StringVar(&f.password, "password", "", "password (login, app); visible to other users of this computer in the process list: prefer --generate")
	fs.BoolVar(&f.generate, "generate", false, "generate a strong password (login, app)")
	fs.StringVar(&f.totp, "totp", "", "authenticator secret or otpauth:// URI (login, app)")
	fs.StringVar(&f.cardholder, "cardholder", "", "card holder (card)")
	fs.StringVar(&f.number, "number", "", "card number, checked with the Luhn digit (card)")
	fs.StringVar(&f.expiry, "expiry", "", "expiry MM/YY (card)")
	fs.StringVar(&f.cvc, "cvc", "", "security code (card)")
	fs.StringVar(&f.pin, "pin", "", "PIN (card)")
	fs.StringVar(&f.name, "name", "", "full name (address)")
	fs.Var(&f.street, "street", "street line (address; repeat for several)")
	fs.StringVar(&f.city, "city", "", "city (address)")
	fs.StringVar(&f.region, "region", "", "region or state (address)")
	fs.StringVar(&f.postcode, "postcode", "", "postcode (address)")
	fs.StringVar(&f.country, "country", "", "country (address)")
	fs.StringVar(&f.phone, "phone", "", "phone (address)")
	fs.StringVar(&f.email, "email", "", "e-mail (address)")
	fs.StringVar(&f.notes, "notes", "", "notes (every type)")
	fs.StringVar(&f.text, "text", "", "the note's text (note; same as --notes)")
	fs.Var(&f.fields, "field", "extra field NAME=VALUE (repeat for several)")
}

// apply copies the flags that were set onto it.
func (f *itemFlags) apply(fs *flag.FlagSet, it *vault.Item) error {
	var err error
	fs.Visit(func(fl *flag.Flag) {
		switch fl.Name {
		case "title":
			it.Title = f.title
		case "folder":
			it.Folder = f.folder
		case "favourite":
			it.Favourite = f.favourite
		case "url":
			it.URLs = nonEmpty(f.urls)
		case "application":
			it.Application = f.application
		case "username":
			it.Username = f.username
		case "password":
			it.Password = f.password
		case "generate":
			if f.generate {
				it.Password, err = vault.Generate(vault.DefaultGenOptions)
			}
		case "totp":
			it.TOTP = f.totp
		case "cardholder":
			it.Cardholder = f.cardholder
		case "number":
			it.Number = f.number
		case "expiry":
			it.Expiry = f.expiry
		case "cvc":
			it.CVC = f.cvc
		case "pin":
			it.PIN = f.pin
		case "name":
			it.Name = f.name
		case "street":
			it.Street = nonEmpty(f.street)
		case "city":
			it.City = f.city
		case "region":
			it.Region = f.region
		case "postcode":
			it.Postcode = f.postcode
		case "country":
			it.Country = f.country
		case "phone":
			it.Phone = f.phone
		case "email":
			it.Email = f.email
		case "notes":
			it.Notes = f.notes
		case "text":
			it.Notes = f.text
		case "field":
			it.Fields = nil
			for _, kv := range f.fields {
				k, v, ok := strings.Cut(kv, "=")
				if !ok {
					err = usagef("--field takes NAME=VALUE, got %q", kv)
					return
				}
				it.Fields = append(it.Fields, vault.Field{Name: k, Value: v})
			}
		}
	})
	if err == nil && fs.Lookup("password") != nil && isSet(fs, "password") && isSet(fs, "generate") && f.generate {
		err = usagef("give either --password or --generate, not both")
	}
	return err
}

func isSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

func nonEmpty(s []string) []string {
	var out []string
	for _, v := range s {
		if strings.TrimSpace(v) != "" {
			out = append(out, v)
		}
	}
	return out
}
