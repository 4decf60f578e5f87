package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/valvpm/valv/cloud/cloudtest"
)

// TestSyncOffSaysSo: with sync turned off, Settings no longer says the vault syncs,
// and Sync now says that sync is off instead of doing nothing.
func TestSyncOffSaysSo(t *testing.T) {
	env := cloudtest.Start(t)
	sa := linkedApp(t, env, "off@example.com")
	s := sa.openSyncSettings()
	if s.info.Text != T("sync.linkedTo", map[string]any{"Email": "off@example.com"}) {
		t.Errorf("sync on: %q", s.info.Text)
	}
	s.enabled.SetChecked(false)
	if want := T("sync.linkedOff", map[string]any{"Email": "off@example.com"}); s.info.Text != want {
		t.Errorf("sync off: %q, want %q", s.info.Text, want)
	}
	sa.u.closeAllDialogs()
	line := sa.u.syncUI.line
	if line == nil {
		t.Fatal("no sync line")
	}
	test.Tap(line.syncNow)
	if len(sa.u.dialogs) != 1 {
		t.Fatalf("Sync now with sync off says nothing (%d dialogs)", len(sa.u.dialogs))
	}
}
