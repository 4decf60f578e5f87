package vault

import (
	"bytes"
	"crypto/hkdf"
	"crypto/sha256"
	"testing"
)

// TestSubkeyIsHKDF: the written-out HKDF gives the standard library's keys, so every
// existing vault and encrypted export opens as before.
func TestSubkeyIsHKDF(t *testing.T) {
	for _, n := range []int{1, 16, 32, 64, 65, 200} {
		mk := bytes.Repeat([]byte{byte(n)}, n)
		for _, label := range []string{wrapLabel, "valv/export/v1", ""} {
			want, err := hkdf.Key(sha256.New, mk, nil, label, KeySize)
			if err != nil {
				t.Fatal(err)
			}
			got, err := subkey(mk, label)
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("%d-byte key, label %q: %x, %v; want %x", n, label, got, err, want)
			}
		}
	}
}
