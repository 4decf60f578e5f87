package vault

import (
	"crypto/rand"
	_ "embed"
	"fmt"
	"math"
	"math/big"
	"strings"
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
