package transfer

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/valvpm/valv/vault"
)

var testPassword = []byte("correct horse battery staple ✓")

// newTestVault creates an unlocked vault at the floor KDF cost (the cheapest the vault
// allows) in t.TempDir and closes it at cleanup.
func newTestVault(t testing.TB) *vault.Vault {
	t.Helper()
	path := filepath.Join(t.TempDir(), "vault.db")
	kdf := vault.FloorKDF()
	v, err := vault.Create(path, testPassword, vault.CreateOptions{KDF: &kdf})
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	t.Cleanup(func() { v.Close() })
	return v
}

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

var t0 = time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)

// sampleItems returns one fully filled item of every type, with the tricky text the
// fixtures use: colons, quotes, commas, line breaks, Indonesian, Vietnamese, Swedish.
func sampleItems() []*vault.Item {
	return []*vault.Item{
		{Type: vault.TypeLogin, Title: "Bank Sunda", Folder: "Keuangan/Bank", Favourite: true,
			Created: t0, Modified: t0.Add(time.Hour),
			URLs: []string{"https://bank.example.co.id/masuk", "https://m.bank.example.co.id"}, Username: "ayu@example.com",
			Password: `kata:sandi, "rahasia"`, TOTP: "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP", Notes: "PIN reset: call the branch\nline two, with a comma",
			Fields:  []vault.Field{{Name: "Security question", Value: "Kucing pertama: Mochi"}},
			History: []vault.PastPassword{{Password: "lama-2", Replaced: t0.Add(-time.Hour)}, {Password: "lama-1", Replaced: t0.Add(-2 * time.Hour)}}},
		{Type: vault.TypeApp, Title: "Steam", Application: "Steam Desktop", Username: "nguyen.van.a", Password: "Mật khẩu: 123 ơi", Notes: "Gia đình chia sẻ",
			Created: t0, Modified: t0},
		{Type: vault.TypeCard, Title: "Visa débit", Folder: "Kort", Cardholder: "Åsa Lindqvist", Number: "4111 1111 1111 1111", Expiry: "07/29", CVC: "123", PIN: "0420", Notes: "Resekort",
			Created: t0, Modified: t0},
		{Type: vault.TypeAddress, Title: "Hem", Name: "Åsa Lindqvist", Street: []string{"Storgatan 1", "lgh 1102"}, City: "Göteborg", Region: "Västra Götaland",
			Postcode: "411 38", Country: "Sverige", Phone: "+46 31 123 45 67", Email: "asa@example.se", Created: t0, Modified: t0},
		{Type: vault.TypeNote, Title: "Wi-Fi at grandma's", Notes: "SSID: Nhà Bà\nKey: xin-chào-2026\n\nRouter: admin/admin\n---\nnot a separator in JSON",
			Created: t0, Modified: t0},
	}
}

// stripIDs returns copies of items without IDs, sorted by title, for comparing two
// vaults' contents (an import gives every item a new ID).
func stripIDs(items []*vault.Item) []*vault.Item {
	out := make([]*vault.Item, len(items))
	for i, it := range items {
		c := it.Clone()
		c.ID = vault.ID{}
		out[i] = c
	}
	slices.SortFunc(out, func(a, b *vault.Item) int {
		if a.Title < b.Title {
			return -1
		}
		if a.Title > b.Title {
			return 1
		}
		return 0
	})
	return out
}

func listAll(t testing.TB, v *vault.Vault) []*vault.Item {
	t.Helper()
	items, err := v.List(vault.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	return items
}
