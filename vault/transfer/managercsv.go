package transfer

import (
	"strconv"
	"strings"

	"github.com/valvpm/valv/vault"
)

// The CSV exports of password managers other than browsers. Where an export mixes
// kinds of item in one table (NordPass, Dashlane's payments and personal info) or
// writes a row's values past its header (RoboForm, Enpass, Zoho), a build function
// reads the row; the rest are column maps.
var managerCSVProfiles = []*csvProfile{
	onePasswordWinProfile, onePasswordMacProfile,
	{
		// Dashlane credentials.csv: username,username2,username3,title,password,note,
		// url,category,otpSecret (otpUrl in newer versions).
		format:   FormatDashlaneCSV,
		required: []string{"username", "title", "password", "note", "url", "category"},
		columns: map[string]target{
			"username": toUsername, "title": toTitle, "password": toPassword, "note": toNotes,
			"url": toURL, "category": toFolder, "otpsecret": toTOTP, "otpurl": toTOTP,
		},
	},
	{
		// Dashlane payments.csv: cards and bank accounts.
		format:   FormatDashlaneCSV,
		required: []string{"type", "account_name", "cc_number", "code", "expiration_month", "expiration_year"},
		build:    buildDashlanePayment,
	},
	{
		// Dashlane personalInfo.csv: names, e-mail addresses, numbers, addresses, sites.
		format:   FormatDashlaneCSV,
		required: []string{"type", "title", "first_name", "last_name", "email", "phone_number", "address", "item_name"},
		build:    buildDashlanePersonal,
	},
	{
		// Dashlane ids.csv: passports, ID cards, driving licences: notes with fields.
		format:   FormatDashlaneCSV,
		required: []string{"type", "number", "name", "issue_date", "expiration_date"},
		build: func(r *csvRow) (*vault.Item, SkipKind, error) {
			kind := r.take("type")
			it := &vault.Item{Type: vault.TypeNote, Title: joinNonEmpty(" ", kind, r.peek("name"))}
			it.Fields = append(it.Fields, r.rest()...)
			return it, "", nil
		},
	},
	{
		// Dashlane securenotes.csv: title,note.
		format: FormatDashlaneCSV,
		exact:  []string{"title", "note"},
		build: func(r *csvRow) (*vault.Item, SkipKind, error) {
			return &vault.Item{Type: vault.TypeNote, Title: r.take("title"), Notes: r.take("note"), Fields: r.rest()}, "", nil
		},
	},
	{
		// Dashlane's old export: no header; title,url,username,password,note.
		format:   FormatDashlaneCSV,
		names:    []string{"title", "url", "username", "password", "note"},
		longRows: true,
		sniff:    sniffColumns(1, 6, 1),
		build: func(r *csvRow) (*vault.Item, SkipKind, error) {
			it := &vault.Item{Type: vault.TypeLogin, Title: r.take("title"), Username: r.take("username"), Password: r.take("password"), Notes: r.take("note")}
			addURL(it, r.take("url"))
			return extraFields(it, r), "", nil
		},
	},
	{
		// NordPass: one table for logins, cards, identities, notes and folders.
		format:   FormatNordPassCSV,
		required: []string{"name", "url", "username", "password", "note", "cardholdername", "cardnumber", "folder"},
		build:    buildNordPass,
	},
	{
		// Enpass: "Title","Field","Value",…,"Note": a row is its title, then as many
		// name and value pairs as the item has, then its note.
		format:   FormatEnpassCSV,
		required: []string{"title", "field", "value", "note"},
		longRows: true,
		build:    buildEnpassCSV,
	},
	{
		// RoboForm: Name,Url,[MatchUrl,]Login,Pwd,Note,Folder,Rf_fields|RfFieldsV2, the
		// form fields continuing past the header.
		format:   FormatRoboFormCSV,
		required: []string{"name", "url", "login", "pwd", "note", "folder", "rf_fields|rffieldsv2"},
		longRows: true,
		build:    buildRoboForm,
	},
	{
		// Keeper: no header; folder,title,login,password,url,notes,shared folder, then
		// custom field name and value pairs.
		format:   FormatKeeperCSV,
		names:    []string{"folder", "title", "login", "password", "url", "notes", "shared folder"},
		longRows: true,
		sniff:    sniffColumns(7, 0, 4),
		build:    buildKeeperCSV,
	},
	{
		// KeePass 1.x: "Account","Login Name","Password","Web Site","Comments".
		format:   FormatKeePassCSV,
		required: []string{"account", "login name", "password", "web site", "comments"},
		columns: map[string]target{
			"account": toTitle, "login name": toUsername, "password": toPassword, "web site": toURL,
			"comments": toNotes, "uuid": toIgnore, "icon": toIgnore,
			"creation time": toCreated, "last modification": toModified,
		},
	},
	{
		// SafeInCloud: "Title","Login","Password","URL","Notes","OTP".
		format:    FormatSafeInCloudCSV,
		required:  []string{"title", "login", "password", "url", "notes"},
		forbidden: []string{"username"},
		columns: map[string]target{
			"title": toTitle, "login": toUsername, "password": toPassword, "url": toURL,
			"notes": toNotes, "otp": toTOTP, "folder": toFolder, "favorite": toFavourite,
		},
	},
	{
		// Zoho Vault's current export: the secret's fields as "Key:Value" lines.
		format:   FormatZohoCSV,
		required: []string{"secret name", "secret url", "secretdata", "notes", "customdata"},
		longRows: true, // rows end with an empty column the header does not name
		build:    buildZohoVault,
	},
	{
		// Zoho Vault's older export: "Secret Name","Secret URL","Notes" then, past the
		// header, the user name, the password and any further fields.
		format:   FormatZohoCSV,
		exact:    []string{"secret name", "secret url", "notes"},
		longRows: true,
		build:    buildZohoOld,
	},
}

// sniffColumns recognises a headerless export by its rows: every row has at least
// minCols fields (and at most maxCols, when set), and the URL column (urlCol) holds a
// web address in some row and nothing else in any.
func sniffColumns(minCols, maxCols, urlCol int) func(rows [][]string) bool {
	return func(rows [][]string) bool {
		urls := 0
		for _, r := range rows {
			if len(r) < minCols || (maxCols > 0 && len(r) > maxCols) {
				return false
			}
			if urlCol >= len(r) || r[urlCol] == "" {
				continue
			}
			if !strings.HasPrefix(r[urlCol], "http://") && !strings.HasPrefix(r[urlCol], "https://") {
				return false
			}
			urls++
		}
		return urls > 0
	}
}

// extraFields keeps the row's unused columns and values past the header as fields,
// and makes an entry with no login detail a note.
func extraFields(it *vault.Item, r *csvRow) *vault.Item {
	it.Fields = append(it.Fields, r.rest()...)
	for i, v := range r.extra {
		if strings.TrimSpace(v) != "" {
			it.Fields = append(it.Fields, vault.Field{Name: "Field " + strconv.Itoa(len(r.header)+i+1), Value: v})
		}
	}
	noteIfNoLogin(it)
	return it
}

// noteIfNoLogin makes a login with no user name, password, address or TOTP a note.
func noteIfNoLogin(it *vault.Item) {
	if it.Type == vault.TypeLogin && it.Username == "" && it.Password == "" && len(it.URLs) == 0 && it.TOTP == "" {
		it.Type = vault.TypeNote
	}
}

func buildDashlanePayment(r *csvRow) (*vault.Item, SkipKind, error) {
	kind := strings.ToLower(strings.TrimSpace(r.take("type")))
	it := &vault.Item{Title: r.take("account_name")}
	if kind == "credit_card" || kind == "payment_card" {
		it.Type = vault.TypeCard
		it.Cardholder = firstNonBlank(r.take("account_holder"), it.Title)
		it.Number = r.take("cc_number")
		it.CVC = r.take("code")
		it.Expiry = cardExpiry(r.take("expiration_month"), r.take("expiration_year"))
	} else {
		it.Type = vault.TypeNote
		if kind != "" {
			it.Fields = append(it.Fields, vault.Field{Name: "type", Value: kind})
		}
	}
	it.Fields = append(it.Fields, r.rest()...)
	return it, "", nil
}

func buildDashlanePersonal(r *csvRow) (*vault.Item, SkipKind, error) {
	kind := strings.ToLower(strings.TrimSpace(r.take("type")))
	it := &vault.Item{Type: vault.TypeAddress, Title: r.take("item_name")}
	switch kind {
	case "website":
		it.Type = vault.TypeLogin
		addURL(it, r.take("url"))
	case "name":
		it.Name = joinNonEmpty(" ", r.take("title"), r.take("first_name"), r.take("middle_name"), r.take("last_name"))
	default:
		it.Name = r.take("address_recipient")
		it.Email = r.take("email")
		it.Phone = r.take("phone_number")
		it.Street = streetLines(joinNonEmpty("\n", r.take("address"), r.take("address_building")))
		it.City, it.Region, it.Postcode, it.Country = r.take("city"), r.take("state"), r.take("zip"), r.take("country")
	}
	if it.Title == "" {
		it.Title = firstNonBlank(it.Name, it.Email, it.Phone, kind)
	}
	it.Fields = append(it.Fields, r.rest()...)
	return it, "", nil
}

func buildNordPass(r *csvRow) (*vault.Item, SkipKind, error) {
	kind := strings.ToLower(strings.TrimSpace(r.take("type")))
	it := &vault.Item{Title: r.take("name"), Folder: r.take("folder"), Notes: r.take("note")}
	if kind == "folder" || (kind == "" && it.Folder == "" && it.Notes == "" && !r.filled()) {
		return nil, SkipFolder, nil // a folder is made by the items in it
	}
	switch {
	case kind == "credit_card" || r.peek("cardnumber", "cardholdername") != "":
		it.Type = vault.TypeCard
		it.Cardholder, it.Number, it.CVC = r.take("cardholdername"), r.take("cardnumber"), r.take("cvc")
		it.Expiry = strings.ReplaceAll(r.take("expirydate"), " ", "")
	case kind == "identity" || r.peek("full_name", "address1", "phone_number", "email", "city") != "":
		it.Type = vault.TypeAddress
		it.Name, it.Email, it.Phone = r.take("full_name"), r.take("email"), r.take("phone_number")
		it.Street = streetLines(joinNonEmpty("\n", r.take("address1"), r.take("address2")))
		it.City, it.Region, it.Postcode, it.Country = r.take("city"), r.take("state"), r.take("zipcode"), r.take("country")
	default:
		it.Type = vault.TypeLogin
		it.Username, it.Password = r.take("username"), r.take("password")
		addURL(it, r.take("url"))
		noteIfNoLogin(it)
	}
	it.Fields = append(it.Fields, r.rest()...)
	return it, "", nil
}

// loginKeys are the names exports give a login's parts, lower case.
var loginKeys = map[string]string{
	"username": "username", "user name": "username", "login": "username", "user id": "username", "email": "username", "e-mail": "username",
	"password": "password", "url": "url", "website": "url", "web site": "url",
	"totp": "totp", "one-time code": "totp", "otp": "totp",
}

// setLoginPart puts a named value where loginKeys says, or in a field. A second
// value for a part already set is kept as a field, so nothing is lost.
func setLoginPart(it *vault.Item, name, value string) {
	setLoginPartAs(it, loginKeys[strings.ToLower(strings.TrimSpace(name))], name, value)
}

// setLoginPartAs is setLoginPart for a source that says which part a value is
// ("username", "password", "url", "totp", or "" for none).
func setLoginPartAs(it *vault.Item, part, name, value string) {
	if strings.TrimSpace(value) == "" {
		return
	}
	switch part {
	case "username":
		if it.Username == "" {
			it.Username = value
			return
		}
	case "password":
		if it.Password == "" {
			it.Password = value
			return
		}
	case "url":
		if len(it.URLs) == 0 {
			addURL(it, value)
			return
		}
	case "totp":
		if it.TOTP == "" {
			it.TOTP = strings.TrimSpace(value)
			return
		}
	}
	it.Fields = append(it.Fields, vault.Field{Name: name, Value: value})
}

func buildEnpassCSV(r *csvRow) (*vault.Item, SkipKind, error) {
	f := r.raw
	it := &vault.Item{Type: vault.TypeLogin}
	if len(f) > 0 {
		it.Title = f[0]
	}
	pairs := f[min(1, len(f)):]
	if len(pairs)%2 == 1 { // a note closes the row
		it.Notes = pairs[len(pairs)-1]
		pairs = pairs[:len(pairs)-1]
	}
	for i := 0; i+1 < len(pairs); i += 2 {
		setLoginPart(it, pairs[i], pairs[i+1])
	}
	noteIfNoLogin(it)
	return it, "", nil
}

func buildRoboForm(r *csvRow) (*vault.Item, SkipKind, error) {
	it := &vault.Item{Type: vault.TypeLogin, Title: r.take("name"), Username: r.take("login"), Password: r.take("pwd"), Notes: r.take("note")}
	it.Folder = strings.Trim(r.take("folder"), "/")
	addURL(it, r.take("url"))
	addURL(it, r.take("matchurl"))
	rf := append([]string{r.take("rf_fields", "rffieldsv2")}, r.extra...)
	for _, s := range rf {
		name, kind, value := roboFormField(s)
		if value == "" || (kind == "txt" && value == it.Username) || (kind == "pwd" && value == it.Password) {
			continue // the login's own user name and password, repeated as form fields
		}
		it.Fields = append(it.Fields, vault.Field{Name: name, Value: value})
	}
	it.Fields = append(it.Fields, r.rest()...)
	noteIfNoLogin(it)
	return it, "", nil
}

// roboFormField reads "User ID$:txt:value" (Rf_fields) or "User ID$,,,txt,value"
// (RfFieldsV2): the field's name, its kind and its value.
func roboFormField(s string) (name, kind, value string) {
	if n, rest, ok := strings.Cut(s, "$:"); ok {
		kind, value, _ = strings.Cut(rest, ":")
		return n, kind, value
	}
	if n, rest, ok := strings.Cut(s, "$,"); ok {
		parts := strings.SplitN(rest, ",", 4)
		if len(parts) == 4 {
			return n, parts[2], parts[3]
		}
	}
	return "Field", "", s
}

func buildKeeperCSV(r *csvRow) (*vault.Item, SkipKind, error) {
	it := &vault.Item{Type: vault.TypeLogin, Folder: r.take("folder"), Title: r.take("title"), Username: r.take("login"),
		Password: r.take("password"), Notes: r.take("notes")}
	addURL(it, r.take("url"))
	if sf := r.take("shared folder"); sf != "" {
		it.Fields = append(it.Fields, vault.Field{Name: "Shared folder", Value: sf})
		it.Folder = firstNonBlank(it.Folder, sf)
	}
	for i := 0; i+1 < len(r.extra); i += 2 {
		if r.extra[i] == "TFC:Keeper" {
			it.TOTP = strings.TrimSpace(r.extra[i+1]) // Keeper's name for the TOTP column
			continue
		}
		setLoginPart(it, r.extra[i], r.extra[i+1])
	}
	noteIfNoLogin(it)
	return it, "", nil
}

func buildZohoVault(r *csvRow) (*vault.Item, SkipKind, error) {
	it := &vault.Item{Type: vault.TypeLogin, Title: r.take("secret name"), Notes: r.take("notes"), Folder: r.take("chambername")}
	addURL(it, r.take("secret url"))
	it.Favourite = truthy(r.take("favorite"))
	for _, block := range []string{r.take("secretdata"), r.take("customdata")} {
		for line := range strings.SplitSeq(block, "\n") {
			k, v, ok := strings.Cut(strings.TrimRight(line, "\r"), ":")
			if !ok || k == "SecretType" {
				continue
			}
			setLoginPart(it, k, v)
		}
	}
	r.drop("classification")
	return extraFields(it, r), "", nil
}

func buildZohoOld(r *csvRow) (*vault.Item, SkipKind, error) {
	it := &vault.Item{Type: vault.TypeLogin, Title: r.take("secret name"), Notes: r.take("notes")}
	addURL(it, r.take("secret url"))
	if len(r.extra) > 0 {
		it.Username = r.extra[0]
	}
	if len(r.extra) > 1 {
		it.Password = r.extra[1]
	}
	for i, v := range r.extra[min(2, len(r.extra)):] {
		if strings.TrimSpace(v) != "" {
			it.Fields = append(it.Fields, vault.Field{Name: "Field " + strconv.Itoa(i+1), Value: v})
		}
	}
	noteIfNoLogin(it)
	return it, "", nil
}

// firstNonBlank returns the first non-blank value.
func firstNonBlank(values ...string) string {
	for _, v := range values {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}
