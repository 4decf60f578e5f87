package ui

import (
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"github.com/valvpm/valv/assets"
	"github.com/valvpm/valv/ui/appcore"
	"github.com/valvpm/valv/ui/localeenv"
)

var (
	langMu      sync.Mutex
	langLoaded  bool
	tracked     map[string]struct{}
	trackedMu   sync.Mutex
	trackOutput bool
)

// SetLanguage loads Valv's translations and selects code ("en", "id", "vi", "sv"), or
// the operating system's language when code is "" (English when the OS language is
// none of ours, or the locale is unknown or unparsable such as LANG=C).
//
// Fyne's lang package always picks the language closest to the OS locale among the
// languages it has files for — including Fyne's own built-in ones (French, German…),
// for which Valv has no texts — and it has no setter. So Valv makes the OS language
// speak the language wanted: it loads its English file, then the wanted language's
// file under the OS language's tag. This works the same on every platform
// and needs no change to the environment.
func SetLanguage(code string) error {
	langMu.Lock()
	defer langMu.Unlock()
	// The app does this before Fyne starts (cmd/valv imports localeenv); repeating it
	// covers a locale changed since, as tests do.
	localeenv.Sanitise()
	// The tag lang will match the OS locale to, e.g. "sv-SE"; its base language picks
	// the default.
	sys := lang.SystemLocale().LanguageString()
	base, _, _ := strings.Cut(sys, "-")
	want := code
	if !appcore.KnownLanguage(want) {
		want = "en"
		if appcore.KnownLanguage(base) {
			want = base
		}
	}
	// Two files, not all four: English, the fallback for a text a file lacks, then the
	// wanted language under the OS locale's tag, which replaces whatever an earlier
	// call put there (when that tag is "en" itself too). Each language held about 0.8
	// MiB of parsed messages for the app's whole life.
	err := addTranslation("en", "en")
	if e := addTranslation(want, sys); err == nil {
		err = e
	}
	langLoaded = true
	return err
}

// addTranslation loads Valv's file for language code under the locale tag.
func addTranslation(code, tag string) error {
	b, err := assets.Translations.ReadFile(assets.TranslationsDir + "/" + code + ".json")
	if err != nil {
		return err
	}
	return lang.AddTranslationsForLocale(b, fyne.Locale(tag))
}

// CurrentLanguage returns the code of the language T is translating into.
func CurrentLanguage() string {
	return lang.X("lang.code", "en")
}

// T translates the message with the given key. data, when given, fills the message's
// {{.Name}} placeholders. Every string the UI shows goes through T.
func T(key string, data ...map[string]any) string {
	langMu.Lock()
	if !langLoaded {
		langMu.Unlock()
		_ = SetLanguage("")
	} else {
		langMu.Unlock()
	}
	key = pluralKey(key, data)
	var s string
	if len(data) > 0 {
		s = lang.X(key, key, data[0])
	} else {
		s = lang.X(key, key)
	}
	if trackOutput {
		trackedMu.Lock()
		tracked[s] = struct{}{}
		trackedMu.Unlock()
	}
	return s
}

// trackTranslations makes T remember every string it returns, so a test can check that
// all text on screen came from T. It returns a function that reports whether s (or a
// line of s, since labels wrap) was produced by T.
func trackTranslations() (fromT func(s string) bool) {
	trackedMu.Lock()
	tracked = map[string]struct{}{}
	trackOutput = true
	trackedMu.Unlock()
	return func(s string) bool {
		trackedMu.Lock()
		defer trackedMu.Unlock()
		if _, ok := tracked[s]; ok {
			return true
		}
		for t := range tracked {
			if strings.Contains(t, s) {
				return true
			}
		}
		return false
	}
}
