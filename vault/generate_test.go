package vault

import (
	"strings"
	"testing"
)

func TestGenerate(t *testing.T) {
	for _, o := range []GenOptions{
		DefaultGenOptions,
		{Length: 8, Digits: true},
		{Length: 128, Lower: true, Upper: true, Digits: true, Symbols: true},
		{Length: 12, Lower: true, Upper: true, NoLookAlikes: true},
	} {
		seen := map[string]bool{}
		for range 200 {
			pw, err := Generate(o)
			if err != nil {
				t.Fatal(err)
			}
			if len(pw) != o.Length {
				t.Fatalf("length %d, want %d", len(pw), o.Length)
			}
			for _, c := range []struct {
				on  bool
				set string
			}{{o.Lower, lowerChars}, {o.Upper, upperChars}, {o.Digits, digitChars}, {o.Symbols, symbolChars}} {
				if c.on != strings.ContainsAny(pw, c.set) {
					t.Fatalf("%q: class %q presence %v", pw, c.set, !c.on)
				}
			}
			if o.NoLookAlikes && strings.ContainsAny(pw, lookAlikes) {
				t.Fatalf("%q has look-alike characters", pw)
			}
			seen[pw] = true
		}
		if len(seen) < 190 {
			t.Errorf("only %d distinct passwords of 200", len(seen))
		}
	}
	for _, o := range []GenOptions{{Length: 7, Lower: true}, {Length: 129, Lower: true}, {Length: 20}} {
		if _, err := Generate(o); err == nil {
			t.Errorf("Generate(%+v) succeeded", o)
		}
	}
}

func TestGenerateIsUniform(t *testing.T) {
	// Each of the 10 digits should appear about 10% of the time (1000 ± 30 of 10 000);
	// a modulo-biased generator, or one that never emits some digit, is far from that.
	counts := map[rune]int{}
	for range 500 {
		pw, err := Generate(GenOptions{Length: 20, Digits: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(pw) != 20 {
			t.Fatalf("%q is not 20 characters", pw)
		}
		for _, r := range pw {
			counts[r]++
		}
	}
	for d := '0'; d <= '9'; d++ {
		if n := counts[d]; n < 800 || n > 1200 {
			t.Errorf("digit %c appeared %d times of 10000", d, n)
		}
		delete(counts, d)
	}
	if len(counts) > 0 {
		t.Errorf("a digits-only password held other characters: %v", counts)
	}
}

func TestPassphrase(t *testing.T) {
	if len(wordlist) != 7776 {
		t.Fatalf("word list has %d words", len(wordlist))
	}
	p, err := Passphrase(6, "-", false)
	if err != nil {
		t.Fatal(err)
	}
	words := strings.Split(p, "-")
	if len(words) != 6 {
		t.Fatalf("%q", p)
	}
	for _, w := range words {
		if len(w) < 4 || len(w) > 7 {
			t.Errorf("word %q", w)
		}
	}
	if _, err := Passphrase(2, " ", false); err == nil {
		t.Error("2 words accepted")
	}
	if b := PassphraseBits(6); b < 77 || b > 78 {
		t.Errorf("6 words = %.1f bits", b)
	}
}

func TestEstimateStrength(t *testing.T) {
	for _, c := range []struct {
		pw       string
		min, max int
		hint     string
	}{
		{"", 0, 0, "short"},
		{"password", 0, 0, "common"},
		{"Password1!", 0, 0, "common"},
		{"abcdefgh", 0, 1, "sequence"},
		{"aaaaaaaaaaaa", 0, 1, "repeat"},
		{"sunshine2026", 0, 2, ""},
		{"Tr0ub4dor&3", 2, 3, "short"},
		{"correct horse battery staple", 3, 4, ""},
		{"x7#Lq9!vR2@mZ5$w", 4, 4, ""},
	} {
		s := EstimateStrength(c.pw)
		if s.Score < c.min || s.Score > c.max {
			t.Errorf("%q: score %d (%.0f bits), want %d–%d", c.pw, s.Score, s.Bits, c.min, c.max)
		}
		if c.hint != "" && !strings.Contains(strings.Join(s.Hints, ","), c.hint) {
			t.Errorf("%q: hints %v, want %q", c.pw, s.Hints, c.hint)
		}
	}
	// Generated passwords rate very strong.
	pw, _ := Generate(DefaultGenOptions)
	if s := EstimateStrength(pw); s.Score != 4 {
		t.Errorf("generated %q scored %d", pw, s.Score)
	}
}
