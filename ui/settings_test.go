package ui

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"github.com/valvpm/valv/vault"
)

// TestSettingsFile: defaults for a missing or damaged file, out-of-range values
// repaired, and a round trip through Save.
func TestSettingsFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "settings.json")
	s, err := LoadSettings(path)
	if err != nil || s.AutoLockSeconds != 300 || s.ClipboardSeconds != 30 || s.Theme != ThemeSystem {
		t.Fatalf("missing file: %+v, %v", s, err)
	}
	s.AutoLockSeconds, s.Language, s.Theme = 600, "vi", ThemeDark
	s.Window = WindowGeometry{Width: 800, Height: 500}
	if err := s.Save(); err != nil {
		t.Fatal(err)
	}
	back, err := LoadSettings(path)
	if err != nil || back.AutoLockSeconds != 600 || back.Language != "vi" || back.Theme != ThemeDark || back.Window.Width != 800 {
		t.Fatalf("round trip: %+v, %v", back, err)
	}
	if err := os.WriteFile(path, []byte(`{"autoLockSeconds": -5, "theme": "purple", "language": "xx"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	fixed, err := LoadSettings(path)
	if err != nil || fixed.AutoLockSeconds != 300 || fixed.Theme != ThemeSystem || fixed.Language != "" {
		t.Errorf("out-of-range values kept: %+v, %v", fixed, err)
	}
	if err := os.WriteFile(path, []byte(`{not json`), 0o600); err != nil {
		t.Fatal(err)
	}
	if d, err := LoadSettings(path); err == nil || d.AutoLockSeconds != 300 {
		t.Errorf("a damaged file must give the defaults and say so: %+v, %v", d, err)
	}
}

// TestSettingsDialog: the dialog saves every choice, switches the language at once and
// applies the clipboard delay.
func TestSettingsDialog(t *testing.T) {
	t.Cleanup(func() { _ = SetLanguage("en") })
	ta := newTestApp(t, true)
	ta.createVault(strongPassword)
	u := ta.u

	test.Tap(u.main.settings)
	s := u.settings
	s.autoLock.SetSelected(delayText(60))
	s.clipboard.SetSelected(delayText(10))
	s.theme.SetSelectedIndex(2)
	s.language.SetSelected("Svenska")
	test.Tap(s.save)

	got := ta.ctrl.Settings()
	if got.AutoLockSeconds != 60 || got.ClipboardSeconds != 10 || got.Theme != ThemeDark || got.Language != "sv" {
		t.Fatalf("saved %+v", got)
	}
	onDisk, err := LoadSettings(got.path)
	if err != nil || onDisk.Language != "sv" || onDisk.AutoLockSeconds != 60 {
		t.Fatalf("not written to disk: %+v, %v", onDisk, err)
	}
	if u.main == nil || u.main.lock.Text != "Lås" {
		t.Fatalf("the window was not rebuilt in Swedish: %q", u.main.lock.Text)
	}
	if th, ok := ta.app.Settings().Theme().(forcedVariant); !ok || th.variant != theme.VariantDark {
		t.Errorf("the dark theme was not applied: %T", ta.app.Settings().Theme())
	}
}

// TestKeyboard: Tab moves through the create screen in reading order, Esc closes the
// top dialog, Enter in the editor saves, Ctrl+N opens a new login and Ctrl+F the search.
func TestKeyboard(t *testing.T) {
	ta := newTestApp(t, true)
	u := ta.u
	c := u.win.Canvas()
	pair := u.create.pair
	if c.Focused() != pair.pw1 {
		t.Fatal("the create screen does not start in the password field")
	}
	want := []fyne.Focusable{pair.pw2, u.create.submit}
	for _, w := range want {
		test.FocusNext(c)
		if c.Focused() != w {
			t.Fatalf("Tab went to %T, want %T", c.Focused(), w)
		}
	}
	ta.createVault(strongPassword)

	c.(fyne.Shortcutable).TypedShortcut(newShortcut)
	e := u.editor
	if e == nil || e.it.Type != vault.TypeLogin || c.Focused() != e.entries["title"] {
		t.Fatal("Ctrl+N did not open a new website login with the title focused")
	}
	test.Type(e.entries["title"], "Typed")
	e.entries["title"].TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if len(ta.titles()) != 1 {
		t.Fatal("Enter in the editor did not save")
	}

	test.Tap(u.main.generator)
	if len(u.dialogs) != 1 {
		t.Fatalf("%d dialogs open", len(u.dialogs))
	}
	c.Unfocus()
	c.OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if len(u.dialogs) != 0 {
		t.Error("Esc did not close the generator")
	}
	test.Tap(u.main.settings)
	test.Tap(u.settings.changePW)
	u.changePW.current.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if len(u.dialogs) != 1 {
		t.Errorf("Esc in a password field closed %d dialogs, want the top one", 2-len(u.dialogs))
	}
	u.closeAllDialogs()

	c.(fyne.Shortcutable).TypedShortcut(searchShortcut)
	if c.Focused() != u.main.search {
		t.Error("Ctrl+F did not focus the search box")
	}
}

// TestGeneratorFromEditor: the generator opened from the password field fills it.
func TestGeneratorFromEditor(t *testing.T) {
	ta := newTestApp(t, true)
	ta.createVault(strongPassword)
	u := ta.u
	u.main.add(vault.TypeLogin)
	e := u.editor
	test.Tap(e.generate)
	g := u.gen
	g.length.SetValue(32)
	if len(g.value) != 32 {
		t.Fatalf("length 32 gave %d characters", len(g.value))
	}
	g.mode.SetSelected(T("gen.words"))
	if g.value == "" || len(g.value) < 15 {
		t.Fatalf("passphrase %q", g.value)
	}
	g.mode.SetSelected(T("gen.characters"))
	g.lower.SetChecked(false)
	g.upper.SetChecked(false)
	g.digits.SetChecked(false)
	g.symbols.SetChecked(false)
	if !g.accept.Disabled() {
		t.Error("with no character class the generator still offers a password")
	}
	g.digits.SetChecked(true)
	value := g.value
	test.Tap(g.accept)
	if e.entries["password"].Text != value {
		t.Error("Use password did not fill the editor")
	}
}

// TestClipboardDelayFromSettings: the controller clears a copied secret after the
// configured delay.
func TestClipboardDelayFromSettings(t *testing.T) {
	cb := &fakeClipboard{}
	s := DefaultSettings()
	s.ClipboardSeconds = 1
	ctrl := NewController(filepath.Join(t.TempDir(), "vault.db"), s, inline, cb)
	ctrl.Copy("top secret")
	time.Sleep(300 * time.Millisecond)
	if cb.Content() != "top secret" {
		t.Fatal("cleared too early")
	}
	waitFor(t, func() bool { return cb.Content() == "" }, "not cleared after the configured second")
}

// TestConnectReminder: an offline user sees the "you can connect" note at most once a
// week; dismissing it starts the next week.
func TestConnectReminder(t *testing.T) {
	ta := newTestApp(t, false)
	test.Tap(ta.u.welcome.offline)
	ta.createVault(strongPassword)
	if ta.u.main.reminder != nil {
		t.Fatal("the reminder shows right after choosing to run offline")
	}
	s := ta.ctrl.Settings()
	s.Reminded = time.Now().Add(-8 * 24 * time.Hour)
	if err := ta.ctrl.UpdateSettings(s); err != nil {
		t.Fatal(err)
	}
	test.Tap(ta.u.main.lock)
	typeSecret(ta.u.unlock.pw, strongPassword)
	test.Tap(ta.u.unlock.submit)
	m := ta.u.main
	if m.reminder == nil || m.reminder.Hidden {
		t.Fatal("no reminder after a week")
	}
	test.Tap(m.notNow)
	if !m.reminder.Hidden || ta.ctrl.ReminderDue(time.Now()) {
		t.Error("Not now did not dismiss the reminder for a week")
	}
	if !ta.ctrl.ReminderDue(time.Now().Add(7*24*time.Hour + time.Minute)) {
		t.Error("the reminder does not come back after another week")
	}
}
