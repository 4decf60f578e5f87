package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/valvpm/valv/ui/appcore"
)

// TestStill: the window is still with nothing focused; a focused text field (its
// cursor blinks) and a running busy bar (an unlock under way) each make it move.
func TestStill(t *testing.T) {
	// Fyne's test driver answers CanvasForObject with the newest window, so a bar an
	// earlier test's window left running would count as on this one: forget them.
	busyBars.mu.Lock()
	busyBars.bars = nil
	busyBars.mu.Unlock()
	ta := newTestApp(t, true)
	ta.createVault(strongPassword)
	u := ta.u
	u.win.Canvas().Unfocus()
	if !u.Still() {
		t.Fatal("the main window with nothing focused is not still")
	}
	u.win.Canvas().Focus(u.main.search)
	if u.Still() {
		t.Fatal("the window is still while the search field, whose cursor blinks, has the focus")
	}
	u.win.Canvas().Unfocus()

	u.win.Canvas().(fyne.Shortcutable).TypedShortcut(lockShortcut)
	if u.unlock == nil {
		t.Fatal("Ctrl+L did not lock")
	}
	// Hold the unlock's background work so its busy bar stays on show.
	var held []func()
	ta.sched.set(appcore.Scheduler{Background: func(f func()) { held = append(held, f) }, OnUI: func(f func()) { f() }})
	typeSecret(u.unlock.pw, strongPassword)
	test.Tap(u.unlock.submit)
	u.win.Canvas().Unfocus()
	if u.Still() {
		t.Fatal("the window is still while the unlock's busy bar runs")
	}
	for _, f := range held {
		f()
	}
	if u.main == nil {
		t.Fatal("the held unlock did not open the vault")
	}
	u.win.Canvas().Unfocus()
	if !u.Still() {
		t.Fatal("the window does not come to rest once the unlock is done")
	}
}
