package vault

import (
	"strings"
	"testing"
)

// The estimator must build no copy of the password: a strong password (no hints) costs
// no allocation at all, a weak one only its Hints slice.
func TestEstimateStrengthBuildsNoCopy(t *testing.T) {
	for _, c := range []struct {
		pw     string
		allocs float64
	}{
		{"x7#Lq9!vR2@mZ5$wKp8&", 0},
		{"Ünïcødé-Pässwörd-2026-Ωmega", 0},
		{"Password1!", 1},
		{"sunshine2026", 1},
		{"aaaaaaaaaaaa", 1},
	} {
		b := []byte(c.pw)
		if got := testing.AllocsPerRun(50, func() { EstimateStrengthBytes(b) }); got != c.allocs {
			t.Errorf("%q: %v allocations per estimate, want %v", c.pw, got, c.allocs)
		}
	}
}

// lowerOracle is what isCommon and containsWord decide, computed the plain way over a
// lower-cased string.
func lowerOracle(pw string) (common, word bool) {
	low := strings.ToLower(pw)
	base := strings.TrimRight(low, "0123456789!.?")
	for _, c := range commonPasswords {
		common = common || low == c || base == c
	}
	if len(low) <= 24 {
		for _, w := range wordlist {
			word = word || len(w) >= 5 && len(w)*2 >= len(low) && strings.Contains(low, w)
		}
	}
	return common, word
}

func TestLowerMatchesToLower(t *testing.T) {
	for _, pw := range []string{"PASSWORD", "PassWord123!", "LetMeIn?", "KELVIN", "\u212ailler",
		"İnside", "BaseBall-X", "xxSUNSHINExx", "ÀÉÎõü", "", "a", "p@SSw0rd"} {
		common, word := lowerOracle(pw)
		if got := isCommon([]byte(pw)); got != common {
			t.Errorf("%q: isCommon %v, strings.ToLower says %v", pw, got, common)
		}
		if got := containsWord([]byte(pw)); got != word && len(strings.ToLower(pw)) == len(pw) {
			t.Errorf("%q: containsWord %v, strings.ToLower says %v", pw, got, word)
		}
	}
}

// FuzzEstimateStrength checks the in-place estimate against the plain lower-casing one
// on any input, and that the string and byte forms agree.
func FuzzEstimateStrength(f *testing.F) {
	for _, s := range []string{"Password1!", "correct horse", "Tr0ub4dor&3", "\u212aILLER99", "ÀbcDEF"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, pw string) {
		common, word := lowerOracle(pw)
		if isCommon([]byte(pw)) != common {
			t.Fatalf("%q: isCommon disagrees with strings.ToLower", pw)
		}
		// Lower-casing can change a byte length (Ⱥ → ⱥ); the length threshold is in
		// the password's own bytes, so compare only where the lengths agree.
		if len(strings.ToLower(pw)) == len(pw) && containsWord([]byte(pw)) != word {
			t.Fatalf("%q: containsWord disagrees with strings.ToLower", pw)
		}
		a, b := EstimateStrength(pw), EstimateStrengthBytes([]byte(pw))
		if a.Score != b.Score || a.Bits != b.Bits || strings.Join(a.Hints, ",") != strings.Join(b.Hints, ",") {
			t.Fatalf("%q: string and byte estimates differ", pw)
		}
	})
}

func BenchmarkEstimateStrength(b *testing.B) {
	pw := []byte("Sunshine-Correct-42")
	b.ReportAllocs()
	for b.Loop() {
		EstimateStrengthBytes(pw)
	}
}
