package account

import (
	"net/mail"
	"strings"
	"unicode"
)

// Rule is one password rule of PRODUCT.md §1.4, shown live as a checklist while the
// person types. The server enforces the same rules (it is the authority; this copy
// exists so nobody has to submit the form to learn them).
type Rule struct {
	Key string // message key: "min-length", "digit", "lowercase", "uppercase", "no-spaces"
	OK  bool
}

// CheckPassword returns every rule and whether pw satisfies it.
func CheckPassword(pw string) []Rule {
	var digit, lower, upper, space bool
	n := 0
	for _, r := range pw {
		n++
		switch {
		case unicode.IsDigit(r):
			digit = true
		case unicode.IsLower(r):
			lower = true
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsSpace(r):
			space = true
		}
	}
	return []Rule{{"min-length", n >= 8}, {"digit", digit}, {"lowercase", lower}, {"uppercase", upper}, {"no-spaces", !space}}
}

// PasswordOK reports whether pw satisfies every rule.
func PasswordOK(pw string) bool {
	for _, r := range CheckPassword(pw) {
		if !r.OK {
			return false
		}
	}
	return true
}

// ValidEmail is a plain check of an e-mail address's shape; the server has the last word.
func ValidEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == strings.TrimSpace(s) && strings.Contains(a.Address[strings.LastIndex(a.Address, "@"):], ".")
}
