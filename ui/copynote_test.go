package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/valvpm/valv/vault"
)

// TestCopySaysWhenItClears: a copy says "Copied — clears in N s" with the configured
// delay, and the note goes after a moment.
func TestCopySaysWhenItClears(t *testing.T) {
	ta := newTestApp(t, true)
	ta.createVault(strongPassword)
	s := ta.ctrl.Settings()
	s.ClipboardSeconds = 45
	if err := ta.ctrl.UpdateSettings(s); err != nil {
		t.Fatal(err)
	}
	ta.addItem(vault.TypeLogin, map[string]string{"title": "Bank", "password": "Bank-pw-77"})
	d := ta.selectTitle("Bank")
	test.Tap(d.row("password").copy)
	want := T("copy.copiedClears", map[string]any{"Seconds": 45})
	if ta.u.copyNote == nil || ta.u.copyNote.Hidden || ta.u.copyNoteText != want {
		t.Fatalf("after a copy the window says %q, want %q", ta.u.copyNoteText, want)
	}
	note := ta.u.copyNote
	ta.clock.Advance(copyNoteFor + time.Second)
	if !note.Hidden {
		t.Error("the copy note stays")
	}
}
