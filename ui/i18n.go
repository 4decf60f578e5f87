package ui

import (
	"os"
	"runtime"
	"strings"
	"sync"

	"fyne.io/fyne/v2/lang"

	"github.com/valvpm/valv/assets"
	"github.com/valvpm/valv/ui/localeenv"
)

// Language is one language the app is translated into.
type Language struct {
	Code string // BCP 47 base language, the name of its file under assets/translations
	Name string // the language's own name, shown untranslated so anyone can find theirs
}

// Languages lists the app's languages in the order Settings shows them.
var Languages = []Language{
	{"en", "English"},
	{"id", "Bahasa Indonesia"},
	{"vi", "Tiếng Việt"},
	{"sv", "Svenska"},
}

var (
	langMu      sync.Mutex
	langLoaded  bool
	savedEnv    map[string]*string // the process's locale variables before any override
	tracked     map[string]struct{}
	trackedMu   sync.Mutex
	trackOutput bool
)

// localeVars are the variables go-locale (used by Fyne's lang package on Linux and the
// BSDs) reads, in its order of precedence.
var localeVars = localeenv.Vars

// SetLanguage loads Valv's translations and selects code ("en", "id", "vi", "sv"), or the
// operating system's language when code is "". An unknown or unparsable system locale
// (LANG=C, POSIX, empty) quietly gives English.
//
// Fyne's lang package picks its language from the OS locale and has no setter, so an
// override is applied by pointing the locale variables it reads at the chosen language
// and reloading the translations, which makes lang re-read them. Fyne reads those
// variables on Linux and the BSDs; elsewhere the OS language wins (see the README).
func SetLanguage(code string) error {
	langMu.Lock()
	defer langMu.Unlock()
	if savedEnv == nil {
		savedEnv = map[string]*string{}
		for _, k := range localeVars {
			if v, ok := os.LookupEnv(k); ok {
				savedEnv[k] = &v
			} else {
				savedEnv[k] = nil
			}
		}
	}
	if runtime.GOOS != "windows" && runtime.GOOS != "darwin" {
		if known(code) {
			// LANGUAGE is only honoured when LC_ALL/LC_MESSAGES/LANG are not C or
			// POSIX, so set LC_MESSAGES too and clear LC_ALL, which would override it.
			// These are this process's variables only; glfw does not reread them.
			_ = os.Unsetenv("LC_ALL")
			_ = os.Setenv("LC_MESSAGES", code)
			_ = os.Setenv("LANGUAGE", code)
		} else {
			for k, v := range savedEnv {
				if v == nil {
					_ = os.Unsetenv(k)
				} else {
					_ = os.Setenv(k, *v)
				}
			}
			localeenv.Sanitise()
		}
	}
	// Reloading is what makes lang pick the language again.
	err := lang.AddTranslationsFS(assets.Translations, assets.TranslationsDir)
	langLoaded = true
	return err
}

func known(code string) bool {
	for _, l := range Languages {
		if l.Code == code {
			return true
		}
	}
	return false
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
