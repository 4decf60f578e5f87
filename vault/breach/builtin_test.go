package breach

import (
	"bytes"
	"os"
	"testing"
)

const listFile = "data/10-million-password-list-top-100000.txt"

// TestBuiltinIsTheList: the committed builtin.bin is exactly what go generate makes
// from the committed list (so nobody can change one without the other), and it holds
// every one of the list's 100,000 passwords.
func TestBuiltinIsTheList(t *testing.T) {
	b, err := os.ReadFile(listFile)
	if err != nil {
		t.Fatal(err)
	}
	pws := ListPasswords(b)
	if len(pws) != 100_000 {
		t.Fatalf("the list has %d passwords, want 100,000", len(pws))
	}
	var again bytes.Buffer
	if _, err := BuildPasswords(&again, pws); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again.Bytes(), builtinFile) {
		t.Fatal("builtin.bin is not the filter of the list: run go generate ./vault/breach")
	}
	f, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	if f.Keys() != 100_000 {
		t.Errorf("Keys() = %d", f.Keys())
	}
	for _, p := range pws {
		if !contains(t, f, Hash(p)) {
			t.Fatalf("%q is in the list but not in the built-in filter", p)
		}
	}
}

// TestBuiltinAnswers: common breached passwords are exposed, strong ones are not, and
// the match is exact (case and trailing characters count, as in the breaches).
func TestBuiltinAnswers(t *testing.T) {
	f, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"password", "iloveyou1", "123456", "qwerty", "dragon", "letmein"} {
		if !contains(t, f, Hash(p)) {
			t.Errorf("%q is not exposed", p)
		}
	}
	for _, p := range []string{"vK7#qP2$wN9!mZ4x", "correct horse battery staple ✓", "Kata$andi-2026", "Mật khẩu ơi", "password\n"} {
		if contains(t, f, Hash(p)) {
			t.Errorf("%q is reported exposed", p)
		}
	}
}
