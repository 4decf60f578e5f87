package transfer

import (
	"regexp"
	"strings"

	"github.com/valvpm/valv/vault"
)

// 1Password's CSV exports, by version:
//   - 8: Title,Url,Username,Password,OTPAuth,Favorite,Archived,Tags,Notes (a plain
//     profile in csvformats.go);
//   - 7 for Windows: "UUID","TITLE",…,"SCOPE","AUTOSUBMIT" then the category's own
//     columns, named by section: "1: CARDHOLDER NAME", "NAME 1: FIRST NAME";
//   - 7 for Mac: every column of every category, named "label(key)" — "number(ccnum)" —
//     with a Type column, Unix times, tags written as a property list ({( "a", "b" )})
//     and quotes inside quoted fields escaped with a backslash;
//   - 6: lower-case keys (ainfo, uuid, scope, …) plus Title, URL, Username, Password;
//   - 4: exactly title,notes,username,password,url.
//
// Versions 6 to 8 hold one kind of item per row — login, card, identity, note — so the
// 7 reader sorts each row by its category and maps its columns to Valv's card and
// address; columns with no place of their own stay as fields.

// The 1Password 7 profiles come before every other CSV profile: their headers hold
// Title, URL, Username and Password among a hundred other columns.
var onePasswordWinProfile = &csvProfile{
	format:   Format1PasswordCSV,
	required: []string{"uuid", "title", "scope", "autosubmit"},
	// 1Password 6 has these columns too, with its own lower-case ones.
	forbidden: []string{"ainfo"},
	rename:    renameOnePasswordWin,
	build:     buildOnePassword7,
}

var onePasswordMacProfile = &csvProfile{
	format:          Format1PasswordCSV,
	required:        []string{"title", "type", "tags", "created date", "modified date"},
	rename:          renameOnePasswordMac,
	build:           buildOnePassword7,
	backslashQuotes: true,
}

// onePasswordWinColumn strips a Windows export's section prefix: "NAME 1: FIRST NAME"
// and "1: CARDHOLDER NAME" are "first name" and "cardholder name"; a section heading
// ("SECTION 2: ADDRESS") is "section".
var onePasswordWinColumn = regexp.MustCompile(`^(?:(section) \d+: .*|(?:[^:]* )?\d+: (.*))$`)

func renameOnePasswordWin(name string) string {
	m := onePasswordWinColumn.FindStringSubmatch(name)
	switch {
	case m == nil:
		return name
	case m[1] != "":
		return "section"
	}
	return m[2]
}

// onePasswordMacColumn is "label(key)": the key names the field.
var onePasswordMacColumn = regexp.MustCompile(`^.*\(([^()]+)\)$`)

func renameOnePasswordMac(name string) string {
	if m := onePasswordMacColumn.FindStringSubmatch(name); m != nil {
		return strings.ToLower(m[1])
	}
	return name
}

// The column names 1Password 7 gives each detail, Mac key first, then Windows label.
var (
	op7Cardholder = []string{"cardholder", "cardholder name"}
	op7Number     = []string{"ccnum", "number"}
	op7CVC        = []string{"cvv", "verification number"}
	op7Expiry     = []string{"expiry", "expiry date"}
	op7First      = []string{"firstname", "first name"}
	op7Initial    = []string{"initial"}
	op7Last       = []string{"lastname", "last name"}
	op7Address    = []string{"address"}
	op7Phone      = []string{"defphone", "default phone"}
	op7Email      = []string{"email"}
)

// buildOnePassword7 reads one row of a 1Password 7 export (either platform).
func buildOnePassword7(r *csvRow) (*vault.Item, SkipKind, error) {
	it := &vault.Item{Title: r.take("title"), Notes: r.take("notes")}
	folder, tags := onePasswordTags(r.take("tags"))
	it.Folder = folder
	if t, ok := parseTime(r.take("created date")); ok {
		it.Created = t
	}
	if t, ok := parseTime(r.take("modified date")); ok {
		it.Modified = t
	}
	r.drop("uuid", "scope", "autosubmit", "section")
	category := strings.ToLower(strings.TrimSpace(r.take("type")))
	switch {
	case category == "credit card" || (category == "" && r.peek(append(op7Number, op7Cardholder...)...) != ""):
		it.Type = vault.TypeCard
		it.Cardholder = r.take(op7Cardholder...)
		it.Number = r.take(op7Number...)
		it.CVC = r.take(op7CVC...)
		it.Expiry = r.take(op7Expiry...)
		it.PIN = r.take("pin")
	case category == "identity" || (category == "" && r.peek(append(op7First, op7Last...)...) != ""):
		it.Type = vault.TypeAddress
		it.Name = joinNonEmpty(" ", r.take(op7First...), r.take(op7Initial...), r.take(op7Last...))
		it.Street = streetLines(r.take(op7Address...))
		it.Phone = r.take(op7Phone...)
		it.Email = r.take(op7Email...)
	case category == "" || category == "login" || category == "password":
		it.Type = vault.TypeLogin
		it.Username = r.take("username")
		it.Password = r.take("password")
		addURL(it, r.take("url"))
		for u := range strings.SplitSeq(r.take("urls"), "\n") {
			addURL(it, u)
		}
		it.TOTP = strings.TrimSpace(r.take("one-time password", "otp"))
		if it.Username == "" && it.Password == "" && len(it.URLs) == 0 && it.TOTP == "" {
			it.Type = vault.TypeNote
		}
	default:
		// A secure note, or a category Valv has no type for (bank account, licence):
		// a note, its details kept as fields.
		it.Type = vault.TypeNote
		if category != "secure note" {
			it.Fields = append(it.Fields, vault.Field{Name: "Category", Value: category})
		}
	}
	it.Fields = append(it.Fields, r.rest()...)
	if tags != "" {
		it.Fields = append(it.Fields, vault.Field{Name: "Tags", Value: tags})
	}
	return it, "", nil
}

// onePasswordTags reads a Tags column: "a,b" (Windows, 8) or a property list
// {(\n    "a",\n    b\n)} (Mac). The first tag is the folder; with more than one, all
// are returned as a list to keep in a field.
func onePasswordTags(s string) (folder, all string) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "{(") && strings.HasSuffix(s, ")}") {
		s = strings.TrimSpace(s[2 : len(s)-2])
	}
	var tags []string
	for t := range strings.SplitSeq(s, ",") {
		if t = strings.Trim(strings.TrimSpace(t), `"`); t != "" {
			tags = append(tags, t)
		}
	}
	switch len(tags) {
	case 0:
		return "", ""
	case 1:
		return tags[0], ""
	}
	return tags[0], strings.Join(tags, ", ")
}
