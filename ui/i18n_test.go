package ui

import (
	"bytes"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"log"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"

	"github.com/valvpm/valv/assets"
	"github.com/valvpm/valv/ui/appcore"
	"github.com/valvpm/valv/ui/localeenv"
	"github.com/valvpm/valv/vault"
)

func loadLanguage(t *testing.T, code string) map[string]string {
	t.Helper()
	b, err := assets.Translations.ReadFile(assets.TranslationsDir + "/" + code + ".json")
	if err != nil {
		t.Fatalf("no translations for %s: %v", code, err)
	}
	m := map[string]string{}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s.json: %v", code, err)
	}
	return m
}

var placeholder = regexp.MustCompile(`{{\s*\.(\w+)\s*}}`)

// placeholders returns the names of the {{.Placeholder}}s in s, sorted, once each.
func placeholders(s string) []string {
	var names []string
	for _, p := range placeholder.FindAllStringSubmatch(s, -1) {
		names = append(names, p[1])
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// TestTranslationsComplete fails when any language lacks a key English has (or has one
// English lacks), leaves one empty, or has other {{.Placeholders}} than English: a
// dropped one loses the value, a misspelt one shows "<no value>".
func TestTranslationsComplete(t *testing.T) {
	en := loadLanguage(t, "en")
	entries, err := assets.Translations.ReadDir(assets.TranslationsDir)
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, e := range entries {
		files = append(files, strings.TrimSuffix(e.Name(), ".json"))
	}
	for _, l := range appcore.Languages {
		if !slices.Contains(files, l.Code) {
			t.Errorf("appcore.Settings offers %s but assets has no %s.json", l.Name, l.Code)
		}
	}
	for _, code := range files {
		m := loadLanguage(t, code)
		if m["lang.code"] != code {
			t.Errorf("%s.json: lang.code is %q", code, m["lang.code"])
		}
		for k, v := range en {
			tr, ok := m[k]
			switch {
			case !ok:
				t.Errorf("%s.json lacks %q", code, k)
			case strings.TrimSpace(tr) == "":
				t.Errorf("%s.json: %q is empty", code, k)
			default:
				if want, got := placeholders(v), placeholders(tr); !slices.Equal(want, got) {
					t.Errorf("%s.json: %q has the placeholders %v, English has %v", code, k, got, want)
				}
			}
		}
		for k := range m {
			if _, ok := en[k]; !ok {
				t.Errorf("%s.json has %q, which en.json lacks", code, k)
			}
		}
	}
}

// TestEveryKeyExists parses the package's source and checks that every T("key") and
// every key built from a known prefix is in en.json, so a typo cannot show a raw key.
func TestEveryKeyExists(t *testing.T) {
	en := loadLanguage(t, "en")
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			if id, ok := call.Fun.(*ast.Ident); !ok || id.Name != "T" {
				return true
			}
			lit, ok := call.Args[0].(*ast.BasicLit)
			if !ok {
				return true // a built key: checked below by enumeration
			}
			key, _ := strconv.Unquote(lit.Value)
			if _, ok := en[key+".one"]; ok {
				key += ".one" // a counted sentence has both forms
			}
			if _, ok := en[key]; !ok {
				t.Errorf("%s: T(%q) has no English text", fset.Position(lit.Pos()), key)
			}
			return true
		})
	}
	// Built keys: every field, hint and strength the code can ask for.
	for _, f := range vault.AllFields() {
		if _, ok := en[f.LabelKey()]; !ok {
			t.Errorf("no English text for %s", f.LabelKey())
		}
	}
	for _, h := range []string{"short", "common", "sequence", "repeat", "one-class", "dictionary-word"} {
		if hintText(h) == "hint."+h {
			t.Errorf("no English text for hint.%s", h)
		}
	}
}

// TestLanguageSwitch: each language really changes the text, and "" follows the OS.
func TestLanguageSwitch(t *testing.T) {
	t.Cleanup(func() { _ = SetLanguage("en") })
	seen := map[string]bool{}
	for _, l := range appcore.Languages {
		if err := SetLanguage(l.Code); err != nil {
			t.Fatal(err)
		}
		if got := CurrentLanguage(); got != l.Code {
			t.Errorf("SetLanguage(%s) gives %s", l.Code, got)
		}
		seen[T("main.lock")] = true
	}
	if len(seen) != len(appcore.Languages) {
		t.Errorf("the four languages share texts: %v", seen)
	}
}

// TestUnparsableLocale: LANG=C and garbage give English, with no error line.
func TestUnparsableLocale(t *testing.T) {
	var logged bytes.Buffer
	log.SetOutput(&logged) // Fyne reports locale problems through the log package
	t.Cleanup(func() {
		log.SetOutput(os.Stderr)
		_ = SetLanguage("en")
		if logged.Len() > 0 {
			t.Errorf("an unparsable locale printed:\n%s", logged.String())
		}
	})
	for _, v := range []string{"C", "C.UTF-8", "POSIX", "", "no such thing!"} {
		t.Setenv("LC_ALL", "")
		t.Setenv("LC_MESSAGES", "")
		t.Setenv("LANGUAGE", "")
		t.Setenv("LANG", v)
		if err := SetLanguage(""); err != nil {
			t.Fatal(err)
		}
		if got := CurrentLanguage(); got != "en" {
			t.Errorf("LANG=%q gives %s, want en", v, got)
		}
	}
	for v, want := range map[string]bool{"sv_SE.UTF-8": true, "vi": true, "id_ID": true, "C.UTF-8": false, "x": false, "en_US!": false, "es_419": true} {
		if got := localeenv.Parsable(v); got != want {
			t.Errorf("Parsable(%q) = %v", v, got)
		}
	}
	t.Setenv("LANG", "sv_SE.UTF-8")
	if err := SetLanguage(""); err != nil {
		t.Fatal(err)
	}
	if got := CurrentLanguage(); got != "sv" {
		t.Errorf("LANG=sv_SE.UTF-8 gives %s", got)
	}
}

// TestOtherSystemLanguage: on a system in a language Fyne knows but Valv does not
// (French), Valv speaks English, not raw keys; an override still works there.
func TestOtherSystemLanguage(t *testing.T) {
	t.Cleanup(func() { _ = SetLanguage("en") })
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANGUAGE"} {
		t.Setenv(k, "")
	}
	t.Setenv("LANG", "fr_FR.UTF-8")
	if err := SetLanguage(""); err != nil {
		t.Fatal(err)
	}
	if got := T("main.lock"); got != "Lock" {
		t.Errorf("on a French system the Lock button says %q, want English", got)
	}
	for code, want := range map[string]string{"vi": "Khóa", "sv": "Lås", "id": "Kunci", "en": "Lock"} {
		if err := SetLanguage(code); err != nil {
			t.Fatal(err)
		}
		if got := T("main.lock"); got != want {
			t.Errorf("override %s on a French system gives %q, want %q", code, got, want)
		}
	}
}

// TestEnglishSystemTag: where the OS locale is "en" itself, the wanted language is
// loaded under English's own tag; switching back to English must bring English back.
func TestEnglishSystemTag(t *testing.T) {
	t.Cleanup(func() { _ = SetLanguage("en") })
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANGUAGE"} {
		t.Setenv(k, "")
	}
	t.Setenv("LANG", "en")
	for _, step := range []struct{ code, want string }{{"sv", "Lås"}, {"en", "Lock"}, {"vi", "Khóa"}, {"", "Lock"}} {
		if err := SetLanguage(step.code); err != nil {
			t.Fatal(err)
		}
		if got := T("main.lock"); got != step.want {
			t.Errorf("LANG=en, SetLanguage(%q): the Lock button says %q, want %q", step.code, got, step.want)
		}
	}
}

// TestNoUntranslatedText renders every screen and dialog and fails if any text on screen
// did not come from T (or from the person's own data, or a language's own name).
func TestNoUntranslatedText(t *testing.T) {
	for _, code := range []string{"en", "sv"} {
		t.Run(code, func(t *testing.T) {
			if err := SetLanguage(code); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = SetLanguage("en") })
			fromT := trackTranslations()
			t.Cleanup(func() { trackOutput = false })
			ta := newTestApp(t, false)
			u := ta.u
			user := map[string]bool{}
			check := func(screen string) {
				t.Helper()
				objs := test.LaidOutObjects(u.win.Content())
				for _, o := range u.win.Canvas().Overlays().List() {
					objs = append(objs, test.LaidOutObjects(o)...)
				}
				for _, o := range objs {
					txt, ok := o.(*canvas.Text)
					if !ok || !txt.Visible() {
						continue
					}
					s := strings.TrimSpace(txt.Text)
					if s == "" || fromT(s) || user[s] || s == mask || strings.Trim(s, "•") == "" || isLanguageName(s) || isUserData(s, user) {
						continue
					}
					t.Errorf("%s shows %q, which did not come through T", screen, s)
				}
			}
			check("welcome")
			test.Tap(u.welcome.offline)
			check("create")
			typeSecret(u.create.pair.pw1, "abc")
			check("create with meter")
			ta.createVault(strongPassword)
			check("empty vault")
			items := map[vault.Type]map[string]string{
				vault.TypeLogin:   {"title": "GitHub", "url": "github.com", "username": "octo", "password": "pw-One-1"},
				vault.TypeApp:     {"title": "Steam", "application": "Steam", "username": "gamer", "password": "pw-Two-2"},
				vault.TypeCard:    {"title": "Visa", "cardholder": "Ann Lee", "number": "4111 1111 1111 1111", "expiry": "07/29", "cvc": "123", "pin": "4321"},
				vault.TypeAddress: {"title": "Home", "name": "Ann Lee", "street": "Storgatan 1", "city": "Uppsala", "postcode": "75310", "country": "Sweden", "phone": "+46 18 123", "email": "ann@example.com"},
				vault.TypeNote:    {"title": "Wi-Fi", "notes": "router in the hall"},
			}
			user["•••• 1111"] = true        // the card's subtitle
			user["Ann Lee, Uppsala"] = true // the address's subtitle
			for _, typ := range vault.Types {
				for _, v := range items[typ] {
					user[v] = true
				}
				ta.addItem(typ, items[typ])
				check("detail of " + typ.String())
			}
			d := ta.selectTitle("GitHub")
			test.Tap(d.edit)
			check("editor")
			u.editor.secrets["password"].SetText("pw-Three-3")
			user["pw-Three-3"] = true
			test.Tap(u.editor.save)
			test.Tap(u.main.detail.hist)
			check("history")
			u.closeAllDialogs()
			test.Tap(u.main.generator)
			user[u.gen.value] = true
			check("generator")
			u.closeAllDialogs()
			test.Tap(u.main.settings)
			check("settings")
			test.Tap(u.settings.changePW)
			check("change password")
			u.closeAllDialogs()
			test.Tap(u.main.syncButton)
			check("sync")
			u.closeAllDialogs()
			test.Tap(u.main.lock)
			check("unlock")
		})
	}
}

// isUserData accepts wrapped or truncated pieces of what the test typed.
func isUserData(s string, user map[string]bool) bool {
	s = strings.TrimSuffix(s, "…")
	for v := range user {
		if strings.Contains(v, s) {
			return true
		}
	}
	return false
}

func isLanguageName(s string) bool {
	for _, l := range appcore.Languages {
		if l.Name == s {
			return true
		}
	}
	return false
}

// TestOpenFailures: a vault held by another process, or a damaged file, shows a
// sentence and a Try again button, never a crash.
func TestOpenFailures(t *testing.T) {
	t.Run("in use", func(t *testing.T) {
		a := test.NewTempApp(t)
		dir := t.TempDir()
		pw := []byte(strongPassword)
		floor := vault.FloorKDF()
		v, err := vault.Create(filepath.Join(dir, "vault.db"), pw, vault.CreateOptions{KDF: &floor})
		if err != nil {
			t.Fatal(err)
		}
		ta := startTestApp(t, a, dir, appcore.Settings{Offline: true})
		if ta.u.failed == nil {
			if ta.ctrl.Stage() == appcore.StageLocked {
				t.Skip("this platform lets one process open a bbolt file twice")
			}
			t.Fatalf("stage %v, want the failure screen", ta.ctrl.Stage())
		}
		if err := v.Close(); err != nil {
			t.Fatal(err)
		}
		test.Tap(ta.u.failed.retry)
		if ta.u.unlock == nil {
			t.Error("Try again after the other window closed did not show the unlock screen")
		}
	})
	t.Run("damaged", func(t *testing.T) {
		a := test.NewTempApp(t)
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "vault.db"), []byte(strings.Repeat("not a vault ", 800)), 0o600); err != nil {
			t.Fatal(err)
		}
		ta := startTestApp(t, a, dir, appcore.Settings{Offline: true})
		if ta.u.failed == nil {
			t.Fatalf("a damaged file gives stage %v, want the failure screen", ta.ctrl.Stage())
		}
		found := false
		for _, o := range test.LaidOutObjects(ta.u.win.Content()) {
			if txt, ok := o.(*canvas.Text); ok && strings.Contains(T("error.corrupt"), txt.Text) && txt.Text != "" {
				found = true
			}
		}
		if !found {
			t.Errorf("the failure screen does not say the file is damaged")
		}
	})
}

// fyneKeys are the messages Fyne's own widgets and driver look up (menus, file dialogs,
// entry menus). Valv's language replaces Fyne's under the system locale's tag, so
// each language must have them, or every screen change logs a translation failure.
var fyneKeys = []string{"Advanced", "Cancel", "Confirm", "Copy", "Create Folder", "Cut", "Enter filename",
	"Error", "Favourites", "File", "Folder", "New Folder", "No", "OK", "Open", "Paste", "Quit", "Redo",
	"Save", "Select all", "Show Hidden Files", "Undo", "Yes", "file.name", "file.parent", "(Parent)"}

// TestFyneKeysTranslated: every message Fyne looks up is in every language, and
// looking each up in each language logs no translation failure.
func TestFyneKeysTranslated(t *testing.T) {
	var logged bytes.Buffer
	log.SetOutput(&logged)
	t.Cleanup(func() { log.SetOutput(os.Stderr) })
	for _, l := range appcore.Languages {
		m := loadLanguage(t, l.Code)
		for _, k := range fyneKeys {
			if m[k] == "" {
				t.Errorf("%s.json lacks Fyne's %q", l.Code, k)
			}
		}
		if err := SetLanguage(l.Code); err != nil {
			t.Fatal(err)
		}
		for _, k := range fyneKeys {
			lang.L(k)
		}
	}
	if err := SetLanguage("en"); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(logged.String(), "Translation failure") {
		t.Errorf("looking up Fyne's messages logged:\n%s", logged.String())
	}
}

// TestTermsConsistent: the seeded terms are used, one control has one name across
// screens, and two controls do not share one.
func TestTermsConsistent(t *testing.T) {
	lang := map[string]map[string]string{}
	for _, l := range appcore.Languages {
		lang[l.Code] = loadLanguage(t, l.Code)
	}
	for _, tc := range []struct{ code, key, want string }{
		{"vi", "sms.resend", "Nhận một mã mới"},
		{"vi", "danger.resend", "Nhận một mã mới"},
		{"sv", "signIn.forgot", "Har du glömt ditt lösenord?"},
		{"sv", "accountError.wrongPassword", "Lösenordet är felaktigt."},
	} {
		if got := lang[tc.code][tc.key]; got != tc.want {
			t.Errorf("%s %s: %q, want the seed's %q", tc.code, tc.key, got, tc.want)
		}
	}
	for code, m := range lang {
		if (code == "id" || code == "vi") && m["main.generator"] != m["gen.title"] {
			t.Errorf("%s: the generator is %q in the toolbar and %q in its dialog", code, m["main.generator"], m["gen.title"])
		}
		if m["transfer.menuQuit"] == m["accountSettings.signOut"] {
			t.Errorf("%s: Quit and Sign out are both %q", code, m["Quit"])
		}
		if strings.HasPrefix(m["accountSettings.signedInAs"], strings.Split(m["choose.signInAs"], "{{")[0]) {
			t.Errorf("%s: the signed-in state reads as the Sign in as button: %q", code, m["accountSettings.signedInAs"])
		}
		for k, v := range m {
			if strings.HasSuffix(v, " …") {
				t.Errorf("%s %s: a space before the ellipsis in %q", code, k, v)
			}
		}
	}
}
