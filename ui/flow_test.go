package ui

import (
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/valvpm/valv/ui/appcore"
	"github.com/valvpm/valv/vault"
)

// TestFullFlow walks a new user's path through the real UI and a real vault: welcome →
// create → add one item of each type → search → edit → lock → unlock (wrong, then
// right) → change master password → relock.
func TestFullFlow(t *testing.T) {
	ta := newTestApp(t, false)
	u := ta.u

	// Welcome: Sign in, Create account and Run without connecting (PRODUCT.md §1).
	if u.welcome == nil {
		t.Fatal("a first start must show the welcome window")
	}
	buttons := 0
	for _, o := range test.LaidOutObjects(u.win.Content()) {
		if _, ok := o.(*widget.Button); ok {
			buttons++
		}
	}
	if buttons != 3 || u.welcome.signIn == nil || u.welcome.create == nil {
		t.Errorf("the welcome window has %d buttons, want Sign in, Create account and Run without connecting", buttons)
	}
	test.Tap(u.welcome.offline)
	if u.create == nil {
		t.Fatal("Run without connecting must lead to creating the master password")
	}
	if s, _ := appcore.LoadSettings(ta.ctrl.Settings().Path); !s.Offline {
		t.Error("Run without connecting was not remembered")
	}

	// A weak password needs explicit confirmation.
	c := u.create
	typeSecret(c.pair.pw1, "abc")
	if c.pair.weakOK.Hidden {
		t.Error("a weak password must show the confirmation box")
	}
	if c.pair.meter.label.Text != strengthName(0) {
		t.Errorf("meter says %q for a weak password", c.pair.meter.label.Text)
	}
	if !strings.Contains(c.pair.meter.hints.Text, T("hint.short")) {
		t.Errorf("the meter's hints %q do not say the password is short", c.pair.meter.hints.Text)
	}
	typeSecret(c.pair.pw2, "abc")
	test.Tap(c.submit)
	if u.create == nil || c.pair.message.Text != T("create.weakNeedsConfirm") {
		t.Fatalf("a weak password went through without confirmation (message %q)", c.pair.message.Text)
	}
	typeSecret(c.pair.pw2, "abd")
	c.pair.weakOK.SetChecked(true)
	test.Tap(c.submit)
	if c.pair.message.Text != T("create.mismatch") {
		t.Fatalf("mismatched passwords: message %q", c.pair.message.Text)
	}
	ta.createVault(strongPassword)
	if c.pair.pw1.Len() != 0 || c.pair.pw2.Len() != 0 {
		t.Error("the password fields were not wiped after creating the vault")
	}

	// One item of each type.
	ta.addItem(vault.TypeLogin, map[string]string{"title": "GitHub", "url": "github.com", "username": "octo", "password": "first-Secret-1"})
	ta.addItem(vault.TypeApp, map[string]string{"title": "Steam", "application": "Steam", "username": "gamer", "password": "app-Secret-2"})
	e := ta.addItem(vault.TypeCard, map[string]string{"title": "Visa", "cardholder": "Ann Lee", "number": "4111 1111 1111 1112", "expiry": "07/29", "cvc": "123"})
	if e.message.Hidden || !strings.Contains(e.message.Text, T("reason.cardNumber")) {
		t.Fatalf("a bad card number was not explained: %q", e.message.Text)
	}
	e.secrets["number"].SetText("4111 1111 1111 1111")
	test.Tap(e.save)
	ta.addItem(vault.TypeAddress, map[string]string{"title": "Home", "name": "Ann Lee", "street": "Storgatan 1", "city": "Uppsala", "country": "Sweden"})
	ta.addItem(vault.TypeNote, map[string]string{"title": "Wi-Fi", "notes": "router in the hall"})
	if got := ta.titles(); len(got) != 5 {
		t.Fatalf("after adding one of each type the list is %q", got)
	}

	// Categories.
	u.main.categories.Select(int(appcore.CatCard))
	if got := ta.titles(); !slices.Equal(got, []string{"Visa"}) {
		t.Errorf("Bank cards shows %q", got)
	}
	u.main.categories.Select(int(appcore.CatAll))

	// Search as you type.
	test.Type(u.main.search, "git")
	if got := ta.titles(); !slices.Equal(got, []string{"GitHub"}) {
		t.Errorf("searching git shows %q", got)
	}
	u.main.search.SetText("")
	if len(ta.titles()) != 5 {
		t.Errorf("clearing the search shows %q", ta.titles())
	}

	// Detail: masked, reveal, copy.
	d := ta.selectTitle("GitHub")
	pw := d.row("password")
	if pw.label.Text != mask {
		t.Errorf("the password shows %q before reveal", pw.label.Text)
	}
	test.Tap(pw.reveal)
	if pw.label.Text != "first-Secret-1" {
		t.Errorf("reveal shows %q", pw.label.Text)
	}
	test.Tap(pw.copy)
	if got := ta.app.Clipboard().Content(); got != "first-Secret-1" {
		t.Errorf("copy put %q on the clipboard", got)
	}
	if d.row("url").open == nil {
		t.Error("a URL has no open button")
	}

	// Edit: the old password goes to the history.
	test.Tap(d.edit)
	u.editor.secrets["password"].SetText("second-Secret-2")
	test.Tap(u.editor.save)
	d = u.main.detail
	if d == nil || d.hist == nil || d.hist.Disabled() {
		t.Fatal("after changing the password the item shows no password history")
	}
	test.Tap(d.hist)
	if h := u.history; h == nil || len(h.rows) != 1 || h.rows[0].value != "first-Secret-1" {
		t.Fatal("the history does not list the previous password")
	}
	u.closeTopDialog()

	// Delete with confirmation.
	d = ta.selectTitle("Wi-Fi")
	test.Tap(d.delete)
	u.asked.Confirm()
	if slices.Contains(ta.titles(), "Wi-Fi") {
		t.Error("the note was not deleted")
	}

	// Lock: everything decrypted is gone from the window.
	test.Tap(u.main.lock)
	if u.unlock == nil || u.main != nil || ta.ctrl.Items() != nil {
		t.Fatal("Lock did not drop the main window")
	}
	if ta.app.Clipboard().Content() != "" {
		t.Error("locking left our copied password on the clipboard")
	}
	for _, o := range test.LaidOutObjects(u.win.Content()) {
		if txt, ok := o.(*canvas.Text); ok && strings.Contains(txt.Text, "GitHub") {
			t.Errorf("the locked window still shows %q", txt.Text)
		}
	}

	// Unlock: wrong, then right (Enter submits).
	typeSecret(u.unlock.pw, "not it")
	u.unlock.pw.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if u.unlock == nil || u.unlock.message.Text != T("error.wrongPassword") {
		t.Fatal("a wrong password did not say so")
	}
	typeSecret(u.unlock.pw, strongPassword)
	u.unlock.pw.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if u.main == nil || len(ta.titles()) != 4 {
		t.Fatalf("unlocking did not show the vault: %q", ta.titles())
	}

	// Change the master password from Settings.
	test.Tap(u.main.settings)
	test.Tap(u.settings.changePW)
	cp := u.changePW
	typeSecret(cp.current, strongPassword)
	const newPassword = "copper Meadow 19 whistle gently"
	typeSecret(cp.pair.pw1, newPassword)
	typeSecret(cp.pair.pw2, newPassword)
	test.Tap(cp.submit)
	if !cp.pair.message.Hidden {
		t.Fatalf("changing the master password failed: %q", cp.pair.message.Text)
	}
	u.closeAllDialogs()

	// Relock with Ctrl+L; only the new password opens the vault now.
	u.win.Canvas().(fyne.Shortcutable).TypedShortcut(lockShortcut)
	if u.unlock == nil {
		t.Fatal("Ctrl+L did not lock")
	}
	typeSecret(u.unlock.pw, strongPassword)
	test.Tap(u.unlock.submit)
	if u.unlock == nil || u.unlock.message.Text != T("error.wrongPassword") {
		t.Fatal("the old master password still opens the vault")
	}
	typeSecret(u.unlock.pw, newPassword)
	test.Tap(u.unlock.submit)
	if u.main == nil {
		t.Fatal("the new master password does not open the vault")
	}
	u.win.Canvas().Focus(u.main.search)
	u.main.search.TypedShortcut(lockShortcut)
	if u.unlock == nil {
		t.Fatal("Ctrl+L in the search box did not lock")
	}
}

// TestAutoLock: after the configured inactivity the window shows the unlock screen;
// activity before then postpones it.
func TestAutoLock(t *testing.T) {
	ta := newTestApp(t, true)
	s := ta.ctrl.Settings()
	s.AutoLockSeconds = 60
	if err := ta.ctrl.UpdateSettings(s); err != nil {
		t.Fatal(err)
	}
	ta.createVault(strongPassword)
	ta.clock.Advance(50 * time.Second)
	test.Type(ta.u.main.search, "a") // activity: the minute starts again
	ta.clock.Advance(50 * time.Second)
	if ta.ctrl.Locked() || ta.u.main == nil {
		t.Fatal("the vault locked although the person typed 50 seconds ago")
	}
	ta.clock.Advance(10 * time.Second)
	if !ta.ctrl.Locked() {
		t.Fatal("the vault did not lock after a minute of inactivity")
	}
	if ta.u.unlock == nil {
		t.Error("auto-lock did not show the unlock screen")
	}
}
