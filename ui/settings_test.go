package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"github.com/valvpm/valv/ui/appcore"
	"github.com/valvpm/valv/vault"
)

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
	if got.AutoLockSeconds != 60 || got.ClipboardSeconds != 10 || got.Theme != appcore.ThemeDark || got.Language != "sv" {
		t.Fatalf("saved %+v", got)
	}
	onDisk, err := appcore.LoadSettings(got.Path)
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
	if secret(e.secrets["password"]) != value {
		t.Error("Use password did not fill the editor")
	}
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
	s.Reminded = ta.clock.Now().Add(-8 * 24 * time.Hour)
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
	if !m.reminder.Hidden || ta.ctrl.ReminderDue() {
		t.Error("Not now did not dismiss the reminder for a week")
	}
	ta.clock.Advance(7*24*time.Hour + time.Minute)
	if !ta.ctrl.ReminderDue() {
		t.Error("the reminder does not come back after another week")
	}
}

// TestSettingsFitsSmallWindow: at 800×600 the Settings dialog fits the window, its
// buttons do not sit on its controls, and a scroll reaches the dangerous actions.
func TestSettingsFitsSmallWindow(t *testing.T) {
	ta := newTestApp(t, true)
	ta.createVault(strongPassword)
	u := ta.u
	u.win.Resize(fyne.NewSize(800, 600))

	test.Tap(u.main.settings)
	s := u.settings
	d := fyne.CurrentApp().Driver()
	win := u.win.Canvas().Size()
	bottom := func(o fyne.CanvasObject) float32 { return d.AbsolutePositionForObject(o).Y + o.Size().Height }
	for _, b := range []fyne.CanvasObject{s.save, s.cancel} {
		if top := d.AbsolutePositionForObject(b).Y; top < 0 || bottom(b) > win.Height {
			t.Fatalf("a button of Settings lies outside the %v window (%v to %v)", win, top, bottom(b))
		}
	}
	if s.scroll == nil {
		t.Fatal("Settings does not scroll")
	}
	if bottom(s.scroll) > d.AbsolutePositionForObject(s.save).Y {
		t.Fatalf("the controls (to %v) run under the buttons (from %v)", bottom(s.scroll), d.AbsolutePositionForObject(s.save).Y)
	}
	s.scroll.ScrollToBottom()
	if bottom(s.sync.reset) > bottom(s.scroll)+1 {
		t.Fatalf("scrolled to the end, Reset (to %v) is still below the visible area (to %v)", bottom(s.sync.reset), bottom(s.scroll))
	}
}
