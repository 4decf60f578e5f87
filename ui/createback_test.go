package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/valvpm/valv/cloud/cloudtest"
	"github.com/valvpm/valv/ui/appcore"
)

// TestCreateWeakEnterAndBack: Enter on a weak master password with the box unticked
// says why, as the button does; Back returns to the welcome window.
func TestCreateWeakEnterAndBack(t *testing.T) {
	ta := newTestApp(t, true)
	c := ta.u.create
	if c == nil {
		t.Fatal("no create screen")
	}
	typeSecret(c.pair.pw1, "abc12")
	typeSecret(c.pair.pw2, "abc12")
	c.pair.pw2.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if c.pair.message.Hidden || c.pair.message.Text != T("create.weakNeedsConfirm") {
		t.Errorf("Enter on a weak password says %q (shown: %v)", c.pair.message.Text, !c.pair.message.Hidden)
	}
	if c.back == nil {
		t.Fatal("the create screen has no way back")
	}
	test.Tap(c.back)
	if ta.u.welcome == nil {
		t.Error("Back did not return to the welcome window")
	}
}

// TestCreateSaysWhoIsConnected: signed in with no vault here, the create screen names
// the account the new vault will sync with; Not you? Sign out leads back to Welcome.
func TestCreateSaysWhoIsConnected(t *testing.T) {
	env := cloudtest.Start(t)
	seedDemo(t, env)
	aa := newAccountApp(t, env, false)
	test.Tap(aa.u.welcome.signIn)
	aa.signIn("alice@example.com", "Alice-demo-1")
	aa.flow(appcore.ScreenConnected)
	aa.u.showStage() // as at the next start, with the session in the keyring
	aa.u.closeAllDialogs()
	c := aa.u.create
	if c == nil || c.signOut == nil {
		t.Fatal("the create screen does not offer Not you? Sign out")
	}
	said := false
	for _, o := range test.LaidOutObjects(aa.u.win.Content()) {
		if l, ok := o.(*widget.Label); ok && strings.Contains(l.Text, "alice@example.com") {
			said = true
		}
	}
	if !said {
		t.Error("the create screen does not say who is connected")
	}
	test.Tap(c.signOut)
	if aa.ctrl.SignedIn() || aa.u.welcome == nil {
		t.Errorf("after Sign out: signed in %v, welcome shown %v", aa.ctrl.SignedIn(), aa.u.welcome != nil)
	}
}

// TestWeakConfirmWraps: "I understand this password is weak" wraps inside the form in
// every language instead of running past its edge.
func TestWeakConfirmWraps(t *testing.T) {
	t.Cleanup(func() { _ = SetLanguage("en") })
	for _, l := range appcore.Languages {
		if err := SetLanguage(l.Code); err != nil {
			t.Fatal(err)
		}
		p := newPasswordPair(newTestApp(t, true).u, "a", "b")
		if w, max := p.weakRow.MinSize().Width, p.pw1.MinSize().Width+200; w > max {
			t.Errorf("%s: the weak-password confirmation needs %v px", l.Code, w)
		}
	}
}
