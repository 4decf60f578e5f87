package totp

import (
	"errors"
	"testing"
	"time"
)

// FuzzParse feeds the parser arbitrary text. It must never panic; what it refuses it
// refuses with ErrInvalid; what it accepts is within the bounds, makes a code of the
// right length, and survives the canonical URI unchanged (decode → encode → decode).
// Seeds are in testdata/fuzz/FuzzParse.
func FuzzParse(f *testing.F) {
	f.Add("JBSWY3DPEHPK3PXP")
	f.Add("otpauth://totp/Example:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Example&algorithm=SHA256&digits=8&period=60")
	f.Add("otpauth://hotp/x?secret=JBSWY3DPEHPK3PXP&counter=3")
	f.Fuzz(func(t *testing.T, s string) {
		k, err := Parse(s)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("%q: error %v does not wrap ErrInvalid", s, err)
			}
			return
		}
		if len(k.Secret) == 0 || len(k.Secret) > MaxSecretBytes || k.Digits < MinDigits ||
			k.Digits > MaxDigits || k.Period < time.Second || k.Period > MaxPeriod || k.Period%time.Second != 0 {
			t.Fatalf("%q: out of bounds: %d bytes, %d digits, %v", s, len(k.Secret), k.Digits, k.Period)
		}
		if c := k.At(time.Unix(1_234_567_890, 0)); len(c.Value) != k.Digits || c.Remaining <= 0 || c.Remaining > k.Period {
			t.Fatalf("%q: code %q remaining %v", s, c.Value, c.Remaining)
		}
		back, err := Parse(k.URI())
		if err != nil {
			t.Fatalf("%q: its canonical URI %q is refused: %v", s, k.URI(), err)
		}
		if !sameKey(k, back) {
			t.Fatalf("%q: %+v became %+v through %q", s, k, back, k.URI())
		}
	})
}
