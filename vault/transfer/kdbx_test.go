package transfer

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/valvpm/valv/vault"
)

// The .kdbx fixtures were written by other KeePass implementations, not by Valv:
// kdbx3_aeskdf_keepassxc.kdbx by keepassxc-cli 2.7 (KDBX 3.1, AES-KDF, AES-256, Salsa20),
// the two kdbx4_* files by pykeepass 4.0 (KDBX 4, Argon2d with AES-256 and Argon2id
// with ChaCha20, ChaCha20 inner stream, 1 MiB so the tests stay quick). Each holds the
// same entries: a login with history, a protected custom field, a TOTP and an
// attachment; a login two groups deep; a note; and one entry in the Recycle Bin.
var kdbxFixtures = []string{"kdbx3_aeskdf_keepassxc.kdbx", "kdbx4_argon2d_aes.kdbx", "kdbx4_argon2id_chacha20.kdbx"}

const kdbxFixturePassword = "kata sandi ✓"

func kdbxPassword(pw string) func() ([]byte, error) {
	return func() ([]byte, error) { return []byte(pw), nil }
}

func TestKDBX(t *testing.T) {
	for _, name := range kdbxFixtures {
		t.Run(name, func(t *testing.T) {
			data := fixture(t, name)
			if f, err := Detect(data); err != nil || f != FormatKDBX {
				t.Fatalf("Detect = %s, %v", f, err)
			}
			p, err := Parse(data, ImportOptions{Password: kdbxPassword(kdbxFixturePassword)})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(p.Skipped, []Skipped{{Kind: SkipTrash, Count: 1}}) {
				t.Errorf("skipped = %v, want the 1 entry in the Recycle Bin", p.Skipped)
			}
			by := map[string]*vault.Item{}
			for _, it := range p.Items {
				by[it.Title] = it
			}
			if len(by) != len(p.Items) || len(p.Problems) != 0 {
				t.Fatalf("items %v, problems %v", p.Items, p.Problems)
			}
			bank := by["Bank Sunda"]
			if bank == nil {
				t.Fatalf("no Bank Sunda among %d items", len(p.Items))
			}
			msg := all(eq("password (protected)", bank.Password, `kata:sandi, "rahasia" ✓`), eq("username", bank.Username, "ayu@example.com"),
				eq("urls", bank.URLs, []string{"https://bank.example.co.id/masuk"}), eq("notes", bank.Notes, "Baris satu\nBaris dua"),
				eq("totp", bank.TOTP, "otpauth://totp/Bank?secret=JBSWY3DPEHPK3PXP"), eq("folder", bank.Folder, ""))
			if msg != "" {
				t.Error(msg)
			}
			if len(bank.History) != 1 || bank.History[0].Password != "lama-1" {
				t.Errorf("history = %v, want the earlier password", bank.History)
			}
			if !slices.Contains(bank.Fields, vault.Field{Name: "PIN", Value: "4711"}) {
				t.Errorf("fields = %v, want the protected PIN in clear", bank.Fields)
			}
			if mail := by["Hộp thư"]; mail == nil || mail.Folder != "Arbete/E-post" || mail.Password != "Mật khẩu ơi" {
				t.Errorf("Hộp thư = %+v", mail)
			}
			// pykeepass's KDBX 4 files carry scan.png in the inner header (its 12 bytes
			// are the text "not imported", as the script that wrote them put it);
			// keepassxc-cli's 3.1 file has no attachment.
			if strings.HasPrefix(name, "kdbx4") {
				if len(bank.Attachments) != 1 || bank.Attachments[0].Name != "scan.png" || string(bank.Attachments[0].Content()) != "not imported" {
					t.Errorf("attachments = %+v, want scan.png", bank.Attachments)
				}
				if slices.ContainsFunc(bank.Fields, func(f vault.Field) bool { return strings.HasPrefix(f.Name, "Attachment") }) {
					t.Error("the attachment is also named as one not imported")
				}
			}
			if _, trashed := by["Raderad"]; trashed {
				t.Error("an entry of the Recycle Bin was imported")
			}
		})
	}
}

// TestKDBXPasswords: no way to ask, a wrong password, and a changed file each give a
// sentence (wrapping the sentinels the app acts on), never a panic or a partial import.
func TestKDBXPasswords(t *testing.T) {
	data := fixture(t, "kdbx4_argon2d_aes.kdbx")
	if _, err := Parse(data, ImportOptions{}); !errors.Is(err, ErrNeedPassword) || !errors.Is(err, ErrNeedDatabasePassword) {
		t.Errorf("without a password: %v", err)
	}
	for _, name := range kdbxFixtures {
		_, err := Parse(fixture(t, name), ImportOptions{Password: kdbxPassword("kata sandi")})
		if !errors.Is(err, ErrWrongPassword) || !strings.Contains(err.Error(), "KeePass database password is incorrect") {
			t.Errorf("%s, wrong password: %v", name, err)
		}
	}
	// A flipped bit in the body: KDBX 4's block MACs catch it.
	bad := slices.Clone(data)
	bad[len(bad)-40] ^= 1
	if _, err := Parse(bad, ImportOptions{Password: kdbxPassword(kdbxFixturePassword)}); err == nil {
		t.Error("a changed database was read")
	}
	for _, n := range []int{12, 40, 200, len(data) - 1} {
		if _, err := Parse(data[:n], ImportOptions{Password: kdbxPassword(kdbxFixturePassword)}); err == nil {
			t.Errorf("a database cut at %d bytes was read", n)
		}
	}
}

// TestKDBXCostCaps: a header asking for absurd key-derivation work is refused at once,
// before any derivation runs.
func TestKDBXCostCaps(t *testing.T) {
	for _, k := range []kdbxKDF{
		{id: kdbxKDFAES3, seed: make([]byte, 32), rounds: maxAESRounds + 1},
		{id: kdbxKDFArgon2d, seed: make([]byte, 32), version: 0x13, lanes: 2, passes: 2, memory: maxArgonMemory + 1},
		{id: kdbxKDFArgon2id, seed: make([]byte, 32), version: 0x13, lanes: 2, passes: maxArgonPasses + 1, memory: 1 << 20},
		{id: kdbxKDFArgon2d, seed: make([]byte, 32), version: 0x13, lanes: 2, passes: 100, memory: 1 << 30},
		{id: kdbxKDFArgon2d, seed: make([]byte, 32), version: 0x13, lanes: 0, passes: 2, memory: 1 << 20},
	} {
		if err := k.check(); err == nil {
			t.Errorf("%+v accepted", k)
		}
	}
	ok := kdbxKDF{id: kdbxKDFArgon2d, seed: make([]byte, 32), version: 0x13, lanes: 2, passes: 10, memory: 64 << 20}
	if err := ok.check(); err != nil {
		t.Errorf("KeePass's usual settings refused: %v", err)
	}
}
