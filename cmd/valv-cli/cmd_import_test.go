package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/valvpm/valv/vault"
)

// cli runs valv-cli in this process with stdin, returning its exit code and output.
func cli(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func transferFixture(name string) string {
	return filepath.Join("..", "..", "vault", "transfer", "testdata", name)
}

// TestImportFilePassword: a KeePass database's password is the line after the master
// password on --password-stdin; a wrong one is refused with a sentence, non-zero, and
// nothing is written. A dry run names what it would skip and why.
func TestImportFilePassword(t *testing.T) {
	t.Setenv(vault.HomeEnv, t.TempDir())
	db := filepath.Join(t.TempDir(), "v.db")
	const master = "Master password 1 ✓"
	if code, _, stderr := cli(t, master+"\n", "init", "--vault", db, "--password-stdin", "--kdf-target", "0"); code != 0 {
		t.Fatalf("init: %s", stderr)
	}
	kdbx := transferFixture("kdbx4_argon2id_chacha20.kdbx")

	code, _, stderr := cli(t, master+"\nnot it\n", "import", "--vault", db, kdbx, "--password-stdin")
	if code == 0 || !strings.Contains(stderr, "the KeePass database password is incorrect") {
		t.Errorf("wrong database password: exit %d, %q", code, stderr)
	}

	code, stdout, stderr := cli(t, master+"\nkata sandi ✓\n", "import", "--vault", db, kdbx, "--password-stdin", "--dry-run")
	if code != 0 {
		t.Fatalf("dry run: %s", stderr)
	}
	for _, want := range []string{
		"KeePass 2 / KeePassXC database (.kdbx), 3 entries.",
		"Would import 3 items: 2 website logins, 1 note.",
		"Skipped 1 entry in the trash or Recycle Bin.",
		"Dry run: nothing was written.",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("the dry run lacks %q:\n%s", want, stdout)
		}
	}
	if strings.Contains(stdout, "kata:sandi") {
		t.Error("the dry run printed a password")
	}

	code, stdout, stderr = cli(t, master+"\nkata sandi ✓\n", "import", "--vault", db, kdbx, "--password-stdin")
	if code != 0 || !strings.Contains(stdout, "Imported 3 items") {
		t.Fatalf("import: exit %d\n%s%s", code, stdout, stderr)
	}
	_, stdout, _ = cli(t, master+"\n", "ls", "--vault", db, "--password-stdin")
	if !strings.Contains(stdout, "Hộp thư") || strings.Contains(stdout, "Raderad") {
		t.Errorf("the vault lists:\n%s", stdout)
	}
}

// TestImportRefusesUnreadable: a file no importer understands exits non-zero with a
// sentence, and a forced format that reads none of a file's entries too.
func TestImportRefusesUnreadable(t *testing.T) {
	t.Setenv(vault.HomeEnv, t.TempDir())
	db := filepath.Join(t.TempDir(), "v.db")
	const master = "Master password 1 ✓"
	if code, _, stderr := cli(t, master+"\n", "init", "--vault", db, "--password-stdin", "--kdf-target", "0"); code != 0 {
		t.Fatalf("init: %s", stderr)
	}
	odd := filepath.Join(t.TempDir(), "odd.json")
	if err := os.WriteFile(odd, []byte(`{"folders": [], "items": [1, "two", true]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := cli(t, master+"\n", "import", "--vault", db, odd, "--password-stdin")
	if code == 0 || !strings.Contains(stderr, "none of its 3 entries can be read as Bitwarden JSON") {
		t.Errorf("a JSON of which no entry reads: exit %d, %q", code, stderr)
	}
	code, stdout, stderr := cli(t, master+"\n", "import", "--vault", db, transferFixture("nordpass.csv"), "--password-stdin", "--dry-run", "--json")
	if code != 0 || !strings.Contains(stdout, `"kind": "folder"`) || !strings.Contains(stdout, `"format": "nordpass-csv"`) {
		t.Errorf("NordPass dry run: exit %d\n%s%s", code, stdout, stderr)
	}
}
