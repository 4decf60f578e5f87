package transfer

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/valvpm/valv/vault"
)

// want describes what a fixture must import as.
type want struct {
	format     Format
	counts     map[vault.Type]int
	duplicates int
	problems   []string // Problem.String() substrings, in order
	notices    []string
	skipped    []Skipped
	items      map[string]func(it *vault.Item) string // title → "" or what is wrong
}

var (
	L, A, C, D, N = vault.TypeLogin, vault.TypeApp, vault.TypeCard, vault.TypeAddress, vault.TypeNote
)

func eq[T any](what string, got, want T) string {
	if !reflect.DeepEqual(got, want) {
		return fmt.Sprintf("%s = %#v, want %#v", what, got, want)
	}
	return ""
}

func all(checks ...string) string {
	return strings.Join(checks, "")
}

var fixtures = map[string]want{
	"text.txt": {
		format: FormatText, counts: map[vault.Type]int{L: 3, A: 2, N: 2},
		items: map[string]func(*vault.Item) string{
			"Bank Sunda": func(it *vault.Item) string {
				return all(eq("password (colons kept)", it.Password, "kata:sandi:rahasia"),
					eq("notes (multi-line, blank line, colons)", it.Notes, "Nomor nasabah: 12345\nJangan lupa: ganti PIN setiap tahun.\n\nTelepon cabang: +62 21 555 0100"),
					eq("urls", it.URLs, []string{"https://bank.example.co.id/masuk"}), eq("username", it.Username, "ayu@example.com"))
			},
			"Mail": func(it *vault.Item) string {
				return all(eq("password (spaces and commas kept)", it.Password, " leading space, trailing comma,"),
					eq("fields", it.Fields, []vault.Field{{Name: "Login name", Value: "work"}}), eq("notes", it.Notes, ""))
			},
			"forum.example.se": func(it *vault.Item) string { // empty name: titled by the site
				return all(eq("username", it.Username, "åsa"), eq("notes", it.Notes, "Förening för ölbryggare"))
			},
			"Steam": func(it *vault.Item) string {
				return all(eq("type", it.Type, A), eq("application", it.Application, "Steam"), eq("password", it.Password, "Mật khẩu: 123 ơi"))
			},
			"Wi-Fi at grandma's": func(it *vault.Item) string {
				return eq("notes (key lines inside a note stay text)", it.Notes, "SSID: Nhà Bà\nPassword: xin-chào-2026\nLogin: admin\n\nRouter: admin/admin")
			},
		},
	},
	"chrome.csv": {
		format: FormatChrome, counts: map[vault.Type]int{L: 4}, duplicates: 1,
		problems: []string{"line 7 (\"broken.example\"): the row has 3 columns, the header has 5"},
		items: map[string]func(*vault.Item) string{
			"bank.example.co.id": func(it *vault.Item) string {
				return all(eq("password", it.Password, `kata,sandi "rahasia"`), eq("notes", it.Notes, "Baris satu\nBaris dua: dengan titik dua"))
			},
			"nameless.example": func(it *vault.Item) string { return eq("username", it.Username, "") },
		},
	},
	"firefox.csv": {
		format: FormatFirefox, counts: map[vault.Type]int{L: 2},
		items: map[string]func(*vault.Item) string{
			"mail.example.com": func(it *vault.Item) string {
				return all(eq("password", it.Password, "Mật khẩu, ơi"), eq("created", it.Created, time.UnixMilli(1700000000000).UTC()),
					eq("fields", it.Fields, []vault.Field{{Name: "formActionOrigin", Value: "https://mail.example.com"}}))
			},
			"intranet.example.se": func(it *vault.Item) string {
				return eq("fields", it.Fields, []vault.Field{{Name: "httpRealm", Value: "Intranät"}})
			},
		},
	},
	"safari.csv": {
		format: FormatSafari, counts: map[vault.Type]int{L: 2},
		items: map[string]func(*vault.Item) string{
			"bank.example.co.id (ayu@example.com)": func(it *vault.Item) string {
				return all(eq("totp", it.TOTP, "otpauth://totp/Bank:ayu?secret=JBSWY3DPEHPK3PXP&issuer=Bank"), eq("notes", it.Notes, "Catatan, dengan koma"))
			},
		},
	},
	"bitwarden.csv": {
		format: FormatBitwardenCSV, counts: map[vault.Type]int{L: 2, N: 1},
		items: map[string]func(*vault.Item) string{
			"Ngân hàng": func(it *vault.Item) string {
				return all(eq("folder", it.Folder, "Tài chính"), eq("favourite", it.Favourite, true),
					eq("urls", it.URLs, []string{"https://bank.example.vn", "https://m.bank.example.vn"}), eq("totp", it.TOTP, "JBSWY3DPEHPK3PXP"),
					eq("fields", it.Fields, []vault.Field{{Name: "Câu hỏi bảo mật", Value: "Tên con mèo"}, {Name: "PIN", Value: "0420"}}))
			},
			"Wi-Fi": func(it *vault.Item) string { return eq("notes", it.Notes, "SSID: Hemma\nNyckel: hallå") },
			"Jira":  func(it *vault.Item) string { return eq("folder", it.Folder, "Arbete/Projekt") },
		},
	},
	"bitwarden.json": {
		format: FormatBitwardenJSON, counts: map[vault.Type]int{L: 1, N: 2, C: 1, D: 1},
		problems: []string{`entry 6: the item cannot be read: the value of "name" should be a string`},
		notices:  []string{`entry 5 ("Broken card"): the card number fails the check-digit test`},
		items: map[string]func(*vault.Item) string{
			"Ngân hàng": func(it *vault.Item) string {
				return all(eq("history (newest first)", it.History, []vault.PastPassword{
					{Password: "cũ-2", Replaced: time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)},
					{Password: "cũ-1", Replaced: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}}),
					eq("folder", it.Folder, "Tài chính"), eq("password", it.Password, "Mật:khẩu"))
			},
			"Visa": func(it *vault.Item) string {
				return all(eq("expiry", it.Expiry, "07/29"), eq("cvc", it.CVC, "123"), eq("fields", it.Fields, []vault.Field{{Name: "brand", Value: "Visa"}}))
			},
			"Rumah": func(it *vault.Item) string {
				return all(eq("name", it.Name, "Ayu Lestari"), eq("street", it.Street, []string{"Jl. Merdeka No. 1", "RT 01/RW 02"}), eq("region", it.Region, "Jawa Barat"))
			},
			"Broken card": func(it *vault.Item) string {
				return eq("fields (nothing lost)", it.Fields, []vault.Field{{Name: "Cardholder", Value: "X"}, {Name: "Card number", Value: "4111111111111112"},
					{Name: "CVC", Value: "1"}, {Name: "Expiry month", Value: "13"}, {Name: "Expiry year", Value: "29"}})
			},
		},
	},
	"keepassxc.csv": {
		format: FormatKeePassXCCSV, counts: map[vault.Type]int{L: 2},
		items: map[string]func(*vault.Item) string{
			"Bank Sunda": func(it *vault.Item) string {
				return all(eq("folder (root group dropped)", it.Folder, ""), eq("password", it.Password, `kata:sandi "rahasia"`),
					eq("modified", it.Modified, time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)))
			},
			"Mejl": func(it *vault.Item) string { return eq("folder", it.Folder, "Arbete/E-post") },
		},
	},
	"keepass.xml": {
		format: FormatKeePassXML, counts: map[vault.Type]int{L: 2, N: 1},
		items: map[string]func(*vault.Item) string{
			"Bank Sunda": func(it *vault.Item) string {
				return all(eq("password (XML escapes)", it.Password, `kata:sandi <&> "rahasia"`), eq("totp", it.TOTP, "otpauth://totp/Bank:ayu?secret=JBSWY3DPEHPK3PXP"),
					eq("history", len(it.History), 2), eq("fields", it.Fields, []vault.Field{{Name: "Nomor nasabah", Value: "12345"}, {Name: "Attachment (not imported)", Value: "kontrak.pdf"}}))
			},
			"Mejl": func(it *vault.Item) string { return eq("folder", it.Folder, "Arbete/E-post") },
			"Mã cửa": func(it *vault.Item) string {
				return all(eq("type", it.Type, N), eq("notes", it.Notes, "Cổng: 1234#"))
			},
		},
	},
	"1password.csv": {
		format: Format1PasswordCSV, counts: map[vault.Type]int{L: 2},
		items: map[string]func(*vault.Item) string{
			"Ngân hàng": func(it *vault.Item) string {
				return all(eq("password", it.Password, `Mật "khẩu", ơi`), eq("folder", it.Folder, "Tài chính"), eq("favourite", it.Favourite, true))
			},
			"Förråd": func(it *vault.Item) string {
				return eq("fields", it.Fields, []vault.Field{{Name: "Archived", Value: "true"}, {Name: "Tags", Value: "Hemma,Viktigt"}})
			},
		},
	},
	"lastpass.csv": {
		format: FormatLastPassCSV, counts: map[vault.Type]int{L: 1, N: 2, C: 1},
		notices: []string{`line 15 ("Thẻ hỏng"): the card number fails the check-digit test`},
		items: map[string]func(*vault.Item) string{
			"Bank Sunda": func(it *vault.Item) string {
				return all(eq("folder", it.Folder, "Keuangan/Bank"), eq("favourite", it.Favourite, true), eq("notes", it.Notes, "Catatan: penting"))
			},
			"Wi-Fi hemma": func(it *vault.Item) string { return all(eq("type", it.Type, N), eq("urls", len(it.URLs), 0)) },
			"Visa": func(it *vault.Item) string {
				return all(eq("type", it.Type, C), eq("expiry", it.Expiry, "07/29"), eq("notes", it.Notes, "Resekort\ntvå rader"), eq("cardholder", it.Cardholder, "Åsa Lindqvist"))
			},
		},
	},
}

// TestFixtures imports every hand-written fixture and checks what a person would see.
func TestFixtures(t *testing.T) {
	for name, w := range fixtures {
		t.Run(name, func(t *testing.T) {
			checkPlan(t, fixture(t, name), w)
		})
	}
}

// TestBOMAndCRLF: Windows tools write a byte order mark and CRLF line ends; the result
// must be the same as from the plain file.
func TestBOMAndCRLF(t *testing.T) {
	for name, w := range fixtures {
		t.Run(name, func(t *testing.T) {
			b := fixture(t, name)
			b = append([]byte("\xef\xbb\xbf"), bytes.ReplaceAll(b, []byte("\n"), []byte("\r\n"))...)
			checkPlan(t, b, w)
		})
	}
	// And the committed fixture that has both.
	checkPlan(t, fixture(t, "chrome_bom_crlf.csv"), fixtures["chrome.csv"])
}

func checkPlan(t *testing.T, data []byte, w want) {
	t.Helper()
	p, err := Parse(data, ImportOptions{})
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if p.Format != w.format {
		t.Errorf("format = %s, want %s", p.Format, w.format)
	}
	if got := p.Counts(); !reflect.DeepEqual(got, w.counts) {
		t.Errorf("counts = %v, want %v", got, w.counts)
	}
	if p.Duplicates != w.duplicates {
		t.Errorf("duplicates = %d, want %d", p.Duplicates, w.duplicates)
	}
	matchProblems(t, "problem", p.Problems, w.problems)
	matchProblems(t, "notice", p.Notices, w.notices)
	if !reflect.DeepEqual(p.Skipped, w.skipped) {
		t.Errorf("skipped = %v, want %v", p.Skipped, w.skipped)
	}
	if got := len(p.Items) + p.Duplicates + len(p.Problems); got != p.Rows {
		t.Errorf("items+duplicates+problems = %d, rows = %d", got, p.Rows)
	}
	byTitle := map[string]*vault.Item{}
	for _, it := range p.Items {
		if err := it.Validate(); err != nil {
			t.Errorf("%q: %v", it.Title, err)
		}
		if _, seen := byTitle[it.Title]; !seen {
			byTitle[it.Title] = it
		}
	}
	for title, check := range w.items {
		it, ok := byTitle[title]
		if !ok {
			t.Errorf("no item titled %q", title)
			continue
		}
		if msg := check(it); msg != "" {
			t.Errorf("%q: %s", title, msg)
		}
	}
}

func matchProblems(t *testing.T, kind string, got []Problem, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%d %ss, want %d: %v", len(got), kind, len(want), got)
		return
	}
	for i := range got {
		if !strings.Contains(got[i].String(), want[i]) {
			t.Errorf("%s %d = %q, want it to contain %q", kind, i+1, got[i], want[i])
		}
	}
}

func TestDetect(t *testing.T) {
	for name, w := range fixtures {
		f, err := Detect(fixture(t, name))
		if err != nil || f != w.format {
			t.Errorf("Detect(%s) = %s, %v; want %s", name, f, err, w.format)
		}
	}
	js, err := ExportJSON(sampleItems())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		data string
		want Format
		err  string
	}{
		{"valv json", string(js), FormatValvJSON, ""},
		{"valv bare array", `[{"type":"note","title":"x"}]`, FormatValvJSON, ""},
		{"valv empty array", `[]`, FormatValvJSON, ""},
		{"encrypted", encMagic + "\x01rest", FormatValvEncrypted, ""},
		{"text without heading", "Website name: a\nLogin: b\n---\n", FormatText, ""},
		{"empty", "", "", "the file is empty"},
		{"blank", " \r\n\t", "", "the file is empty"},
		{"other xml", "<html><body/></html>", "", "not a KeePass, KeePassX or SafeInCloud export"},
		{"other json", `{"a": 1}`, "", "not an export Valv knows"},
		{"broken json", `{"a": `, "", "cut short"},
		{"unknown csv", "colour,size\nred,big\n", "", "match no known export"},
		{"one column", "hello\n", "", "neither a CSV file"},
		{"binary", "\x00\x01\x02\x03", "", "not in a format"},
	} {
		f, err := Detect([]byte(c.data))
		switch {
		case c.err == "" && (err != nil || f != c.want):
			t.Errorf("%s: Detect = %s, %v; want %s", c.name, f, err, c.want)
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err) || !errors.Is(err, ErrUnknownFormat)):
			t.Errorf("%s: Detect error = %v, want one containing %q", c.name, err, c.err)
		}
	}
}

// TestForcedFormat: --format overrides detection, and a file without the format's
// columns gets a clear sentence, not an empty import.
func TestForcedFormat(t *testing.T) {
	p, err := Parse(fixture(t, "safari.csv"), ImportOptions{Format: FormatChrome})
	if err == nil {
		t.Fatalf("safari.csv as chrome: got a plan of %d items, want an error", len(p.Items))
	}
	if !strings.Contains(err.Error(), "lacks the columns of a Chrome, Edge or Brave CSV file") {
		t.Errorf("error = %v", err)
	}
	p, err = Parse(fixture(t, "keepassxc.csv"), ImportOptions{Format: FormatSafari})
	if err != nil {
		t.Fatal(err)
	}
	// KeePassXC's Group column is unknown to the Safari profile: kept as a field.
	if f := p.Items[1].Fields; len(f) == 0 || f[0].Name != "Group" || f[0].Value != "Root/Arbete/E-post" {
		t.Errorf("fields = %v, want the Group column kept", f)
	}
	if _, err := ParseFormat("chrome"); err != nil {
		t.Error(err)
	}
	if _, err := ParseFormat("wordperfect"); err == nil || !strings.Contains(err.Error(), "one of: text, chrome") {
		t.Errorf("ParseFormat(wordperfect) = %v", err)
	}
}

// TestUnreadableRows: rows that cannot be imported are listed with their line and why,
// and the rest is imported.
func TestUnreadableRows(t *testing.T) {
	long := strings.Repeat("x", 70<<10)
	data := "name,url,username,password,note\n" +
		"ok,https://ok.example,u,p,\n" +
		"\"bad utf8 \xff\",https://x.example,u,p,\n" +
		"toolong,https://y.example,u,p," + long + "\n" +
		"extra,https://z.example,u,p,n,surplus\n" +
		"\n" +
		"ok2,https://ok2.example,u,p,\n"
	p, err := Parse([]byte(data), ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Items) != 2 {
		t.Errorf("%d items, want 2", len(p.Items))
	}
	matchProblems(t, "problem", p.Problems, []string{
		"line 3 (\"bad utf8 \uFFFD\"): the entry is not valid UTF-8 text",
		"line 4 (\"toolong\"): the field is longer than 64 KiB",
		"line 5 (\"extra\"): the row has 6 columns, the header has 5"})
}

// TestBrokenQuotes: an unterminated quote would swallow the rest of the file into one
// field; the import stops with the line to fix instead of importing a wrong password.
func TestBrokenQuotes(t *testing.T) {
	data := "name,url,username,password\na,https://a.example,u,\"p\nb,https://b.example,u,p\n"
	p, err := Parse([]byte(data), ImportOptions{})
	if err == nil {
		t.Fatalf("got %d items, want an error", len(p.Items))
	}
	if !strings.Contains(err.Error(), "line 2: the CSV cannot be read, so nothing was imported") {
		t.Errorf("error = %v", err)
	}
}

func TestProgress(t *testing.T) {
	var stages []Stage
	last := map[Stage][2]int{}
	p, err := Parse(bigChromeCSV(2000), ImportOptions{Progress: func(s Stage, done, total int) {
		if len(stages) == 0 || stages[len(stages)-1] != s {
			stages = append(stages, s)
		}
		if done > total || total <= 0 {
			t.Errorf("%v: %d of %d", s, done, total)
		}
		last[s] = [2]int{done, total}
	}})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(stages, []Stage{StageRead, StageCheck}) {
		t.Errorf("stages = %v", stages)
	}
	for s, l := range last {
		if l[0] != l[1] {
			t.Errorf("%v ended at %d of %d", s, l[0], l[1])
		}
	}
	if len(p.Items) != 2000 {
		t.Errorf("%d items", len(p.Items))
	}
}

// bigChromeCSV makes n distinct browser-CSV rows with the tricky characters.
func bigChromeCSV(n int) []byte {
	var b bytes.Buffer
	b.WriteString("name,url,username,password,note\n")
	for i := range n {
		fmt.Fprintf(&b, "site%d.example,https://site%d.example/login,user%d@example.com,\"p@ss,%d\"\"x\",\"Ghi chú %d\nhàng hai: ok\"\n", i, i, i, i, i)
	}
	return b.Bytes()
}

func TestReadFileLimit(t *testing.T) {
	path := t.TempDir() + "/big"
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(MaxFileSize + 1); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadFile(path); !errors.Is(err, ErrTooLarge) {
		t.Errorf("ReadFile = %v, want ErrTooLarge", err)
	}
}
