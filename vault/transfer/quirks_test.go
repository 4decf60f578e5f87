package transfer

import (
	"maps"
	"strings"
	"testing"

	"github.com/valvpm/valv/vault"
)

// Fixtures for the quirks of real exports: each file is small and made for the one
// thing it shows. They join the fixtures of import_test.go, so each is also read with
// a byte order mark and CRLF line ends, and detected.
var quirkFixtures = map[string]want{
	"chrome_short_rows.csv": { // a trailing empty note left off is padded, not refused
		format: FormatChrome, counts: map[vault.Type]int{L: 2},
		items: map[string]func(*vault.Item) string{
			"kedai.example": func(it *vault.Item) string {
				return all(eq("password", it.Password, "sandi,1"), eq("notes", it.Notes, ""))
			},
			"bank.example": func(it *vault.Item) string { return eq("notes", it.Notes, "catatan") },
		},
	},
	"1password7mac.csv": { // \" inside quoted fields; cards and identities; tags as a property list
		format: Format1PasswordCSV, counts: map[vault.Type]int{L: 1, C: 1, D: 1},
		items: map[string]func(*vault.Item) string{
			"Visa débit": func(it *vault.Item) string {
				return all(eq("type", it.Type, C), eq("cardholder", it.Cardholder, "Åsa Lindqvist"), eq("number", it.Number, "4111111111111111"),
					eq("cvc", it.CVC, "123"), eq("expiry", it.Expiry, "07/2029"), eq("folder (empty tag list)", it.Folder, ""), eq("notes", it.Notes, "Resekort"))
			},
			"Hem": func(it *vault.Item) string {
				return all(eq("type", it.Type, D), eq("name", it.Name, "Åsa M Lindqvist"), eq("street", it.Street, []string{"Storgatan 1", "411 38 Göteborg"}),
					eq("phone", it.Phone, "+46 31 123 45 67"), eq("email", it.Email, "asa@example.se"), eq("notes", it.Notes, `Säg "hej"`),
					eq("folder", it.Folder, "Hem"), eq("fields", it.Fields, []vault.Field{{Name: "Tags", Value: "Hem, Familj"}}))
			},
			"Bank Sunda": func(it *vault.Item) string {
				return all(eq("type", it.Type, L), eq("password", it.Password, `p"w`), eq("notes", it.Notes, `kata:sandi "rahasia"`),
					eq("urls", it.URLs, []string{"https://bank.example.co.id"}), eq("folder", it.Folder, "Bank"), eq("created", it.Created.Unix(), int64(1606923754)))
			},
		},
	},
	"1password7win.csv": { // a single-category export: no username or password columns
		format: Format1PasswordCSV, counts: map[vault.Type]int{C: 1},
		notices: []string{`line 2 ("Thẻ Visa"): the expiry date is not a month and year`},
		items: map[string]func(*vault.Item) string{
			"Thẻ Visa": func(it *vault.Item) string {
				return all(eq("cardholder", it.Cardholder, "Nguyễn Văn A"), eq("number", it.Number, "4111 1111 1111 1111"), eq("cvc", it.CVC, "321"),
					eq("folder", it.Folder, "Tài chính"), eq("fields", it.Fields, []vault.Field{{Name: "SECTION_X 1: LABEL", Value: "field (phone)"}, {Name: "Expiry", Value: "1/3/1970 12:23 AM"}}))
			},
		},
	},
	"1password4.csv": { // Safari's column names in another order
		format: Format1PasswordCSV, counts: map[vault.Type]int{L: 1},
		items: map[string]func(*vault.Item) string{
			"Forum": func(it *vault.Item) string {
				return all(eq("password", it.Password, "mật,khẩu"), eq("notes", it.Notes, "Dòng một\nDòng hai"), eq("urls", it.URLs, []string{"https://forum.example.vn"}))
			},
		},
	},
	"bitwarden_org.csv": { // an organisation's collections are the folder
		format: FormatBitwardenCSV, counts: map[vault.Type]int{L: 1, N: 1},
		items: map[string]func(*vault.Item) string{
			"Bank Sunda": func(it *vault.Item) string {
				return all(eq("folder", it.Folder, "Keuangan/Bank"), eq("fields", it.Fields, []vault.Field(nil)))
			},
			"Wi-Fi": func(it *vault.Item) string {
				return all(eq("folder", it.Folder, "Tim"), eq("fields", it.Fields, []vault.Field{{Name: "collections", Value: "Tim,Rumah"}}))
			},
		},
	},
	"keepass_recyclebin.xml": { // the Recycle Bin and the groups in it are deleted items
		format: FormatKeePassXML, counts: map[vault.Type]int{L: 1}, skipped: []Skipped{{Kind: SkipTrash, Count: 2}},
		items: map[string]func(*vault.Item) string{
			"Kvar": func(it *vault.Item) string {
				return all(eq("password", it.Password, "hemligt"), eq("folder", it.Folder, ""))
			},
		},
	},
}

func init() { maps.Copy(fixtures, quirkFixtures) }

// TestNoSilentEmptyImport: a file that parses but of which no entry can be read is
// refused with a sentence, never imported as nothing.
func TestNoSilentEmptyImport(t *testing.T) {
	_, err := Parse([]byte(`{"folders":[],"items":[1,2,3]}`), ImportOptions{})
	if err == nil || !strings.Contains(err.Error(), "none of its 3 entries can be read as Bitwarden JSON") {
		t.Fatalf("err = %v", err)
	}
	p, err := Parse([]byte(`{"folders":[],"items":[]}`), ImportOptions{})
	if err != nil || p.Rows != 0 {
		t.Fatalf("an empty export: %v, %v", p, err)
	}
}
