package api

import (
	"slices"
	"strings"
	"testing"
)

func TestPasswordRules(t *testing.T) {
	for _, tc := range []struct {
		pw   string
		want []Code
	}{
		{"Valv-Acc0unt", nil},
		{"Åäö1ßçéÜ", nil}, // characters, not bytes; non-ASCII letters have a case
		{"Short1A", []Code{CodePasswordTooShort}},
		{"NoDigitsHere", []Code{CodePasswordNoDigit}},
		{"NOLOWER123", []Code{CodePasswordNoLower}},
		{"noupper123", []Code{CodePasswordNoUpper}},
		{"Has space 123", []Code{CodePasswordHasSpace}},
		{"Tab\tIn-side1", []Code{CodePasswordHasSpace}},
		{"abc", []Code{CodePasswordTooShort, CodePasswordNoDigit, CodePasswordNoUpper}},
		{"Aa1" + strings.Repeat("x", MaxPasswordBytes-3), nil},
		{"Aa1" + strings.Repeat("x", MaxPasswordBytes-2), []Code{CodePasswordTooLong}},
	} {
		if got := BrokenPasswordRules(tc.pw); !slices.Equal(got, tc.want) {
			t.Errorf("%.20q: broken %v, want %v", tc.pw, got, tc.want)
		}
	}
	keys := map[string]bool{}
	for _, r := range PasswordRules {
		if r.Key == "" || keys[r.Key] || r.Code == "" {
			t.Errorf("rule %+v: empty or repeated", r)
		}
		keys[r.Key] = true
	}
}
