package secret

import "testing"

func TestWipe(t *testing.T) {
	b := []byte("Kata$andi-2026")
	Wipe(b)
	for i, c := range b {
		if c != 0 {
			t.Fatalf("byte %d is %q after Wipe", i, c)
		}
	}
	Wipe(nil) // a secret never read is fine
}
