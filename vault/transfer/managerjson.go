package transfer

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/valvpm/valv/vault"
)

// The JSON exports of Dashlane, Keeper, Enpass and Proton Pass. Each reader maps the
// values it knows and keeps every other non-empty value as a field.

// Dashlane's JSON: lists by kind (AUTHENTIFIANT for logins, EMAIL, PAYMENTMEANS_…,
// SECURENOTE, IDENTITY, …) of flat objects.
func readDashlaneJSON(data []byte, r *reader) error {
	var ex map[string][]jsonObject
	if err := json.Unmarshal(data, &ex); err != nil {
		return fmt.Errorf("the Dashlane JSON cannot be read, so nothing was imported: %s", jsonReason(err))
	}
	kinds := make([]string, 0, len(ex))
	for k := range ex {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	if i := slices.Index(kinds, "AUTHENTIFIANT"); i > 0 { // logins first, as the app lists them
		kinds = append(append([]string{"AUTHENTIFIANT"}, kinds[:i]...), kinds[i+1:]...)
	}
	n := 0
	for _, kind := range kinds {
		for _, o := range ex[kind] {
			n++
			r.add(0, n, dashlaneJSONItem(kind, o))
		}
	}
	return nil
}

func dashlaneJSONItem(kind string, o jsonObject) *vault.Item {
	it := &vault.Item{Title: o.take("title"), Notes: o.take("note")}
	switch {
	case kind == "AUTHENTIFIANT":
		it.Type = vault.TypeLogin
		it.Username, it.Password = firstNonBlank(o.take("login"), o.take("email")), o.take("password")
		addURL(it, o.take("domain"))
		it.TOTP = strings.TrimSpace(o.take("otpSecret"))
	case strings.HasPrefix(kind, "PAYMENTMEANS_CREDITCARD"):
		it.Type = vault.TypeCard
		it.Title = firstNonBlank(it.Title, o.take("name"), o.take("bank"))
		it.Cardholder, it.Number, it.CVC = o.take("owner"), o.take("cardNumber"), o.take("securityCode")
		it.Expiry = cardExpiry(o.take("expireMonth"), o.take("expireYear"))
	case kind == "SECURENOTE":
		it.Type = vault.TypeNote
		it.Notes = joinNotes(it.Notes, o.take("content"))
	case kind == "EMAIL" || kind == "IDENTITY" || kind == "ADDRESS" || kind == "PHONE":
		it.Type = vault.TypeAddress
		it.Email, it.Phone = o.take("email"), o.take("number")
		it.Name = joinNonEmpty(" ", o.take("firstName"), o.take("middleName"), o.take("lastName"))
		it.Street = streetLines(o.take("addressFull"))
		it.City, it.Postcode, it.Country = o.take("city"), o.take("zipcode"), o.take("country")
	default:
		it.Type = vault.TypeNote
		it.Fields = append(it.Fields, vault.Field{Name: "Kind", Value: kind})
	}
	it.Fields = append(it.Fields, o.rest()...)
	if it.Title == "" && kind != "AUTHENTIFIANT" {
		it.Title = firstNonBlank(it.Email, it.Name, it.Phone, strings.ToLower(kind))
	}
	noteIfNoLogin(it)
	return it
}

// Keeper's JSON: records with title, login, password, login_url, notes,
// custom_fields (name → value) and folders (private or shared, paths with \).
type keeperExport struct {
	Records []struct {
		Title    string         `json:"title"`
		Login    string         `json:"login"`
		Password string         `json:"password"`
		URL      string         `json:"login_url"`
		Notes    string         `json:"notes"`
		Custom   map[string]any `json:"custom_fields"`
		Folders  []struct {
			Folder       string `json:"folder"`
			SharedFolder string `json:"shared_folder"`
		} `json:"folders"`
	} `json:"records"`
}

func readKeeperJSON(data []byte, r *reader) error {
	var ex keeperExport
	if err := json.Unmarshal(data, &ex); err != nil {
		return fmt.Errorf("the Keeper JSON cannot be read, so nothing was imported: %s", jsonReason(err))
	}
	for i, rec := range ex.Records {
		it := &vault.Item{Type: vault.TypeLogin, Title: rec.Title, Username: rec.Login, Password: rec.Password, Notes: rec.Notes}
		addURL(it, rec.URL)
		for j, f := range rec.Folders {
			p := strings.ReplaceAll(firstNonBlank(f.Folder, f.SharedFolder), `\`, "/")
			if j == 0 {
				it.Folder = p
			} else {
				it.Fields = append(it.Fields, vault.Field{Name: "Also in folder", Value: p})
			}
		}
		names := make([]string, 0, len(rec.Custom))
		for k := range rec.Custom {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			if k == "TFC:Keeper" && it.TOTP == "" {
				it.TOTP = strings.TrimSpace(anyText(rec.Custom[k]))
				continue
			}
			it.Fields = append(it.Fields, vault.Field{Name: k, Value: anyText(rec.Custom[k])})
		}
		noteIfNoLogin(it)
		r.add(0, i+1, it)
	}
	return nil
}

// Enpass's JSON: folders (with parents) and items whose fields carry a type
// (username, password, url, totp, ccNumber, …); trashed and archived are flags.
type enpassExport struct {
	Folders []struct {
		UUID   string `json:"uuid"`
		Parent string `json:"parent_uuid"`
		Title  string `json:"title"`
	} `json:"folders"`
	Items []json.RawMessage `json:"items"`
}

type enpassItem struct {
	Title    string   `json:"title"`
	Category string   `json:"category"`
	Note     string   `json:"note"`
	Favorite int      `json:"favorite"`
	Trashed  int      `json:"trashed"`
	Archived int      `json:"archived"`
	Created  int64    `json:"createdAt"`
	Updated  int64    `json:"updated_at"`
	Folders  []string `json:"folders"`
	Fields   []struct {
		Label string `json:"label"`
		Type  string `json:"type"`
		Value string `json:"value"`
	} `json:"fields"`
}

// enpassLogin maps Enpass's login field types to the login's parts.
var enpassLogin = map[string]string{"username": "username", "email": "username", "password": "password", "url": "url", "totp": "totp"}

// enpassCard maps Enpass's card field types.
var enpassCard = map[string]string{"ccName": "cardholder", "ccNumber": "number", "ccCvc": "cvc", "ccPin": "pin", "ccExpiry": "expiry"}

func readEnpassJSON(data []byte, r *reader) error {
	var ex enpassExport
	if err := json.Unmarshal(data, &ex); err != nil {
		return fmt.Errorf("the Enpass JSON cannot be read, so nothing was imported: %s", jsonReason(err))
	}
	parent, title := map[string]string{}, map[string]string{}
	for _, f := range ex.Folders {
		parent[f.UUID], title[f.UUID] = f.Parent, f.Title
	}
	folder := func(id string) string {
		var path []string
		for depth := 0; id != "" && depth < maxGroupDepth; depth++ {
			t, ok := title[id]
			if !ok {
				break
			}
			path = append([]string{t}, path...)
			id = parent[id]
		}
		return strings.Join(path, "/")
	}
	for i, raw := range ex.Items {
		var e enpassItem
		if err := json.Unmarshal(raw, &e); err != nil {
			r.problemKind(0, i+1, jsonTitle(raw), Problem{Kind: KindUnreadable, Reason: "the item cannot be read: " + jsonReason(err)})
			continue
		}
		switch {
		case e.Trashed != 0:
			r.skip(SkipTrash)
			continue
		case e.Archived != 0:
			r.skip(SkipArchived)
			continue
		}
		r.add(0, i+1, enpassToItem(&e, folder))
	}
	return nil
}

func enpassToItem(e *enpassItem, folder func(string) string) *vault.Item {
	it := &vault.Item{Type: vault.TypeLogin, Title: e.Title, Notes: e.Note, Favourite: e.Favorite != 0}
	if e.Category == "creditcard" {
		it.Type = vault.TypeCard
	}
	if len(e.Folders) > 0 {
		it.Folder = folder(e.Folders[0])
	}
	if e.Created > 0 {
		it.Created = time.Unix(e.Created, 0).UTC()
	}
	if e.Updated > 0 {
		it.Modified = time.Unix(e.Updated, 0).UTC()
	}
	for _, f := range e.Fields {
		if f.Type == "section" || strings.TrimSpace(f.Value) == "" {
			continue
		}
		if it.Type == vault.TypeCard {
			switch enpassCard[f.Type] {
			case "cardholder":
				it.Cardholder = f.Value
			case "number":
				it.Number = f.Value
			case "cvc":
				it.CVC = f.Value
			case "pin":
				it.PIN = f.Value
			case "expiry":
				it.Expiry = f.Value
			default:
				it.Fields = append(it.Fields, vault.Field{Name: f.Label, Value: f.Value})
			}
			continue
		}
		setLoginPartAs(it, enpassLogin[f.Type], firstNonBlank(f.Label, f.Type), f.Value)
	}
	if e.Category == "note" || e.Category == "securenote" {
		asNote(it)
	}
	noteIfNoLogin(it)
	return it
}

// Proton Pass's JSON: vaults by ID, each with a name and items; an item's data has a
// type (login, alias, note, creditCard, identity), metadata, content and extraFields.
// state 2 is the trash. An alias is an address that forwards to the person's mail: a
// login whose user name is the alias.
type protonExport struct {
	Encrypted bool `json:"encrypted"`
	Vaults    map[string]struct {
		Name  string            `json:"name"`
		Items []json.RawMessage `json:"items"`
	} `json:"vaults"`
}

type protonItem struct {
	State      int    `json:"state"`
	AliasEmail string `json:"aliasEmail"`
	Created    int64  `json:"createTime"`
	Modified   int64  `json:"modifyTime"`
	Pinned     bool   `json:"pinned"`
	Data       struct {
		Type     string `json:"type"`
		Metadata struct {
			Name string `json:"name"`
			Note string `json:"note"`
		} `json:"metadata"`
		Content     jsonObject    `json:"content"`
		ExtraFields []protonField `json:"extraFields"`
	} `json:"data"`
}

type protonField struct {
	Name string `json:"fieldName"`
	Type string `json:"type"`
	Data struct {
		Content string `json:"content"`
		TOTPURI string `json:"totpUri"`
	} `json:"data"`
}

func readProtonPass(data []byte, r *reader) error {
	var ex protonExport
	if err := json.Unmarshal(data, &ex); err != nil {
		return fmt.Errorf("the Proton Pass JSON cannot be read, so nothing was imported: %s", jsonReason(err))
	}
	if ex.Encrypted {
		return errors.New("this Proton Pass export is encrypted (PGP); export again from Proton Pass without encryption")
	}
	ids := make([]string, 0, len(ex.Vaults))
	for id := range ex.Vaults {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	n := 0
	for _, id := range ids {
		v := ex.Vaults[id]
		for _, raw := range v.Items {
			n++
			var p protonItem
			if err := json.Unmarshal(raw, &p); err != nil {
				r.problemKind(0, n, "", Problem{Kind: KindUnreadable, Reason: "the item cannot be read: " + jsonReason(err)})
				continue
			}
			if p.State == 2 {
				r.skip(SkipTrash)
				continue
			}
			it := protonToItem(&p)
			it.Folder = v.Name
			r.add(0, n, it)
		}
	}
	return nil
}

func protonToItem(p *protonItem) *vault.Item {
	c := p.Data.Content
	it := &vault.Item{Title: p.Data.Metadata.Name, Notes: p.Data.Metadata.Note, Favourite: p.Pinned}
	if p.Created > 0 {
		it.Created = time.Unix(p.Created, 0).UTC()
	}
	if p.Modified > 0 {
		it.Modified = time.Unix(p.Modified, 0).UTC()
	}
	delete(c, "passkeys")
	switch p.Data.Type {
	case "login":
		it.Type = vault.TypeLogin
		user, email := c.take("itemUsername"), c.take("itemEmail")
		it.Username = firstNonBlank(user, email)
		if user != "" && email != "" {
			it.Fields = append(it.Fields, vault.Field{Name: "Email", Value: email})
		}
		it.Password, it.TOTP = c.take("password"), strings.TrimSpace(c.take("totpUri"))
		if urls, ok := c["urls"].([]any); ok {
			for _, u := range urls {
				addURL(it, anyText(u))
			}
			delete(c, "urls")
		}
	case "alias":
		it.Type = vault.TypeLogin
		it.Username = p.AliasEmail
	case "creditCard":
		it.Type = vault.TypeCard
		it.Cardholder, it.Number, it.CVC, it.PIN = c.take("cardholderName"), c.take("number"), c.take("verificationNumber"), c.take("pin")
		if y, m, ok := strings.Cut(c.take("expirationDate"), "-"); ok {
			it.Expiry = cardExpiry(m, y)
		}
		delete(c, "cardType")
	case "identity":
		it.Type = vault.TypeAddress
		full := c.take("fullName")
		parts := joinNonEmpty(" ", c.take("firstName"), c.take("middleName"), c.take("lastName"))
		it.Name = firstNonBlank(full, parts)
		it.Email, it.Phone = c.take("email"), c.take("phoneNumber")
		it.Street = streetLines(c.take("streetAddress"))
		it.City, it.Region, it.Postcode, it.Country = c.take("city"), c.take("stateOrProvince"), c.take("zipOrPostalCode"), c.take("countryOrRegion")
		it.Fields = append(it.Fields, protonNested(c)...)
	default:
		it.Type = vault.TypeNote
	}
	it.Fields = append(it.Fields, c.rest()...)
	for _, f := range p.Data.ExtraFields {
		v := firstNonBlank(f.Data.Content, f.Data.TOTPURI)
		if f.Type == "totp" && it.TOTP == "" && it.Type == vault.TypeLogin {
			it.TOTP = strings.TrimSpace(v)
			continue
		}
		it.Fields = append(it.Fields, vault.Field{Name: f.Name, Value: v})
	}
	noteIfNoLogin(it)
	return it
}

// protonNested flattens an identity's lists of extra fields and sections.
func protonNested(c jsonObject) []vault.Field {
	var out []vault.Field
	for _, k := range []string{"extraPersonalDetails", "extraAddressDetails", "extraContactDetails", "extraWorkDetails"} {
		b, _ := json.Marshal(c[k]) // decoded from JSON, so it encodes
		delete(c, k)
		var fs []protonField
		if json.Unmarshal(b, &fs) == nil {
			for _, f := range fs {
				out = append(out, vault.Field{Name: f.Name, Value: firstNonBlank(f.Data.Content, f.Data.TOTPURI)})
			}
		}
	}
	b, _ := json.Marshal(c["extraSections"]) // decoded from JSON, so it encodes
	delete(c, "extraSections")
	var secs []struct {
		Fields []protonField `json:"sectionFields"`
	}
	if json.Unmarshal(b, &secs) == nil {
		for _, s := range secs {
			for _, f := range s.Fields {
				out = append(out, vault.Field{Name: f.Name, Value: firstNonBlank(f.Data.Content, f.Data.TOTPURI)})
			}
		}
	}
	return out
}
