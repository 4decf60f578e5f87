package vault

import (
	"math"
	"math/big"
	"strings"
)

// What the generator made is as strong as the way it was drawn, not as it looks:
// EstimateStrength guesses from the characters (and takes a five-word passphrase for a
// 40-letter password, some 200 bits), while a guesser who knows the method needs to try
// only what the method can produce — 7,776 words a word, or the classes drawn from.

// genClasses are the character sets Generate draws from for o.
func genClasses(o GenOptions) []string {
	var classes []string
	for _, c := range []struct {
		on  bool
		set string
	}{{o.Lower, lowerChars}, {o.Upper, upperChars}, {o.Digits, digitChars}, {o.Symbols, symbolChars}} {
		if !c.on {
			continue
		}
		set := c.set
		if o.NoLookAlikes {
			set = strings.Map(func(r rune) rune {
				if strings.ContainsRune(lookAlikes, r) {
					return -1
				}
				return r
			}, set)
		}
		classes = append(classes, set)
	}
	return classes
}

// PasswordStrength is the strength of any password Generate(o) returns: log2 of how
// many it can return (every string of the length over the chosen classes that has a
// character of each, counted by inclusion–exclusion), all equally likely.
func PasswordStrength(o GenOptions) Strength {
	classes := genClasses(o)
	if len(classes) == 0 || o.Length <= 0 {
		return strengthOfBits(0)
	}
	n := big.NewInt(0)
	for subset := 0; subset < 1<<len(classes); subset++ {
		// Strings that lack every class in subset: drawn from the others only.
		size, missing := 0, 0
		for i, c := range classes {
			if subset&(1<<i) != 0 {
				missing++
			} else {
				size += len(c)
			}
		}
		term := new(big.Int).Exp(big.NewInt(int64(size)), big.NewInt(int64(o.Length)), nil)
		if missing%2 == 1 {
			n.Sub(n, term)
		} else {
			n.Add(n, term)
		}
	}
	return strengthOfBits(log2(n))
}

// PassphraseStrength is the strength of any passphrase Passphrase(words, sep,
// capitalise) returns: each word one of the list's, plus one bit a word when each is
// capitalised at random. A fixed separator adds nothing a guesser must try.
func PassphraseStrength(words int, capitalise bool) Strength {
	bits := PassphraseBits(words)
	if capitalise {
		bits += float64(words)
	}
	return strengthOfBits(bits)
}

// strengthOfBits scores bits on the thresholds EstimateStrength uses.
func strengthOfBits(bits float64) Strength {
	s := Strength{Bits: bits}
	for _, t := range scoreBits {
		if bits >= t {
			s.Score++
		}
	}
	return s
}

// log2 of a positive big integer, to float64 precision.
func log2(n *big.Int) float64 {
	if n.Sign() <= 0 {
		return 0
	}
	f, _ := new(big.Float).SetInt(n).Float64()
	if !math.IsInf(f, 0) {
		return math.Log2(f)
	}
	shift := n.BitLen() - 64
	top, _ := new(big.Float).SetInt(new(big.Int).Rsh(n, uint(shift))).Float64()
	return math.Log2(top) + float64(shift)
}
