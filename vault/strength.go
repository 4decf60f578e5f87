package vault

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"
)

// The estimator reads the password where it lies and builds nothing from it: no
// lower-cased string, no []rune. A meter runs on every keystroke of a master password,
// and each copy it made would stay in the heap until the garbage collector reused the
// memory; a lower-cased copy is only a few thousand guesses from the real password.

// Strength is an estimate of how hard a password is to guess.
type Strength struct {
	Bits  float64 // estimated entropy after penalties
	Score int     // 0 very weak, 1 weak, 2 fair, 3 strong, 4 very strong
	// Hints are short reasons a person can act on, as message keys for translation:
	// "short", "common", "sequence", "repeat", "one-class", "dictionary-word".
	Hints []string
}

// Weak reports whether a password is below "strong" (Score 3): what the master-password
// meter warns about and password health reports, one threshold for both.
func (s Strength) Weak() bool { return s.Score < 3 }

// Score thresholds in bits: below 40 a fast offline attack wins quickly; 60+ resists
// one with Argon2id in the way; 80+ is beyond any attacker's budget.
var scoreBits = [4]float64{28, 40, 60, 80}

// commonPasswords are the most used passwords in public breach statistics, lower-cased
// ASCII. A password that is one of them (or one plus digits) is guessed in the first
// second.
var commonPasswords = strings.Fields(`password 123456 12345678 123456789 1234567890 qwerty
abc123 111111 123123 password1 1234567 12345 iloveyou admin welcome monkey dragon
letmein football baseball master sunshine princess qwertyuiop shadow superman
michael trustno1 000000 654321 passw0rd starwars whatever freedom hello charlie
donald login solo 1q2w3e4r qazwsx zaq12wsx asdfghjkl access flower hottie loveme
mustang batman jordan hunter ranger buster soccer harley thomas tigger robert
matthew jennifer pepper daniel andrew summer ashley nicole chelsea biteme computer
secret killer test test123 guest changeme default root toor 987654321 666666
121212 7777777 aa123456 password123 qwerty123 1qaz2wsx 123qwe zxcvbnm asdf1234
p@ssw0rd p@ssword pa55word rahasia matkhau losenord`)

// maxHints is how many hints one password can earn.
const maxHints = 5

// EstimateStrength estimates a password's strength from its character classes and
// length, with penalties for what guessing tools try first: common passwords, words,
// runs like "abcd" or "4321", and repeats. It reads pw in place (see
// EstimateStrengthBytes).
func EstimateStrength(pw string) Strength {
	// A read-only view of the string's bytes: the estimator never writes to it, and
	// converting with []byte(pw) would make the very copy it avoids.
	return EstimateStrengthBytes(unsafe.Slice(unsafe.StringData(pw), len(pw)))
}

// EstimateStrengthBytes is EstimateStrength over the UTF-8 bytes of a password held in
// a buffer the caller wipes. It neither keeps pw nor builds any copy of it: the only
// allocation is the Hints slice, when there are hints.
func EstimateStrengthBytes(pw []byte) Strength {
	var s Strength
	n := runeCount(pw)
	if n == 0 {
		s.Hints = []string{"short"}
		return s
	}
	var hints [maxHints]string
	k := 0
	hint := func(h string) { hints[k] = h; k++ }
	pool, classes := charPool(pw)
	eff, seq, rep := effectiveLength(pw)
	s.Bits = eff * math.Log2(float64(pool))
	switch {
	case isCommon(pw):
		s.Bits = min(s.Bits, 10)
		hint("common")
	case containsWord(pw):
		s.Bits -= 12
		hint("dictionary-word")
	}
	if n < 12 {
		hint("short")
	}
	if seq >= 3 {
		hint("sequence")
	}
	if rep >= 3 {
		hint("repeat")
	}
	if classes == 1 && n < 20 {
		hint("one-class")
	}
	if k > 0 {
		s.Hints = append([]string(nil), hints[:k]...)
	}
	s.Bits = max(s.Bits, 0)
	for _, t := range scoreBits {
		if s.Bits >= t {
			s.Score++
		}
	}
	return s
}

// runeCount is utf8.RuneCount without its copy: from the first non-ASCII byte on,
// utf8.RuneCount converts the rest of the slice to a string (on the heap past 32
// bytes), which for a password is exactly the copy the estimator must not make.
func runeCount(pw []byte) int {
	n := 0
	for len(pw) > 0 {
		_, size := utf8.DecodeRune(pw)
		pw = pw[size:]
		n++
	}
	return n
}

// charPool is the size of the alphabet a guesser must try for pw (the union of its
// character classes) and how many classes it uses.
func charPool(pw []byte) (pool, classes int) {
	var lower, upper, digit, symbol, other bool
	for len(pw) > 0 {
		r, size := utf8.DecodeRune(pw)
		pw = pw[size:]
		switch {
		case r >= 'a' && r <= 'z':
			lower = true
		case r >= 'A' && r <= 'Z':
			upper = true
		case r >= '0' && r <= '9':
			digit = true
		case r < 128 && unicode.IsPrint(r) && !unicode.IsSpace(r):
			symbol = true
		default:
			other = true
		}
	}
	for _, c := range [...]struct {
		on bool
		n  int
	}{{lower, 26}, {upper, 26}, {digit, 10}, {symbol, 33}, {other, 100}} {
		if c.on {
			pool += c.n
			classes++
		}
	}
	return pool, classes
}

// effectiveLength counts characters as a guesser sees them: one that merely continues
// a run ("abcd", "4321") or repeats the previous one adds almost nothing. seq and rep
// count those steps.
func effectiveLength(pw []byte) (eff float64, seq, rep int) {
	prev, size := utf8.DecodeRune(pw)
	pw = pw[size:]
	eff = 1
	for len(pw) > 0 {
		r, size := utf8.DecodeRune(pw)
		pw = pw[size:]
		switch d := r - prev; {
		case d == 0:
			rep++
			eff += 0.25
		case d == 1 || d == -1:
			seq++
			eff += 0.25
		default:
			eff++
		}
		prev = r
	}
	return eff, seq, rep
}

// isCommon reports whether pw, lower-cased, is a common password, with or without
// trailing digits and punctuation ("Password1!").
func isCommon(pw []byte) bool {
	base := len(pw)
	for base > 0 && strings.IndexByte("0123456789!.?", pw[base-1]) >= 0 {
		base--
	}
	for _, c := range commonPasswords {
		if equalLower(pw, c) || equalLower(pw[:base], c) {
			return true
		}
	}
	return false
}

// containsWord reports whether the password is mostly one dictionary word from the
// bundled list (at least 5 letters of it), the first thing a guessing tool tries.
func containsWord(pw []byte) bool {
	if len(pw) > 24 {
		return false // long enough that one word inside does not decide its strength
	}
	for _, w := range wordlist {
		if len(w) >= 5 && len(w)*2 >= len(pw) && containsLower(pw, w) {
			return true
		}
	}
	return false
}

// lowerPrefix reports whether pw, lower-cased rune by rune as strings.ToLower would,
// begins with the lower-case ASCII word w, and how many bytes of pw that took.
func lowerPrefix(pw []byte, w string) (int, bool) {
	used := 0
	for i := 0; i < len(w); i++ {
		if used == len(pw) {
			return 0, false
		}
		r, size := rune(pw[used]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRune(pw[used:])
		}
		if unicode.ToLower(r) != rune(w[i]) {
			return 0, false
		}
		used += size
	}
	return used, true
}

// equalLower reports whether pw lower-cased is w.
func equalLower(pw []byte, w string) bool {
	n, ok := lowerPrefix(pw, w)
	return ok && n == len(pw)
}

// containsLower reports whether pw lower-cased contains w.
func containsLower(pw []byte, w string) bool {
	for i := 0; i < len(pw); {
		if _, ok := lowerPrefix(pw[i:], w); ok {
			return true
		}
		_, size := utf8.DecodeRune(pw[i:])
		i += size
	}
	return false
}
