package api

import (
	"unicode"
	"unicode/utf8"
)

// The account password rules of PRODUCT.md §1.4 are part of the wire contract: the
// server refuses a password that breaks any of them (400, the first broken rule's Code,
// all of them in Error.BrokenRules), and the clients check the very same list while the
// person types, so nobody has to submit a form to learn them. They are the one piece
// of logic in this package, because client and server may share nothing else.

// MaxPasswordBytes caps account passwords: long enough for any passphrase, short
// enough that hashing stays cheap.
const MaxPasswordBytes = 256

// PasswordRule is one rule an account password must follow.
type PasswordRule struct {
	Code Code   // the error code when the rule is broken
	Key  string // a short stable name for messages: "min-length", "digit", …
	// Checklist rules are the lines of the live checklist a form shows; the others
	// (the length cap, which nobody reaches by typing) only refuse.
	Checklist bool
	holds     func(pw string) bool
}

// Holds reports whether pw follows the rule.
func (r PasswordRule) Holds(pw string) bool { return r.holds(pw) }

// PasswordRules lists every rule, in the order the server reports broken ones.
var PasswordRules = []PasswordRule{
	{CodePasswordTooShort, "min-length", true, func(pw string) bool { return utf8.RuneCountInString(pw) >= 8 }},
	{CodePasswordNoDigit, "digit", true, func(pw string) bool { return hasRune(pw, unicode.IsDigit) }},
	{CodePasswordNoLower, "lowercase", true, func(pw string) bool { return hasRune(pw, unicode.IsLower) }},
	{CodePasswordNoUpper, "uppercase", true, func(pw string) bool { return hasRune(pw, unicode.IsUpper) }},
	{CodePasswordHasSpace, "no-spaces", true, func(pw string) bool { return !hasRune(pw, unicode.IsSpace) }},
	{CodePasswordTooLong, "max-length", false, func(pw string) bool { return len(pw) <= MaxPasswordBytes }},
}

// BrokenPasswordRules returns the codes of the rules pw breaks, in PasswordRules order
// (none: the password is acceptable).
func BrokenPasswordRules(pw string) []Code {
	var broken []Code
	for _, r := range PasswordRules {
		if !r.holds(pw) {
			broken = append(broken, r.Code)
		}
	}
	return broken
}

func hasRune(s string, is func(rune) bool) bool {
	for _, r := range s {
		if is(r) {
			return true
		}
	}
	return false
}
