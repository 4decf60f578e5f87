package account

import (
	"net/mail"
	"strings"

	"github.com/valvpm/valv/cloud/api"
)

// Rule is one line of the live password checklist (PRODUCT.md §1.4) and whether the
// password typed so far follows it. The rules are cloud/api's, which the server
// enforces.
type Rule struct {
	Key string // message key: "min-length", "digit", "lowercase", "uppercase", "no-spaces"
	OK  bool
}

// CheckPassword returns every checklist rule and whether pw satisfies it.
func CheckPassword(pw string) []Rule {
	var out []Rule
	for _, r := range api.PasswordRules {
		if r.Checklist {
			out = append(out, Rule{r.Key, r.Holds(pw)})
		}
	}
	return out
}

// PasswordOK reports whether pw follows every rule the server enforces, the length cap
// included.
func PasswordOK(pw string) bool { return len(api.BrokenPasswordRules(pw)) == 0 }

// ValidEmail is a plain check of an e-mail address's shape; the server has the last word.
func ValidEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == strings.TrimSpace(s) && strings.Contains(a.Address[strings.LastIndex(a.Address, "@"):], ".")
}
