package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
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

// TestCopyShortcuts: Ctrl+C copies the shown item's password and Ctrl+B its user name
// when no text field has the focus; with a dialog open, or an item without the field,
// nothing is copied. (A focused entry, such as the search box, gets Ctrl+C before the
// window's shortcuts do: that is Fyne's window, which the test driver does not have.)
func TestCopyShortcuts(t *testing.T) {
	ta := newTestApp(t, true)
	ta.createVault(strongPassword)
	ta.addItem(vault.TypeLogin, map[string]string{"title": "Bank", "username": "ana@example.org", "password": "Bank-pw-77"})
	ta.addItem(vault.TypeNote, map[string]string{"title": "Plans", "notes": "a note"})
	ta.selectTitle("Bank")
	c := ta.u.win.Canvas()
	c.Unfocus()
	clip := ta.app.Clipboard()
	c.(fyne.Shortcutable).TypedShortcut(&fyne.ShortcutCopy{Clipboard: clip})
	if got := clip.Content(); got != "Bank-pw-77" {
		t.Errorf("Ctrl+C copied %q, want the password", got)
	}
	c.(fyne.Shortcutable).TypedShortcut(userShortcut)
	if got := clip.Content(); got != "ana@example.org" {
		t.Errorf("Ctrl+B copied %q, want the user name", got)
	}

	clip.SetContent("")
	ta.selectTitle("Plans")
	c.Unfocus()
	c.(fyne.Shortcutable).TypedShortcut(&fyne.ShortcutCopy{Clipboard: clip})
	if got := clip.Content(); got != "" {
		t.Errorf("Ctrl+C on a note copied %q", got)
	}
	ta.selectTitle("Bank")
	test.Tap(ta.u.main.settings)
	c.(fyne.Shortcutable).TypedShortcut(&fyne.ShortcutCopy{Clipboard: clip})
	if got := clip.Content(); got != "" {
		t.Errorf("Ctrl+C behind the settings dialog copied %q", got)
	}
}
