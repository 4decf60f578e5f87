package transfer

import (
	"slices"
	"strings"

	"github.com/valvpm/valv/vault"
)

// The CSV exports Valv reads, from the most specific header to the least: Detect takes
// the first profile whose required columns are all present. Column names follow each
// product's documentation of its export. The password managers' own exports
// (managercsv.go) come first: several carry a browser's column names among theirs.
var csvProfiles = slices.Concat(managerCSVProfiles, baseCSVProfiles)

var baseCSVProfiles = []*csvProfile{
	{
		// Bitwarden: folder,favorite,type,name,notes,fields,reprompt,login_uri,
		// login_username,login_password,login_totp (organisation exports add collections).
		format:   FormatBitwardenCSV,
		required: []string{"type", "name", "login_uri", "login_username", "login_password"},
		columns: map[string]target{
			"folder": toFolder, "favorite": toFavourite, "type": toType, "name": toTitle,
			"notes": toNotes, "fields": toFieldList, "reprompt": toFlag, "login_uri": toURLs,
			"login_username": toUsername, "login_password": toPassword, "login_totp": toTOTP,
			"collections": toIgnore, // read by fixBitwarden
		},
		fix: fixBitwarden,
	},
	{
		// Firefox: url,username,password,httpRealm,formActionOrigin,guid,timeCreated,
		// timeLastUsed,timePasswordChanged. The GUID and last-use time are Firefox's own
		// bookkeeping; the realm and form origin are kept as fields.
		format:   FormatFirefox,
		required: []string{"url", "username", "password", "httprealm|formactionorigin"},
		columns: map[string]target{
			"url": toURL, "username": toUsername, "password": toPassword,
			"guid": toIgnore, "timecreated": toCreated, "timelastused": toIgnore,
			"timepasswordchanged": toModified,
		},
	},
	{
		// LastPass: url,username,password,totp,extra,name,grouping,fav. Secure notes
		// have the URL http://sn and their text (typed or structured) in extra.
		format:   FormatLastPassCSV,
		required: []string{"url", "username", "password", "extra", "name", "grouping"},
		columns: map[string]target{
			"url": toURL, "username": toUsername, "password": toPassword, "totp": toTOTP,
			"extra": toNotes, "name": toTitle, "grouping": toFolder, "fav": toFavourite,
		},
		fix: fixLastPass,
	},
	{
		// KeePassXC: Group,Title,Username,Password,URL,Notes,TOTP,Icon,Last Modified,Created.
		format:   FormatKeePassXCCSV,
		required: []string{"group", "title", "username", "password", "url"},
		columns: map[string]target{
			"group": toGroupPath, "title": toTitle, "username": toUsername, "password": toPassword,
			"url": toURL, "notes": toNotes, "totp": toTOTP, "icon": toIgnore,
			"last modified": toModified, "created": toCreated,
		},
	},
	{
		// 1Password 6: its Type column is the item's category, kept as a field.
		format:   Format1PasswordCSV,
		required: []string{"ainfo", "title", "password"},
		columns: map[string]target{
			"title": toTitle, "url": toURL, "username": toUsername, "password": toPassword,
			"notes": toNotes, "uuid": toIgnore, "scope": toIgnore, "autosubmit": toIgnore,
		},
	},
	{
		// 1Password 4: the same names as Safari's, in another order.
		format: Format1PasswordCSV,
		exact:  []string{"title", "notes", "username", "password", "url"},
		columns: map[string]target{
			"title": toTitle, "url": toURL, "username": toUsername, "password": toPassword, "notes": toNotes,
		},
	},
	{
		// 1Password 8: Title,Url,Username,Password,OTPAuth,Favorite,Archived,Tags,Notes
		// (1Password 7 wrote Website for Url). Archived is kept as a field when set.
		format:   Format1PasswordCSV,
		required: []string{"title", "url|website", "username", "password", "archived|tags|favorite"},
		columns: map[string]target{
			"title": toTitle, "url": toURL, "website": toURL, "username": toUsername,
			"password": toPassword, "otpauth": toTOTP, "one-time password": toTOTP,
			"favorite": toFavourite, "archived": toFlag, "tags": toTags, "notes": toNotes,
		},
	},
	{
		// Safari (and macOS Passwords): Title,URL,Username,Password,Notes,OTPAuth.
		format:   FormatSafari,
		required: []string{"title", "url", "username", "password"},
		columns: map[string]target{
			"title": toTitle, "url": toURL, "username": toUsername, "password": toPassword,
			"notes": toNotes, "otpauth": toTOTP,
		},
	},
	{
		// Chrome, Edge, Brave: name,url,username,password[,note]. This is also the
		// format Valv's CSV export writes.
		format:   FormatChrome,
		required: []string{"name", "url", "username", "password"},
		columns: map[string]target{
			"name": toTitle, "url": toURL, "username": toUsername, "password": toPassword,
			"note": toNotes, "notes": toNotes,
		},
	},
}

// fixBitwarden makes every type but login a note ("note", and any type a newer
// Bitwarden adds: nothing is lost), and files an organisation's item without a folder
// under its first collection.
func fixBitwarden(it *vault.Item, rec map[string]string) error {
	if t := strings.ToLower(strings.TrimSpace(rec["type"])); t != "" && t != "login" {
		asNote(it)
	}
	cols := strings.TrimSpace(rec["collections"])
	if cols == "" {
		return nil
	}
	first, _, more := strings.Cut(cols, ",")
	if it.Folder == "" {
		it.Folder = strings.TrimSpace(first)
	}
	if more || it.Folder != strings.TrimSpace(first) {
		it.Fields = append(it.Fields, vault.Field{Name: "collections", Value: cols})
	}
	return nil
}

// lastPassNote is the URL LastPass gives secure notes.
const lastPassNote = "http://sn"

// fixLastPass turns LastPass secure notes into notes, and its structured notes
// (NoteType:Credit Card, NoteType:Address, …) into cards, addresses, or notes whose
// "Key:Value" lines become fields.
func fixLastPass(it *vault.Item, _ map[string]string) error {
	if len(it.URLs) != 1 || it.URLs[0] != lastPassNote {
		return nil
	}
	it.URLs = nil
	extra := it.Notes
	asNote(it)
	it.Notes = extra
	if !strings.HasPrefix(extra, "NoteType:") {
		return nil
	}
	kv, notes := parseLastPassNote(extra)
	it.Notes = notes
	switch kv.get("NoteType") {
	case "Credit Card":
		it.Type = vault.TypeCard
		it.Cardholder = kv.take("Name on Card")
		it.Number = kv.take("Number")
		it.CVC = kv.take("Security Code")
		it.Expiry = lastPassExpiry(kv.take("Expiration Date"))
	case "Address":
		it.Type = vault.TypeAddress
		var name []string
		for _, k := range []string{"First Name", "Middle Name", "Last Name"} {
			if v := kv.take(k); v != "" {
				name = append(name, v)
			}
		}
		it.Name = strings.Join(name, " ")
		for _, k := range []string{"Address 1", "Address 2", "Address 3"} {
			if v := kv.take(k); v != "" {
				it.Street = append(it.Street, v)
			}
		}
		it.City = kv.take("City / Town")
		it.Region = kv.take("State")
		it.Postcode = kv.take("Zip / Postal Code")
		it.Country = kv.take("Country")
		it.Email = kv.take("Email Address")
		it.Phone = kv.take("Phone")
	}
	kv.take("NoteType")
	kv.take("Language")
	for _, f := range kv {
		if f.Value != "" && f.Value != "," {
			it.Fields = append(it.Fields, f)
		}
	}
	return nil
}

// fieldList is an ordered list of named values; take removes and returns one.
type fieldList []vault.Field

func (l fieldList) get(name string) string {
	for _, f := range l {
		if f.Name == name {
			return f.Value
		}
	}
	return ""
}

func (l *fieldList) take(name string) string {
	for i, f := range *l {
		if f.Name == name {
			*l = append((*l)[:i], (*l)[i+1:]...)
			return f.Value
		}
	}
	return ""
}

// parseLastPassNote splits a structured note into its "Key:Value" lines and its free
// text, which follows "Notes:" to the end.
func parseLastPassNote(s string) (fieldList, string) {
	var kv fieldList
	lines := strings.Split(s, "\n")
	for i, line := range lines {
		k, v, ok := strings.Cut(strings.TrimRight(line, "\r"), ":")
		if !ok {
			if len(kv) > 0 {
				kv[len(kv)-1].Value += "\n" + line
			}
			continue
		}
		if k == "Notes" {
			return kv, strings.Join(append([]string{v}, lines[i+1:]...), "\n")
		}
		kv = append(kv, vault.Field{Name: k, Value: v})
	}
	return kv, ""
}

var months = map[string]string{"january": "01", "february": "02", "march": "03", "april": "04",
	"may": "05", "june": "06", "july": "07", "august": "08", "september": "09",
	"october": "10", "november": "11", "december": "12"}

// lastPassExpiry turns "January,2026" into "01/26"; other text is returned as is (and
// kept in a field by finish if it is not a valid expiry).
func lastPassExpiry(s string) string {
	m, y, ok := strings.Cut(s, ",")
	if mm, known := months[strings.ToLower(strings.TrimSpace(m))]; ok && known && len(strings.TrimSpace(y)) == 4 {
		return mm + "/" + strings.TrimSpace(y)[2:]
	}
	if strings.Trim(s, ", ") == "" {
		return ""
	}
	return s
}
