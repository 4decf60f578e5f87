package transfer

import (
	"archive/zip"
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// BenchmarkImport10kFormats times a 10 000-entry import of each format the importers
// of other password managers read, through benchImport's budget (a vault of 1 000
// items, one AddAll transaction). Each entry is distinct; %[1]d is its number.
// The .kdbx database uses Argon2id at 1 MiB and one pass, so its own key derivation
// adds milliseconds, not the seconds a real database is tuned to.
func BenchmarkImport10kFormats(b *testing.B) {
	csv := func(header, row string) func(testing.TB) []byte {
		return func(testing.TB) []byte { return repeatRows(header, row, "", "", benchRows) }
	}
	for _, c := range []struct {
		name string
		data func(testing.TB) []byte
		opts ImportOptions
	}{
		{name: "dashlane-csv", data: csv("username,username2,username3,title,password,note,url,category,otpSecret\n",
			"user%[1]d,,,site %[1]d,\"p,%[1]d\",\"note %[1]d\nline 2\",https://s%[1]d.example,Cat,\n")},
		{name: "nordpass-csv", data: csv("name,url,username,password,note,cardholdername,cardnumber,cvc,expirydate,zipcode,folder,full_name,phone_number,email,address1,address2,city,country,state\n",
			"site %[1]d,https://s%[1]d.example,user%[1]d,\"p,%[1]d\",note %[1]d,,,,,,Folder,,,,,,,,\n")},
		{name: "enpass-csv", data: csv("\"Title\",\"Field\",\"Value\",\"Field\",\"Value\",.........,\"Note\"\n",
			"\"site %[1]d\",\"Username\",\"user%[1]d\",\"Password\",\"p,%[1]d\",\"URL\",\"https://s%[1]d.example\",\"note %[1]d\"\n")},
		{name: "roboform-csv", data: csv("Name,Url,Login,Pwd,Note,Folder,Rf_fields\n",
			"site %[1]d,https://s%[1]d.example,user%[1]d,\"p,%[1]d\",,/F,User ID$:txt:user%[1]d,\"Password$:pwd:p,%[1]d\"\n")},
		{name: "keeper-csv", data: csv("", "\"F\",\"site %[1]d\",\"user%[1]d\",\"p,%[1]d\",\"https://s%[1]d.example\",\"note %[1]d\",\"\"\n")},
		{name: "keepass-csv", data: csv("\"Account\",\"Login Name\",\"Password\",\"Web Site\",\"Comments\"\n",
			"\"site %[1]d\",\"user%[1]d\",\"p,%[1]d\",\"https://s%[1]d.example\",\"note %[1]d\"\n")},
		{name: "safeincloud-csv", data: csv("\"Title\",\"Login\",\"Password\",\"URL\",\"Notes\",\"OTP\"\n",
			"\"site %[1]d\",\"user%[1]d\",\"p,%[1]d\",\"https://s%[1]d.example\",\"note %[1]d\",\"\"\n")},
		{name: "zoho-csv", data: csv("\"Secret Name\",\"Secret URL\",\"Notes\"\n", "\"site %[1]d\",\"https://s%[1]d.example\",\"note\",\"user%[1]d\",\"p,%[1]d\"\n")},
		{name: "1password-csv-win", data: csv("\"UUID\",\"TITLE\",\"USERNAME\",\"PASSWORD\",\"URL\",\"SCOPE\",\"AUTOSUBMIT\",\"TAGS\",\"NOTES\"\n",
			"\"u%[1]d\",\"site %[1]d\",\"user%[1]d\",\"p,%[1]d\",\"https://s%[1]d.example\",\"Default\",\"Default\",\"Tag\",\"note %[1]d\"\n")},
		{name: "dashlane-json", data: func(testing.TB) []byte {
			return repeatRows(`{"AUTHENTIFIANT": [`, `{"domain": "https://s%[1]d.example", "login": "user%[1]d", "password": "p%[1]d", "note": "n", "title": "site %[1]d"}`, ",", "]}", benchRows)
		}},
		{name: "keeper-json", data: func(testing.TB) []byte {
			return repeatRows(`{"records": [`, `{"title": "site %[1]d", "login": "user%[1]d", "password": "p%[1]d", "login_url": "https://s%[1]d.example", "custom_fields": {"PIN": "%[1]d"}, "folders": [{"folder": "F"}]}`, ",", "]}", benchRows)
		}},
		{name: "enpass-json", data: func(testing.TB) []byte {
			return repeatRows(`{"folders": [], "items": [`, `{"category": "login", "title": "site %[1]d", "note": "", "fields": [{"label": "Username", "type": "username", "value": "user%[1]d"}, {"label": "Password", "type": "password", "value": "p%[1]d"}, {"label": "Website", "type": "url", "value": "https://s%[1]d.example"}]}`, ",", "]}", benchRows)
		}},
		{name: "protonpass-json", data: func(testing.TB) []byte {
			return repeatRows(`{"version": "1", "userId": "u", "encrypted": false, "vaults": {"v": {"name": "V", "items": [`,
				`{"data": {"metadata": {"name": "site %[1]d", "note": "n"}, "extraFields": [], "type": "login", "content": {"itemUsername": "user%[1]d", "password": "p%[1]d", "urls": ["https://s%[1]d.example"], "totpUri": ""}}, "state": 1}`, ",", "]}}}", benchRows)
		}},
		{name: "1password-1pif", data: func(testing.TB) []byte {
			return repeatRows("", `{"typeName": "webforms.WebForm", "uuid": "u%[1]d", "title": "site %[1]d", "location": "https://s%[1]d.example", "secureContents": {"fields": [{"name": "username", "value": "user%[1]d", "designation": "username"}, {"name": "password", "value": "p%[1]d", "designation": "password"}]}}`, "\n"+opifSeparator+"\n", "\n"+opifSeparator+"\n", benchRows)
		}},
		{name: "1password-1pux", data: func(tb testing.TB) []byte {
			return zipBytes(tb, "export.data", repeatRows(`{"accounts": [{"vaults": [{"attrs": {"name": "V"}, "items": [`,
				`{"state": "active", "categoryUuid": "001", "details": {"loginFields": [{"value": "user%[1]d", "designation": "username"}, {"value": "p%[1]d", "designation": "password"}], "notesPlain": "n"}, "overview": {"title": "site %[1]d", "url": "https://s%[1]d.example"}}`, ",", "]}]}]}", benchRows))
		}},
		{name: "dashlane-zip", data: func(tb testing.TB) []byte {
			return zipBytes(tb, "credentials.csv", repeatRows("username,username2,username3,title,password,note,url,category,otpSecret\n",
				"user%[1]d,,,site %[1]d,p%[1]d,n,https://s%[1]d.example,Cat,\n", "", "", benchRows))
		}},
		{name: "keepassx-xml", data: func(testing.TB) []byte {
			return repeatRows("<!DOCTYPE KEEPASSX_DATABASE>\n<database><group><title>G</title>",
				"<entry><title>site %[1]d</title><username>user%[1]d</username><password>p%[1]d</password><url>https://s%[1]d.example</url><comment>a<br/>b</comment></entry>\n", "", "</group></database>", benchRows)
		}},
		{name: "safeincloud-xml", data: func(testing.TB) []byte {
			return repeatRows(`<?xml version="1.0" encoding="UTF-8"?><database><label name="L" id="1"></label>`,
				`<card title="site %[1]d" id="%[1]d"><field name="Login" type="login">user%[1]d</field><field name="Password" type="password">p%[1]d</field><field name="Website" type="website">https://s%[1]d.example</field><label_id>1</label_id></card>`+"\n", "", "</database>", benchRows)
		}},
		{name: "keepass-kdbx", opts: ImportOptions{Password: kdbxPassword("sandi")}, data: func(tb testing.TB) []byte {
			return writeKDBX4(tb, "sandi", func(protect func(string) string) string {
				var s strings.Builder
				s.WriteString("<Group><Name>Root</Name>")
				for i := range benchRows {
					s.WriteString(kdbxEntry(protect, fmt.Sprint("site ", i), fmt.Sprint("user", i), fmt.Sprint("p", i), fmt.Sprintf("https://s%d.example", i), "n"))
				}
				s.WriteString("</Group>")
				return s.String()
			})
		}},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.StopTimer()
			data := c.data(b)
			b.StartTimer()
			benchImportWith(b, data, c.opts)
		})
	}
}

// repeatRows writes head, n rows (row formatted with the row's number), sep between
// rows, and tail.
func repeatRows(head, row, sep, tail string, n int) []byte {
	var buf bytes.Buffer
	buf.WriteString(head)
	for i := range n {
		if i > 0 {
			buf.WriteString(sep)
		}
		fmt.Fprintf(&buf, row, i)
	}
	buf.WriteString(tail)
	return buf.Bytes()
}

func zipBytes(tb testing.TB, name string, data []byte) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create(name)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := w.Write(data); err != nil {
		tb.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}
