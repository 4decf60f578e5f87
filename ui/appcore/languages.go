package appcore

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

// KnownLanguage reports whether code is one of Languages.
func KnownLanguage(code string) bool {
	for _, l := range Languages {
		if l.Code == code {
			return true
		}
	}
	return false
}
