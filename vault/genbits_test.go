package vault

import (
	"math"
	"testing"
)

// TestGeneratedStrength: the generator's strength is what its method can produce — a
// five-word passphrase about 65 bits (~12.9 a word), not the 200 its letters suggest —
// and a password counts only the classes drawn from.
func TestGeneratedStrength(t *testing.T) {
	word := math.Log2(7776)
	for _, tc := range []struct {
		name string
		got  Strength
		bits float64
	}{
		{"5 words", PassphraseStrength(5, false), 5 * word},
		{"5 words, random capitals", PassphraseStrength(5, true), 5*word + 5},
		{"8 digits", PasswordStrength(GenOptions{Length: 8, Digits: true}), 8 * math.Log2(10)},
		// 12 lower or digits, at least one of each: 36^12 − 26^12 − 10^12 strings.
		{"12 lower+digits", PasswordStrength(GenOptions{Length: 12, Lower: true, Digits: true}),
			math.Log2(math.Pow(36, 12) - math.Pow(26, 12) - math.Pow(10, 12))},
		{"128 of everything", PasswordStrength(GenOptions{Length: 128, Lower: true, Upper: true, Digits: true, Symbols: true}), 128 * math.Log2(90)},
	} {
		if math.Abs(tc.got.Bits-tc.bits) > 0.05 {
			t.Errorf("%s: %.2f bits, want %.2f", tc.name, tc.got.Bits, tc.bits)
		}
	}
	if s := PassphraseStrength(5, true); s.Score != 3 {
		t.Errorf("a five-word passphrase scores %d, want 3 (strong, not very strong)", s.Score)
	}
}
