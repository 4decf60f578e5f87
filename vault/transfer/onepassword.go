package transfer

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/valvpm/valv/vault"
)

// 1Password's own formats: the 1PUX export of 1Password 8 (a zip whose export.data
// lists accounts, vaults and items; zip.go opens it) and the 1PIF export of 1Password
// 4 to 7 (one JSON record per item, separated by a marker line). Both group an item's
// details in sections of typed fields; the categories with a Valv type of their own —
// login, password, card, identity, note — map onto it, every other category (bank
// account, Wi-Fi, licence, …) becomes a note with its details as fields.

// opCategories maps 1PUX's category numbers; 1PIF names the same categories by typeName.
var opCategories = map[string]string{
	"001": "login", "005": "password", "002": "card", "004": "identity", "003": "note", "006": "document",
	"webforms.WebForm": "login", "passwords.Password": "password", "wallet.financial.CreditCard": "card",
	"identities.Identity": "identity", "securenotes.SecureNote": "note",
}

type opField struct {
	id, title, kind string // kind: the value's type (string, concealed, totp, address, …)
	value           string
}

type opItem struct {
	category, title, folder, notes string
	urls, tags                     []string
	username, password             string
	favourite                      bool
	created, modified              time.Time
	fields                         []opField // section and login fields, in order
	history                        []vault.PastPassword
	document                       string
}

// item maps a 1Password item onto a Valv item.
func (o *opItem) item() *vault.Item {
	it := &vault.Item{Title: o.title, Folder: o.folder, Notes: o.notes, Favourite: o.favourite, Created: o.created, Modified: o.modified}
	if it.Folder == "" && len(o.tags) > 0 {
		it.Folder = o.tags[0]
	}
	if len(o.tags) > 1 {
		it.Fields = append(it.Fields, vault.Field{Name: "Tags", Value: strings.Join(o.tags, ", ")})
	}
	take := func(ids ...string) string {
		for i, f := range o.fields {
			if f.value != "" && slices.Contains(ids, f.id) {
				o.fields = slices.Delete(o.fields, i, i+1)
				return f.value
			}
		}
		return ""
	}
	switch o.category {
	case "login", "password":
		it.Type = vault.TypeLogin
		it.Username, it.Password = o.username, o.password
		for _, u := range o.urls {
			addURL(it, u)
		}
		for i, f := range o.fields {
			if f.kind == "totp" && f.value != "" {
				it.TOTP = strings.TrimSpace(f.value)
				o.fields = slices.Delete(o.fields, i, i+1)
				break
			}
		}
		it.History = o.history
	case "card":
		it.Type = vault.TypeCard
		it.Cardholder, it.Number, it.CVC = take("cardholder"), take("ccnum"), take("cvv")
		it.Expiry, it.PIN = take("expiry"), take("pin")
	case "identity":
		it.Type = vault.TypeAddress
		it.Name = joinNonEmpty(" ", take("firstname"), take("initial"), take("lastname"))
		for i, f := range o.fields {
			if f.kind == "address" && f.id == "address" {
				it.Street, it.City, it.Region, it.Postcode, it.Country = opAddressParts(f.value)
				o.fields = slices.Delete(o.fields, i, i+1)
				break
			}
		}
		it.Phone, it.Email = take("defphone", "cellphone", "homephone", "busphone"), take("email")
	default:
		it.Type = vault.TypeNote
		if o.category != "note" && o.category != "document" {
			it.Fields = append(it.Fields, vault.Field{Name: "Category", Value: o.category})
		}
		// A note has no place for a login's parts: they stay as fields.
		it.Fields = append(it.Fields, nonEmpty("Username", o.username, "Password", o.password)...)
		for _, u := range o.urls {
			it.Fields = append(it.Fields, vault.Field{Name: "URL", Value: u})
		}
	}
	if o.document != "" {
		it.Fields = append(it.Fields, vault.Field{Name: "Attachment (not imported)", Value: o.document})
	}
	for _, f := range o.fields {
		if f.value != "" {
			it.Fields = append(it.Fields, vault.Field{Name: firstNonBlank(f.title, f.id, "Field"), Value: f.value})
		}
	}
	noteIfNoLogin(it)
	return it
}

// opValue turns a 1PUX field value ({"string": …}, {"monthYear": 202206}, …) into text.
func opValue(v map[string]json.RawMessage) (kind, text string) {
	for k, raw := range v {
		kind = k
		switch k {
		case "monthYear":
			var n int
			if json.Unmarshal(raw, &n) == nil && n > 0 {
				return k, fmt.Sprintf("%02d/%02d", n%100, n/100%100)
			}
		case "date":
			var n int64
			if json.Unmarshal(raw, &n) == nil && n != 0 {
				return k, time.Unix(n, 0).UTC().Format(time.DateOnly)
			}
		case "email":
			var e struct {
				Address string `json:"email_address"`
			}
			if json.Unmarshal(raw, &e) == nil {
				return k, e.Address
			}
		case "address":
			var a opAddress
			if json.Unmarshal(raw, &a) == nil {
				return k, a.String()
			}
		}
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return k, s
		}
		return k, anyTextRaw(raw)
	}
	return "", ""
}

func anyTextRaw(raw json.RawMessage) string {
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return string(raw)
	}
	return anyText(v)
}

type opAddress struct {
	Street  string `json:"street"`
	City    string `json:"city"`
	State   string `json:"state"`
	Zip     string `json:"zip"`
	Country string `json:"country"`
}

// String writes the address as 1Password shows it: street, then "city, state zip",
// then the country, one per line.
func (a opAddress) String() string {
	return joinNonEmpty("\n", a.Street, joinNonEmpty(", ", a.City, joinNonEmpty(" ", a.State, a.Zip)), a.Country)
}

// opAddressParts reads back what opAddress.String wrote, for an identity's address.
func opAddressParts(s string) (street []string, city, region, postcode, country string) {
	lines := strings.Split(s, "\n")
	if len(lines) != 3 {
		return streetLines(s), "", "", "", ""
	}
	city, rest, _ := strings.Cut(lines[1], ", ")
	region, postcode, _ = strings.Cut(rest, " ")
	return streetLines(lines[0]), city, region, postcode, lines[2]
}

// 1PUX's export.data.
type opuxExport struct {
	Accounts []struct {
		Vaults []struct {
			Attrs struct {
				Name string `json:"name"`
			} `json:"attrs"`
			Items []json.RawMessage `json:"items"`
		} `json:"vaults"`
	} `json:"accounts"`
}

type opuxItem struct {
	State    string `json:"state"`
	Category string `json:"categoryUuid"`
	FavIndex int    `json:"favIndex"`
	Created  int64  `json:"createdAt"`
	Updated  int64  `json:"updatedAt"`
	Details  struct {
		LoginFields []struct {
			Value       string `json:"value"`
			Name        string `json:"name"`
			Designation string `json:"designation"`
		} `json:"loginFields"`
		Notes    string `json:"notesPlain"`
		Password string `json:"password"`
		Sections []struct {
			Title  string `json:"title"`
			Fields []struct {
				Title string                     `json:"title"`
				ID    string                     `json:"id"`
				Value map[string]json.RawMessage `json:"value"`
			} `json:"fields"`
		} `json:"sections"`
		History []struct {
			Value string `json:"value"`
			Time  int64  `json:"time"`
		} `json:"passwordHistory"`
		Document struct {
			FileName string `json:"fileName"`
		} `json:"documentAttributes"`
	} `json:"details"`
	Overview struct {
		Title string   `json:"title"`
		URL   string   `json:"url"`
		Tags  []string `json:"tags"`
		URLs  []struct {
			URL string `json:"url"`
		} `json:"urls"`
	} `json:"overview"`
}

func read1PUXData(data []byte, r *reader) error {
	var ex opuxExport
	if err := json.Unmarshal(data, &ex); err != nil {
		return fmt.Errorf("the 1Password export's export.data cannot be read, so nothing was imported: %s", jsonReason(err))
	}
	vaults := 0
	for _, a := range ex.Accounts {
		vaults += len(a.Vaults)
	}
	n := 0
	for _, a := range ex.Accounts {
		for _, v := range a.Vaults {
			for _, raw := range v.Items {
				n++
				var x opuxItem
				if err := json.Unmarshal(raw, &x); err != nil {
					r.problemKind(0, n, jsonTitle(raw), Problem{Kind: KindUnreadable, Reason: "the item cannot be read: " + jsonReason(err)})
					continue
				}
				switch x.State {
				case "archived":
					r.skip(SkipArchived)
					continue
				case "deleted", "trashed":
					r.skip(SkipTrash)
					continue
				}
				o := opuxToItem(&x)
				if vaults > 1 && o.folder == "" && len(o.tags) == 0 {
					o.folder = v.Attrs.Name
				}
				r.add(0, n, o.item())
			}
		}
	}
	return nil
}

func opuxToItem(x *opuxItem) *opItem {
	o := &opItem{category: firstNonBlank(opCategories[x.Category], x.Category), title: x.Overview.Title, notes: x.Details.Notes,
		tags: x.Overview.Tags, favourite: x.FavIndex > 0, password: x.Details.Password, document: x.Details.Document.FileName}
	if x.Created > 0 {
		o.created = time.Unix(x.Created, 0).UTC()
	}
	if x.Updated > 0 {
		o.modified = time.Unix(x.Updated, 0).UTC()
	}
	addUnique := func(u string) {
		if u = strings.TrimSpace(u); u != "" && !slices.Contains(o.urls, u) {
			o.urls = append(o.urls, u)
		}
	}
	addUnique(x.Overview.URL)
	for _, u := range x.Overview.URLs {
		addUnique(u.URL)
	}
	for _, f := range x.Details.LoginFields {
		switch {
		case f.Designation == "username" && o.username == "":
			o.username = f.Value
		case f.Designation == "password" && o.password == "":
			o.password = f.Value
		default:
			o.fields = append(o.fields, opField{id: f.Name, title: f.Name, kind: "string", value: f.Value})
		}
	}
	for _, s := range x.Details.Sections {
		for _, f := range s.Fields {
			kind, v := opValue(f.Value)
			o.fields = append(o.fields, opField{id: f.ID, title: f.Title, kind: kind, value: v})
		}
	}
	for _, h := range x.Details.History {
		if h.Value != "" && h.Value != o.password {
			o.history = append(o.history, vault.PastPassword{Password: h.Value, Replaced: time.Unix(h.Time, 0).UTC()})
		}
	}
	slices.SortStableFunc(o.history, func(a, b vault.PastPassword) int { return b.Replaced.Compare(a.Replaced) })
	return o
}

// opifSeparator ends each record of a 1PIF file.
const opifSeparator = "***5642bee8-a5ff-11dc-8314-0800200c9a66***"

type opifRecord struct {
	TypeName   string `json:"typeName"`
	UUID       string `json:"uuid"`
	Title      string `json:"title"`
	Location   string `json:"location"`
	FolderUUID string `json:"folderUuid"`
	Trashed    bool   `json:"trashed"`
	Favorite   int64  `json:"faveIndex"`
	Created    int64  `json:"createdAt"`
	Updated    int64  `json:"updatedAt"`
	Open       struct {
		Tags []string `json:"tags"`
	} `json:"openContents"`
	Secure struct {
		Notes    string `json:"notesPlain"`
		Password string `json:"password"`
		URLs     []struct {
			URL string `json:"url"`
		} `json:"URLs"`
		Fields []struct {
			Name        string `json:"name"`
			Value       any    `json:"value"`
			Designation string `json:"designation"`
		} `json:"fields"`
		Sections []struct {
			Fields []struct {
				K string `json:"k"`
				N string `json:"n"`
				T string `json:"t"`
				V any    `json:"v"`
			} `json:"fields"`
		} `json:"sections"`
		History []struct {
			Value string `json:"value"`
			Time  int64  `json:"time"`
		} `json:"passwordHistory"`
	} `json:"secureContents"`
	SecureRaw jsonObject `json:"-"`
}

func read1PIF(data []byte, r *reader) error {
	var recs []opifRecord
	var raws [][]byte
	for chunk := range strings.SplitSeq(string(data), opifSeparator) {
		chunk = strings.TrimSpace(chunk)
		if chunk == "" {
			continue
		}
		var rec opifRecord
		if err := json.Unmarshal([]byte(chunk), &rec); err != nil {
			r.problemKind(0, len(raws)+1, jsonTitle(json.RawMessage(chunk)), Problem{Kind: KindUnreadable, Reason: "the record cannot be read: " + jsonReason(err)})
			raws = append(raws, nil)
			recs = append(recs, opifRecord{})
			continue
		}
		var secure struct {
			S jsonObject `json:"secureContents"`
		}
		_ = json.Unmarshal([]byte(chunk), &secure) // it decoded above, so it decodes here
		rec.SecureRaw = secure.S
		recs = append(recs, rec)
		raws = append(raws, []byte(chunk))
	}
	folders := map[string]opifRecord{}
	for _, rec := range recs {
		if rec.TypeName == "system.folder.Regular" {
			folders[rec.UUID] = rec
		}
	}
	for i, rec := range recs {
		switch {
		case raws[i] == nil || rec.TypeName == "system.folder.Regular" || rec.TypeName == "system.folder.SavedSearch":
			continue
		case rec.Trashed || rec.TypeName == "system.Tombstone":
			r.skip(SkipTrash)
			continue
		}
		r.add(0, i+1, opifToItem(&rec, opifFolder(rec.FolderUUID, folders)).item())
	}
	return nil
}

// opifFolder is the folder path of a folder UUID, parents first.
func opifFolder(id string, folders map[string]opifRecord) string {
	var path []string
	for depth := 0; id != "" && depth < maxGroupDepth; depth++ {
		f, ok := folders[id]
		if !ok {
			break
		}
		path = append([]string{f.Title}, path...)
		id = f.FolderUUID
	}
	return strings.Join(path, "/")
}

// opifKnown are secureContents keys read into the item, not kept as fields.
var opifKnown = []string{"notesPlain", "password", "URLs", "fields", "sections", "passwordHistory", "htmlForm", "htmlMethod", "htmlAction", "htmlID", "htmlName"}

func opifToItem(rec *opifRecord, folder string) *opItem {
	o := &opItem{category: firstNonBlank(opCategories[rec.TypeName], rec.TypeName), title: rec.Title, folder: folder,
		notes: rec.Secure.Notes, password: rec.Secure.Password, tags: rec.Open.Tags, favourite: rec.Favorite > 0}
	if rec.Created > 0 {
		o.created = time.Unix(rec.Created, 0).UTC()
	}
	if rec.Updated > 0 {
		o.modified = time.Unix(rec.Updated, 0).UTC()
	}
	for _, u := range rec.Secure.URLs {
		if !slices.Contains(o.urls, u.URL) && u.URL != "" {
			o.urls = append(o.urls, u.URL)
		}
	}
	if len(o.urls) == 0 && rec.Location != "" {
		o.urls = append(o.urls, rec.Location)
	}
	for _, f := range rec.Secure.Fields {
		v := anyText(f.Value)
		switch {
		case f.Designation == "username" && o.username == "":
			o.username = v
		case f.Designation == "password" && o.password == "":
			o.password = v
		default:
			o.fields = append(o.fields, opField{id: f.Name, title: f.Name, kind: "string", value: v})
		}
	}
	o.fields = append(o.fields, opifSections(rec)...)
	o.fields = append(o.fields, opifTopLevel(rec)...)
	if mm, yy := opifTake(o, "expiry_mm"), opifTake(o, "expiry_yy"); mm != "" || yy != "" {
		o.fields = append(o.fields, opField{id: "expiry", title: "expiry", value: firstNonBlank(cardExpiry(mm, yy), mm+"/"+yy)})
	}
	for _, h := range rec.Secure.History {
		if h.Value != "" && h.Value != o.password {
			o.history = append(o.history, vault.PastPassword{Password: h.Value, Replaced: time.Unix(h.Time, 0).UTC()})
		}
	}
	slices.SortStableFunc(o.history, func(a, b vault.PastPassword) int { return b.Replaced.Compare(a.Replaced) })
	return o
}

// opifSections reads the fields of a record's sections.
func opifSections(rec *opifRecord) []opField {
	var out []opField
	for _, s := range rec.Secure.Sections {
		for _, f := range s.Fields {
			v := anyText(f.V)
			if f.K == "address" {
				var a opAddress
				if b, err := json.Marshal(f.V); err == nil && json.Unmarshal(b, &a) == nil {
					v = a.String()
				}
			}
			kind := f.K
			if strings.HasPrefix(f.N, "TOTP_") {
				kind = "totp"
			}
			out = append(out, opField{id: f.N, title: f.T, kind: kind, value: v})
		}
	}
	return out
}

// opifTopLevel reads the details older records keep at the top of secureContents
// (a card's ccnum, an identity's firstname), in a stable order.
func opifTopLevel(rec *opifRecord) []opField {
	keys := make([]string, 0, len(rec.SecureRaw))
	for k := range rec.SecureRaw {
		if !slices.Contains(opifKnown, k) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	out := make([]opField, 0, len(keys))
	for _, k := range keys {
		out = append(out, opField{id: k, title: k, kind: "string", value: anyText(rec.SecureRaw[k])})
	}
	return out
}

func opifTake(o *opItem, id string) string {
	for i, f := range o.fields {
		if f.id == id {
			o.fields = slices.Delete(o.fields, i, i+1)
			return f.value
		}
	}
	return ""
}

// is1PIF says whether data looks like a 1PIF file: JSON records and the separator.
func is1PIF(data []byte) bool {
	return bytes.Contains(firstBytes(data, 64<<10), []byte(opifSeparator))
}
