package vault

import (
	"path/filepath"
	"testing"
	"time"
)

// testPassword is the master password of test vaults.
var testPassword = []byte("correct horse battery staple ✓")

// newTestVault creates an unlocked vault at the floor KDF cost in t.TempDir and closes
// it at cleanup.
func newTestVault(t testing.TB) *Vault {
	t.Helper()
	path := filepath.Join(t.TempDir(), "u", "vault.db")
	kdf := FloorKDF()
	v, err := Create(path, testPassword, CreateOptions{KDF: &kdf})
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	t.Cleanup(func() { v.Close() })
	return v
}

// reopen closes v and opens its file again, unlocked with password.
func reopen(t testing.TB, v *Vault, password []byte) *Vault {
	t.Helper()
	if err := v.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	v2, err := Open(v.Path())
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { v2.Close() })
	if err := v2.Unlock(password); err != nil {
		t.Fatalf("Unlock: %v", err)
	}
	return v2
}

var t0 = time.Date(2026, 3, 4, 5, 6, 7, 8, time.UTC)

// sampleItems returns one fully filled item of every type.
func sampleItems() []*Item {
	return []*Item{
		{Type: TypeLogin, Title: "Bank of Sunda", Folder: "Finance", Favourite: true,
			URLs: []string{"https://bank.example/login", "https://m.bank.example"}, Username: "ayu@example.com",
			Password: "Kata$andi-2026", TOTP: "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP", Notes: "PIN reset: call the branch",
			Fields: []Field{{"Security question", "Kucing pertama: Mochi"}}},
		{Type: TypeApp, Title: "Steam", Application: "Steam Desktop", Username: "nguyen.van.a", Password: "Mật khẩu: 123 ơi", Notes: "Family sharing on"},
		{Type: TypeCard, Title: "Visa débit", Cardholder: "Åsa Lindqvist", Number: "4111 1111 1111 1111", Expiry: "07/29", CVC: "123", PIN: "0420", Notes: "Travel card"},
		{Type: TypeAddress, Title: "Home", Name: "Åsa Lindqvist", Street: []string{"Storgatan 1", "lgh 1102"}, City: "Göteborg", Region: "Västra Götaland", Postcode: "411 38", Country: "Sverige", Phone: "+46 31 123 45 67", Email: "asa@example.se"},
		{Type: TypeNote, Title: "Wi-Fi at grandma's", Notes: "SSID: Nhà Bà\nKey: xin-chào-2026\n\nRouter: admin/admin"},
		{Type: TypeDocument, Title: "Hộ chiếu", Folder: "Papers", Notes: "Renew before 2031"},
	}
}
