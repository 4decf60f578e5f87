// Package localeenv removes locale environment values that Fyne's lang package cannot
// parse (LANG=C.UTF-8, garbage), so an odd locale quietly gives English instead of an
// error line on stderr.
//
// It must run before fyne.io/fyne/v2/lang initialises, because lang reads the locale in
// its init. Go initialises packages in import-path order among those whose imports are
// ready (the spec's rule since Go 1.21); this package imports only os and strings, and
// lang imports text/template, which sorts after github.com/…, so importing this package
// (blank) from the main package is enough to run it first.
package localeenv

import (
	"os"
	"strings"
)

// Vars are the variables go-locale (Fyne's locale source on Linux and the BSDs) reads.
var Vars = []string{"LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"}

func init() { Sanitise() }

// Sanitise unsets every locale variable whose value Fyne would fail to parse. "C" and
// "POSIX" are left alone: go-locale already treats them as "no preference".
func Sanitise() {
	for _, k := range Vars {
		v, ok := os.LookupEnv(k)
		if !ok || v == "" || v == "C" || v == "POSIX" {
			continue
		}
		if !Parsable(v) {
			_ = os.Unsetenv(k)
		}
	}
}

// Parsable reports whether every colon-separated part of v has the shape
// language[_REGION][.charset][@modifier] that go-locale turns into a valid BCP 47 tag:
// a 2–3 letter language and an optional 2-letter or 3-digit region.
func Parsable(v string) bool {
	for _, part := range strings.Split(v, ":") {
		if i := strings.IndexAny(part, ".@"); i >= 0 {
			part = part[:i]
		}
		base, region, _ := strings.Cut(strings.ReplaceAll(part, "-", "_"), "_")
		if len(base) < 2 || len(base) > 3 || !letters(base) {
			return false
		}
		switch {
		case region == "":
		case len(region) == 2 && letters(region):
		case len(region) == 3 && digits(region):
		default:
			return false
		}
	}
	return true
}

func letters(s string) bool {
	for _, r := range s {
		if (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') {
			return false
		}
	}
	return true
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
