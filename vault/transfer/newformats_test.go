package transfer

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"errors"
	"maps"
	"testing"
	"time"

	"github.com/valvpm/valv/vault"
)

// Small fixtures of each new format's quirks. They join the fixtures of
// import_test.go (read with and without a byte order mark and CRLF, and detected).
var newFormatFixtures = map[string]want{
	"dashlane_credentials.csv": {
		format: FormatDashlaneCSV, counts: map[vault.Type]int{L: 1},
		items: map[string]func(*vault.Item) string{"Bank Sunda": func(it *vault.Item) string {
			return all(eq("password", it.Password, "kata,sandi"), eq("totp", it.TOTP, "JBSWY3DPEHPK3PXP"), eq("folder (category)", it.Folder, "Keuangan"),
				eq("fields", it.Fields, []vault.Field{{Name: "username2", Value: "ayu2"}}))
		}},
	},
	"dashlane_payments.csv": {
		format: FormatDashlaneCSV, counts: map[vault.Type]int{C: 1, N: 1},
		items: map[string]func(*vault.Item) string{
			"Visa débit": func(it *vault.Item) string {
				return all(eq("cardholder", it.Cardholder, "Åsa Lindqvist"), eq("expiry", it.Expiry, "07/29"), eq("cvc", it.CVC, "123"))
			},
			"Sparkonto": func(it *vault.Item) string { return eq("type", it.Type, N) },
		},
	},
	"dashlane_personalinfo.csv": {
		format: FormatDashlaneCSV, counts: map[vault.Type]int{D: 3},
		items: map[string]func(*vault.Item) string{
			"Bà Nguyễn Thị Lan": func(it *vault.Item) string { return eq("name", it.Name, "Bà Nguyễn Thị Lan") },
			"Nhà": func(it *vault.Item) string {
				return all(eq("street", it.Street, []string{"12 Lê Lợi"}), eq("city", it.City, "Huế"), eq("postcode", it.Postcode, "530000"), eq("name", it.Name, "Nguyễn Thị Lan"))
			},
			"Thư riêng": func(it *vault.Item) string { return eq("email", it.Email, "lan@example.vn") },
		},
	},
	"dashlane_ids.csv": {
		format: FormatDashlaneCSV, counts: map[vault.Type]int{N: 1},
		items: map[string]func(*vault.Item) string{"passport Åsa Lindqvist": func(it *vault.Item) string {
			return eq("fields", it.Fields, []vault.Field{{Name: "number", Value: "C1234567"}, {Name: "name", Value: "Åsa Lindqvist"},
				{Name: "issue_date", Value: "2020-01-01"}, {Name: "expiration_date", Value: "2030-01-01"}, {Name: "place_of_issue", Value: "Göteborg"}})
		}},
	},
	"dashlane_old.csv": { // no header; a row with only a title
		format: FormatDashlaneCSV, counts: map[vault.Type]int{L: 2, N: 1},
		items: map[string]func(*vault.Item) string{
			"Bank Sunda": func(it *vault.Item) string {
				return all(eq("password", it.Password, `kata,"sandi"`), eq("notes", it.Notes, "Baris satu\nBaris dua"))
			},
			"Wi-Fi": func(it *vault.Item) string { return eq("type", it.Type, N) },
		},
	},
	"dashlane.json": {
		format: FormatDashlaneJSON, counts: map[vault.Type]int{L: 1, N: 1, D: 1},
		items: map[string]func(*vault.Item) string{
			"Bank Sunda": func(it *vault.Item) string {
				return all(eq("username (from email)", it.Username, "ayu@example.com"), eq("password", it.Password, "kata:sandi"))
			},
			"ayu@example.com": func(it *vault.Item) string { return eq("email", it.Email, "ayu@example.com") },
		},
	},
	"nordpass.csv": { // folder rows are not items
		format: FormatNordPassCSV, counts: map[vault.Type]int{L: 1, C: 1, D: 1, N: 1}, skipped: []Skipped{{Kind: SkipFolder, Count: 2}},
		items: map[string]func(*vault.Item) string{
			"Bank Sunda": func(it *vault.Item) string {
				return all(eq("folder", it.Folder, "Keuangan/Bank"), eq("password", it.Password, "kata,sandi"))
			},
			"Visa": func(it *vault.Item) string {
				return all(eq("expiry (spaces dropped)", it.Expiry, "07/29"), eq("fields", it.Fields, []vault.Field{{Name: "zipcode", Value: "41138"}}))
			},
			"Rumah": func(it *vault.Item) string {
				return all(eq("street", it.Street, []string{"Jl. Merdeka 1", "RT 02"}), eq("region", it.Region, "DKI"), eq("notes", it.Notes, "Alamat"))
			},
			"Wi-Fi": func(it *vault.Item) string { return eq("notes", it.Notes, "SSID: rumah") },
		},
	},
	"enpass.csv": { // name/value pairs past the header, the note last
		format: FormatEnpassCSV, counts: map[vault.Type]int{L: 2, N: 1},
		items: map[string]func(*vault.Item) string{
			"Bank Sunda": func(it *vault.Item) string {
				return all(eq("password", it.Password, "kata,sandi"), eq("urls", it.URLs, []string{"https://bank.example.co.id"}),
					eq("notes", it.Notes, "Baris satu\nBaris dua"), eq("fields", it.Fields, []vault.Field{{Name: "PIN", Value: "4711"}}))
			},
			"Wi-Fi": func(it *vault.Item) string { return eq("notes", it.Notes, "SSID: rumah") },
			"Kedai": func(it *vault.Item) string {
				return all(eq("username", it.Username, "ayu"), eq("fields", it.Fields, []vault.Field{{Name: "E-mail", Value: "ayu@example.com"}}))
			},
		},
	},
	"enpass.json": {
		format: FormatEnpassJSON, counts: map[vault.Type]int{L: 1, C: 1, N: 1},
		skipped: []Skipped{{Kind: SkipTrash, Count: 1}, {Kind: SkipArchived, Count: 1}},
		items: map[string]func(*vault.Item) string{
			"Bank Sunda": func(it *vault.Item) string {
				return all(eq("folder", it.Folder, "Keuangan/Bank"), eq("totp", it.TOTP, "JBSWY3DPEHPK3PXP"), eq("favourite", it.Favourite, true),
					eq("fields", it.Fields, []vault.Field{{Name: "E-mail", Value: "ayu@example.com"}, {Name: "PIN", Value: "4711"}}))
			},
			"Visa": func(it *vault.Item) string {
				return all(eq("number", it.Number, "4111111111111111"), eq("expiry", it.Expiry, "07/29"), eq("fields", it.Fields, []vault.Field{{Name: "Bank", Value: "Bank Sunda"}}))
			},
		},
	},
	"roboform.csv": { // form fields past the header; folders start with /
		format: FormatRoboFormCSV, counts: map[vault.Type]int{L: 1, N: 1},
		items: map[string]func(*vault.Item) string{
			"Bank Sunda": func(it *vault.Item) string {
				return all(eq("folder", it.Folder, "Keuangan/Bank"), eq("password", it.Password, "kata,sandi"), eq("fields", it.Fields, []vault.Field{{Name: "Kode", Value: "4711"}}))
			},
			"Catatan": func(it *vault.Item) string {
				return all(eq("notes", it.Notes, "Baris satu\nBaris dua"), eq("folder", it.Folder, "Rumah"))
			},
		},
	},
	"roboform_v2.csv": {
		format: FormatRoboFormCSV, counts: map[vault.Type]int{L: 1},
		items: map[string]func(*vault.Item) string{"Kedai": func(it *vault.Item) string {
			return all(eq("password", it.Password, ":rahasia"), eq("urls", it.URLs, []string{"https://kedai.example/", "https://kedai.example/login"}), eq("fields", it.Fields, []vault.Field(nil)))
		}},
	},
	"keeper.csv": { // no header; custom fields and TOTP past the named columns
		format: FormatKeeperCSV, counts: map[vault.Type]int{L: 1, N: 1},
		items: map[string]func(*vault.Item) string{"Bank Sunda": func(it *vault.Item) string {
			return all(eq("folder", it.Folder, "Keuangan"), eq("totp", it.TOTP, "otpauth://totp/Bank?secret=JBSWY3DPEHPK3PXP"),
				eq("notes", it.Notes, "Baris satu\nBaris dua"), eq("fields", it.Fields, []vault.Field{{Name: "PIN", Value: "4711"}}))
		}},
	},
	"keeper.json": {
		format: FormatKeeperJSON, counts: map[vault.Type]int{L: 1, N: 1},
		items: map[string]func(*vault.Item) string{"Bank Sunda": func(it *vault.Item) string {
			return all(eq("folder", it.Folder, "Keuangan/Bank"), eq("totp", it.TOTP, "otpauth://totp/Bank?secret=JBSWY3DPEHPK3PXP"),
				eq("fields", it.Fields, []vault.Field{{Name: "Also in folder", Value: "Keluarga"}, {Name: "PIN", Value: "4711"}}))
		}},
	},
	"keepass1.csv": {
		format: FormatKeePassCSV, counts: map[vault.Type]int{L: 1},
		items: map[string]func(*vault.Item) string{"Förråd": func(it *vault.Item) string {
			return all(eq("password", it.Password, `hemligt, "mycket"`), eq("notes", it.Notes, "Rad ett\nRad två"), eq("username", it.Username, "åsa"))
		}},
	},
	"safeincloud.csv": {
		format: FormatSafeInCloudCSV, counts: map[vault.Type]int{L: 1},
		items: map[string]func(*vault.Item) string{"Bank Sunda": func(it *vault.Item) string {
			return all(eq("username", it.Username, "ayu"), eq("totp", it.TOTP, "JBSWY3DPEHPK3PXP"))
		}},
	},
	"safeincloud.xml": { // templates are no cards; deleted cards are skipped
		format: FormatSafeInCloudXML, counts: map[vault.Type]int{L: 1, C: 1, N: 1}, skipped: []Skipped{{Kind: SkipTrash, Count: 1}},
		items: map[string]func(*vault.Item) string{
			"Visa": func(it *vault.Item) string {
				return all(eq("number", it.Number, "4111 1111 1111 1111"), eq("cardholder", it.Cardholder, "Åsa Lindqvist"), eq("pin", it.PIN, "0420"), eq("folder", it.Folder, "Kort"))
			},
			"Forum": func(it *vault.Item) string {
				return all(eq("totp", it.TOTP, "JBSWY3DPEHPK3PXP"), eq("favourite", it.Favourite, true), eq("notes", it.Notes, "Rad ett\nRad två"),
					eq("fields", it.Fields, []vault.Field{{Name: "Fråga", Value: "Mochi"}}))
			},
			"Anteckning": func(it *vault.Item) string { return eq("type", it.Type, N) },
		},
	},
	"zoho.csv": { // user name and password past the header
		format: FormatZohoCSV, counts: map[vault.Type]int{L: 1, N: 1},
		items: map[string]func(*vault.Item) string{"Bank Sunda": func(it *vault.Item) string {
			return all(eq("username", it.Username, "ayu"), eq("password", it.Password, "kata,sandi"), eq("fields", it.Fields, []vault.Field{{Name: "Field 1", Value: "4711"}}))
		}},
	},
	"zoho_vault.csv": {
		format: FormatZohoCSV, counts: map[vault.Type]int{L: 1},
		items: map[string]func(*vault.Item) string{"Bank Sunda": func(it *vault.Item) string {
			return all(eq("password (colon kept)", it.Password, "kata:sandi"), eq("folder", it.Folder, "Keuangan"), eq("favourite", it.Favourite, true),
				eq("fields", it.Fields, []vault.Field{{Name: "PIN", Value: "4711"}}))
		}},
	},
	"keepassx.xml": { // <br/> in comments; the Backup group holds earlier versions
		format: FormatKeePassXXML, counts: map[vault.Type]int{L: 1}, skipped: []Skipped{{Kind: SkipBackup, Count: 1}},
		items: map[string]func(*vault.Item) string{"Hộp thư": func(it *vault.Item) string {
			return all(eq("password", it.Password, "Mật & khẩu <ơi>"), eq("notes", it.Notes, "Dòng một\nDòng hai"), eq("folder", it.Folder, "Arbete/E-post"),
				eq("modified", it.Modified, time.Date(2018, 2, 3, 4, 5, 6, 0, time.UTC)))
		}},
	},
	"protonpass.json": { // the trash is skipped; an alias is a login; vaults are folders
		format: FormatProtonPassJSON, counts: map[vault.Type]int{L: 2, C: 1, D: 1}, skipped: []Skipped{{Kind: SkipTrash, Count: 1}},
		items: map[string]func(*vault.Item) string{
			"Bank Sunda": func(it *vault.Item) string {
				return all(eq("username", it.Username, "ayu"), eq("urls", it.URLs, []string{"https://bank.example.co.id", "https://m.bank.example.co.id"}),
					eq("folder", it.Folder, "Pribadi"), eq("favourite", it.Favourite, true),
					eq("fields", it.Fields, []vault.Field{{Name: "Email", Value: "ayu@example.com"}, {Name: "PIN", Value: "4711"}}))
			},
			"Alias belanja": func(it *vault.Item) string { return eq("username", it.Username, "belanja.x1@passinbox.example") },
			"Visa":          func(it *vault.Item) string { return all(eq("expiry", it.Expiry, "07/29"), eq("pin", it.PIN, "0420")) },
			"Rumah": func(it *vault.Item) string {
				return all(eq("folder", it.Folder, "Keluarga"), eq("postcode", it.Postcode, "10110"),
					eq("fields", it.Fields, []vault.Field{{Name: "NIK", Value: "3171"}, {Name: "Golongan darah", Value: "O"}}))
			},
		},
	},
	"1password.1pif": { // records between marker lines; folders by UUID, nested
		format: Format1PIF, counts: map[vault.Type]int{L: 1, C: 1, N: 1}, skipped: []Skipped{{Kind: SkipTrash, Count: 1}},
		items: map[string]func(*vault.Item) string{
			"Bank Sunda": func(it *vault.Item) string {
				return all(eq("folder", it.Folder, "Keuangan/Bank"), eq("totp", it.TOTP, "otpauth://totp/Bank?secret=JBSWY3DPEHPK3PXP"),
					eq("history", len(it.History), 1), eq("fields", it.Fields, []vault.Field{{Name: "Tags", Value: "Keuangan, Penting"}, {Name: "pin", Value: "4711"}}))
			},
			"Visa": func(it *vault.Item) string {
				return all(eq("number", it.Number, "4111111111111111"), eq("expiry", it.Expiry, "07/29"), eq("fields", it.Fields, []vault.Field{{Name: "type", Value: "visa"}}))
			},
		},
	},
}

func init() { maps.Copy(fixtures, newFormatFixtures) }

// zipOf makes a zip of the named fixtures, each under the name given.
func zipOf(t testing.TB, members map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, file := range members {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(fixture(t, file)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestZipExports: a .1pux and Dashlane's zip are detected by what they hold.
func TestZipExports(t *testing.T) {
	pux := zipOf(t, map[string]string{"export.data": "1pux_export.data.json", "export.attributes": "1pux_export.data.json"})
	checkPlan(t, pux, want{
		format: Format1PUX, counts: map[vault.Type]int{L: 1, C: 1, D: 1, N: 2}, skipped: []Skipped{{Kind: SkipArchived, Count: 1}},
		items: map[string]func(*vault.Item) string{
			"Bank Sunda": func(it *vault.Item) string {
				return all(eq("username", it.Username, "ayu"), eq("totp", it.TOTP, "JBSWY3DPEHPK3PXP"), eq("folder (first tag)", it.Folder, "Keuangan"),
					eq("urls", it.URLs, []string{"https://bank.example.co.id", "https://m.bank.example.co.id"}), eq("history", len(it.History), 1),
					eq("fields", it.Fields, []vault.Field{{Name: "Tags", Value: "Keuangan, Penting"}, {Name: "remember", Value: "1"}, {Name: "PIN", Value: "4711"}, {Name: "surel", Value: "ayu@example.com"}}))
			},
			"Visa": func(it *vault.Item) string {
				return all(eq("expiry (monthYear)", it.Expiry, "07/29"), eq("cvc", it.CVC, "123"), eq("fields", it.Fields, []vault.Field{{Name: "type", Value: "visa"}}))
			},
			"Rumah": func(it *vault.Item) string {
				return all(eq("name", it.Name, "Ayu Lestari"), eq("street", it.Street, []string{"Jl. Merdeka 1"}), eq("city", it.City, "Jakarta"),
					eq("region", it.Region, "DKI"), eq("postcode", it.Postcode, "10110"), eq("country", it.Country, "id"), eq("phone", it.Phone, "+62 21 555"),
					eq("fields", it.Fields, []vault.Field{{Name: "birth date", Value: "1990-01-01"}}))
			},
			"Wi-Fi": func(it *vault.Item) string {
				return eq("fields", it.Fields, []vault.Field{{Name: "Category", Value: "109"}, {Name: "base station name", Value: "rumah"}, {Name: "base station password", Value: "xin-chào"}})
			},
			"Paspor": func(it *vault.Item) string {
				return eq("fields", it.Fields, []vault.Field{{Name: "Attachment (not imported)", Value: "paspor.pdf"}})
			},
		},
	})
	dash := zipOf(t, map[string]string{"credentials.csv": "dashlane_credentials.csv", "payments.csv": "dashlane_payments.csv",
		"personalInfo.csv": "dashlane_personalinfo.csv", "ids.csv": "dashlane_ids.csv"})
	checkPlan(t, dash, want{format: FormatDashlaneZip, counts: map[vault.Type]int{L: 1, C: 1, N: 2, D: 3}})

	other := zipOf(t, map[string]string{"readme.txt": "text.txt"})
	if _, err := Parse(other, ImportOptions{}); err == nil {
		t.Error("a zip of something else was imported")
	}
}

// TestUnpackCap: a zip member or a database's contents that inflate past the cap are
// refused with ErrTooLarge, not read into memory without end (a zip bomb).
func TestUnpackCap(t *testing.T) {
	old := maxUnpacked
	maxUnpacked = 1 << 20
	t.Cleanup(func() { maxUnpacked = old })
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create("export.data")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(bytes.Repeat([]byte(" "), 2<<20)); err != nil { // 2 MiB of spaces: a few KiB zipped
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := Parse(buf.Bytes(), ImportOptions{}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("a member inflating past the cap: %v, want ErrTooLarge", err)
	}
	var gz bytes.Buffer
	zg := gzip.NewWriter(&gz)
	if _, err := zg.Write(bytes.Repeat([]byte("x"), 2<<20)); err != nil {
		t.Fatal(err)
	}
	if err := zg.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := gunzip(gz.Bytes()); !errors.Is(err, ErrTooLarge) {
		t.Errorf("database contents inflating past the cap: %v, want ErrTooLarge", err)
	}
}
