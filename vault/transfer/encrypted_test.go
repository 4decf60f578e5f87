package transfer

import (
	"bytes"
	"encoding/binary"
	"errors"
	"strings"
	"testing"

	"github.com/valvpm/valv/vault"
)

// TestEncryptedTamper: the header is associated data, so changing any byte of the file
// fails; parameters outside the vault's bounds are refused before any key derivation.
func TestEncryptedTamper(t *testing.T) {
	t.Parallel()
	pw := []byte("ekspor")
	plain := []byte(`{"format":"valv-export","version":1,"items":[]}`)
	sealed, err := Encrypt(plain, pw, vault.FloorKDF())
	if err != nil {
		t.Fatal(err)
	}
	if len(sealed) != encHeaderSize+len(plain)+16 {
		t.Errorf("size %d", len(sealed))
	}
	got, err := Decrypt(sealed, pw)
	if err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("Decrypt = %q, %v", got, err)
	}
	if _, err := Decrypt(sealed, []byte("wrong")); !errors.Is(err, ErrWrongPassword) {
		t.Errorf("wrong password: %v", err)
	}

	mod := func(f func(b []byte) []byte) []byte { return f(bytes.Clone(sealed)) }
	for _, c := range []struct {
		name string
		data []byte
		is   error
		msg  string
	}{
		// One more pass is still within the bounds: the key differs, the tag fails.
		{"more passes", mod(func(b []byte) []byte { binary.BigEndian.PutUint32(b[12:], 4); return b }), ErrWrongPassword, ""},
		{"salt", mod(func(b []byte) []byte { b[20] ^= 1; return b }), ErrWrongPassword, ""},
		{"nonce", mod(func(b []byte) []byte { b[40] ^= 1; return b }), ErrWrongPassword, ""},
		{"ciphertext", mod(func(b []byte) []byte { b[len(b)-20] ^= 1; return b }), ErrWrongPassword, ""},
		{"below the floor", mod(func(b []byte) []byte { binary.BigEndian.PutUint32(b[8:], 1024); return b }), vault.ErrKDFParams, ""},
		{"absurd memory", mod(func(b []byte) []byte { binary.BigEndian.PutUint32(b[8:], 1<<31); return b }), vault.ErrKDFParams, ""},
		{"newer version", mod(func(b []byte) []byte { b[7] = 2; return b }), ErrNewerExport, ""},
		{"cut short", sealed[:encHeaderSize+3], nil, "damaged or cut short"},
		{"not an export", []byte("hello"), nil, "not an encrypted Valv export"},
	} {
		_, err := Decrypt(c.data, pw)
		if c.is != nil && !errors.Is(err, c.is) || c.msg != "" && (err == nil || !strings.Contains(err.Error(), c.msg)) {
			t.Errorf("%s: %v", c.name, err)
		}
	}

	if _, err := Encrypt(plain, nil, vault.FloorKDF()); err == nil {
		t.Error("an empty export password was accepted")
	}
	weak := vault.FloorKDF()
	weak.Time = 1
	if _, err := Encrypt(plain, pw, weak); !errors.Is(err, vault.ErrKDFParams) {
		t.Errorf("Encrypt below the floor: %v", err)
	}
	// A fresh salt and nonce every time, even with the same parameters.
	again, err := Encrypt(plain, pw, vault.FloorKDF())
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(again[17:encHeaderSize], sealed[17:encHeaderSize]) {
		t.Error("salt and nonce repeated")
	}
}
