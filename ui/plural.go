package ui

import (
	"encoding/json"
	"strings"
	"sync"

	"github.com/valvpm/valv/assets"
)

// Counted sentences ("1 item", "3 items") have a plural form per count in the
// translation files: key.one and key.other, picked by the language's rule, since
// languages differ in which counts take which form (Indonesian and Vietnamese have
// one form for every count). T picks the form when a sentence with forms is given a
// Count.

var (
	pluralOnce sync.Once
	pluralKeys map[string]bool // keys with forms: key.one and key.other exist
)

// pluralForms finds the counted sentences in the English file (every language has the
// same keys: TestTranslationsComplete).
func pluralForms() map[string]bool {
	pluralOnce.Do(func() {
		pluralKeys = map[string]bool{}
		b, err := assets.Translations.ReadFile(assets.TranslationsDir + "/en.json")
		if err != nil {
			return
		}
		var m map[string]string
		if json.Unmarshal(b, &m) != nil {
			return
		}
		for k := range m {
			// Both forms: "field.other" alone is the label of a field named Other.
			if base, ok := strings.CutSuffix(k, ".other"); ok && m[base+".one"] != "" {
				pluralKeys[base] = true
			}
		}
	})
	return pluralKeys
}

// pluralKey is the key of the form of key that data's Count takes in the current
// language, or key itself when it has no forms.
func pluralKey(key string, data []map[string]any) string {
	if len(data) == 0 || !pluralForms()[key] {
		return key
	}
	n, ok := data[0]["Count"].(int)
	if !ok {
		return key + ".other"
	}
	return key + "." + pluralCategory(CurrentLanguage(), n)
}

// pluralCategory is the CLDR plural category of the count n in language code, for the
// languages Valv speaks.
func pluralCategory(code string, n int) string {
	switch code {
	case "id", "vi":
		return "other" // no grammatical number
	}
	if n == 1 {
		return "one" // English, Swedish
	}
	return "other"
}
