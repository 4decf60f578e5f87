package vault

import (
	"crypto/rand"
	_ "embed"
	"fmt"
	"math"
	"math/big"
	"strings"
	"unicode"
)

// wordlist.txt holds 7,776 (6^5, as in diceware) distinct English words of 4–7
// lower-case letters, taken evenly from SCOWL's American English list (Debian package
// wamerican). Each word adds log2(7776) ≈ 12.9 bits to a passphrase.
//
//go:embed wordlist.txt
var wordlistText string

var wordlist = strings.Fields(wordlistText)

// Character classes for generated passwords.
const (
	lowerChars  = "abcdefghijklmnopqrstuvwxyz"
	upperChars  = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	digitChars  = "0123456789"
	symbolChars = "!#$%&*+-=?@^_~.,:;()[]{}<>/|"
	// lookAlikes are characters easily mistaken for one another when read aloud or
	// copied by hand from a screen.
	lookAlikes = "Il1O0o|`'\""
)

// Generator bounds.
const (
	MinGenLength = 8
	MaxGenLength = 128
	MinWords     = 3
	MaxWords     = 20
)

// GenOptions says what Generate produces. At least one class must be on.
type GenOptions struct {
	Length          int
	Lower, Upper    bool
	Digits, Symbols bool
	NoLookAlikes    bool
}

// DefaultGenOptions is what the app and valv-cli use unless told otherwise.
var DefaultGenOptions = GenOptions{Length: 20, Lower: true, Upper: true, Digits: true, Symbols: true, NoLookAlikes: true}

// Generate returns a random password from crypto/rand with at least one character of
// every chosen class, each position uniformly chosen (no modulo bias).
func Generate(o GenOptions) (string, error) {
	if o.Length < MinGenLength || o.Length > MaxGenLength {
		return "", fmt.Errorf("the length must be between %d and %d", MinGenLength, MaxGenLength)
	}
	classes := genClasses(o)
	if len(classes) == 0 {
		return "", fmt.Errorf("choose at least one kind of character")
	}
	all := strings.Join(classes, "")
	out := make([]byte, o.Length)
	// Rejection sampling: draw whole passwords until every class is present. With
	// length ≥ 8 this almost always succeeds on the first try, and unlike "insert one
	// of each class" it keeps every valid password equally likely.
	for {
		for i := range out {
			out[i] = all[randInt(len(all))]
		}
		if hasEachClass(out, classes) {
			return string(out), nil
		}
	}
}

func hasEachClass(pw []byte, classes []string) bool {
	for _, c := range classes {
		if !strings.ContainsAny(string(pw), c) {
			return false
		}
	}
	return true
}

func randInt(n int) int {
	v, err := rand.Int(rand.Reader, big.NewInt(int64(n)))
	if err != nil {
		panic("vault: crypto/rand failed") // crypto/rand does not fail on supported systems
	}
	return int(v.Int64())
}

// Passphrase returns words random words from the bundled list joined by sep, each word
// capitalised or not at random when capitalise is set.
func Passphrase(words int, sep string, capitalise bool) (string, error) {
	if words < MinWords || words > MaxWords {
		return "", fmt.Errorf("the number of words must be between %d and %d", MinWords, MaxWords)
	}
	w := make([]string, words)
	for i := range w {
		w[i] = wordlist[randInt(len(wordlist))]
		if capitalise && randInt(2) == 1 {
			w[i] = strings.ToUpper(w[i][:1]) + w[i][1:]
		}
	}
	return strings.Join(w, sep), nil
}

// PassphraseBits is the entropy of a passphrase of n words from the bundled list.
func PassphraseBits(n int) float64 { return float64(n) * math.Log2(float64(len(wordlist))) }

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

// commonPasswords are the most used passwords in public breach statistics, lower-cased.
// A password that is one of them (or one plus digits) is guessed in the first second.
var commonPasswords = map[string]bool{}

func init() {
	for _, p := range strings.Fields(`password 123456 12345678 123456789 1234567890 qwerty
abc123 111111 123123 password1 1234567 12345 iloveyou admin welcome monkey dragon
letmein football baseball master sunshine princess qwertyuiop shadow superman
michael trustno1 000000 654321 passw0rd starwars whatever freedom hello charlie
donald login solo 1q2w3e4r qazwsx zaq12wsx asdfghjkl access flower hottie loveme
mustang batman jordan hunter ranger buster soccer harley thomas tigger robert
matthew jennifer pepper daniel andrew summer ashley nicole chelsea biteme computer
secret killer test test123 guest changeme default root toor 987654321 666666
121212 7777777 aa123456 password123 qwerty123 1qaz2wsx 123qwe zxcvbnm asdf1234
p@ssw0rd p@ssword pa55word rahasia matkhau losenord`) {
		commonPasswords[p] = true
	}
}

// EstimateStrength estimates a password's strength from its character classes and
// length, with penalties for what guessing tools try first: common passwords, words,
// runs like "abcd" or "4321", and repeats.
func EstimateStrength(pw string) Strength {
	var s Strength
	runes := []rune(pw)
	if len(runes) == 0 {
		s.Hints = []string{"short"}
		return s
	}
	pool, classes := charPool(runes)
	eff, seq, rep := effectiveLength(runes)
	s.Bits = eff * math.Log2(float64(pool))
	low := strings.ToLower(pw)
	base := strings.TrimRight(low, "0123456789!.?")
	switch {
	case commonPasswords[low] || commonPasswords[base]:
		s.Bits = min(s.Bits, 10)
		s.Hints = append(s.Hints, "common")
	case containsWord(low):
		s.Bits -= 12
		s.Hints = append(s.Hints, "dictionary-word")
	}
	if len(runes) < 12 {
		s.Hints = append(s.Hints, "short")
	}
	if seq >= 3 {
		s.Hints = append(s.Hints, "sequence")
	}
	if rep >= 3 {
		s.Hints = append(s.Hints, "repeat")
	}
	if classes == 1 && len(runes) < 20 {
		s.Hints = append(s.Hints, "one-class")
	}
	s.Bits = max(s.Bits, 0)
	for _, t := range scoreBits {
		if s.Bits >= t {
			s.Score++
		}
	}
	return s
}

// charPool is the size of the alphabet a guesser must try for runes (the union of
// their character classes) and how many classes they use.
func charPool(runes []rune) (pool, classes int) {
	var lower, upper, digit, symbol, other bool
	for _, r := range runes {
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
	for _, c := range []struct {
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
func effectiveLength(runes []rune) (eff float64, seq, rep int) {
	eff = 1
	for i := 1; i < len(runes); i++ {
		switch d := runes[i] - runes[i-1]; {
		case d == 0:
			rep++
			eff += 0.25
		case d == 1 || d == -1:
			seq++
			eff += 0.25
		default:
			eff++
		}
	}
	return eff, seq, rep
}

// containsWord reports whether the password is mostly one dictionary word from the
// bundled list (at least 5 letters of it), the first thing a guessing tool tries.
func containsWord(low string) bool {
	if len(low) > 24 {
		return false // long enough that one word inside does not decide its strength
	}
	for _, w := range wordlist {
		if len(w) >= 5 && len(w)*2 >= len(low) && strings.Contains(low, w) {
			return true
		}
	}
	return false
}
