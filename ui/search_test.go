package ui

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/valvpm/valv/vault"
)

// TestSearchLongList: in a 500-item list scrolled down, a new query shows its results
// from the top; ↓ moves into them and Enter opens the first; a query with no match
// says so, naming the query.
func TestSearchLongList(t *testing.T) {
	ta := newTestApp(t, true)
	ta.createVault(strongPassword)
	v, err := ta.ctrl.Unlocked()
	if err != nil {
		t.Fatal(err)
	}
	var items []*vault.Item
	for i := range 500 {
		title := fmt.Sprintf("Item %03d", i)
		if i%40 == 39 {
			title = fmt.Sprintf("Harbour %02d", i/40)
		}
		items = append(items, &vault.Item{Type: vault.TypeNote, Title: title})
	}
	if _, err := v.AddAll(items); err != nil {
		t.Fatal(err)
	}
	ta.u.win.Resize(fyne.NewSize(960, 640))
	m := ta.u.main
	ta.ctrl.Refresh()
	m.reload()
	m.list.ScrollToBottom()
	if m.list.GetScrollOffset() == 0 {
		t.Fatal("the list did not scroll")
	}
	test.Type(m.search, "harbour")
	if n := len(ta.ctrl.Items()); n != 12 {
		t.Fatalf("%d matches, want 12", n)
	}
	if off := m.list.GetScrollOffset(); off != 0 {
		t.Errorf("the results start %v px above the top: the first ones are hidden", off)
	}
	m.search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	if ta.u.win.Canvas().Focused() != m.list || m.detail == nil || m.detail.it.ID != ta.ctrl.Items()[0].ID {
		t.Error("↓ in the search box did not move into the results")
	}
	m.showEmpty()
	m.search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if m.detail == nil || m.detail.it.ID != ta.ctrl.Items()[0].ID {
		t.Error("Enter in the search box did not open the first result")
	}

	m.search.SetText("lighthouse")
	if got := detailText(m); !strings.Contains(got, "lighthouse") || strings.Contains(got, T("main.empty")) {
		t.Errorf("no match says %q", got)
	}
}

// TestWheelNotchMovesThreeRows: one notch of the mouse wheel over a long list moves it
// about three rows, and back up again; it does not crawl by a third of a row.
func TestWheelNotchMovesThreeRows(t *testing.T) {
	if runtime.GOOS == "darwin" {
		t.Skip("macOS scales wheel deltas itself (wheelstep_darwin.go)")
	}
	ta := newTestApp(t, true)
	ta.createVault(strongPassword)
	v, err := ta.ctrl.Unlocked()
	if err != nil {
		t.Fatal(err)
	}
	var items []*vault.Item
	for i := range 500 {
		items = append(items, &vault.Item{Type: vault.TypeNote, Title: fmt.Sprintf("Item %03d", i)})
	}
	if _, err := v.AddAll(items); err != nil {
		t.Fatal(err)
	}
	ta.u.win.Resize(fyne.NewSize(960, 640))
	m := ta.u.main
	ta.ctrl.Refresh()
	m.reload()

	row := itemRow().MinSize().Height + theme.Padding()
	c := ta.u.win.Canvas()
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(m.list).Add(fyne.NewPos(20, 40))
	test.Scroll(c, pos, 0, -wheelNotch) // one notch down, as the desktop driver reports it
	if got := m.list.GetScrollOffset() / row; got < 2.5 || got > 3.5 {
		t.Errorf("one notch moved the list %.1f rows, want about %d", got, rowsPerNotch)
	}
	test.Scroll(c, pos, 0, wheelNotch)
	if off := m.list.GetScrollOffset(); off != 0 {
		t.Errorf("a notch back up left the list %v px from the top", off)
	}
	// The catcher takes no taps: a tap on a row still opens it.
	test.TapCanvas(c, pos)
	if m.detail == nil || m.detail.it.ID != ta.ctrl.Items()[0].ID {
		t.Error("a tap on the first row did not open it")
	}
}

// detailText is the text of the detail pane's labels.
func detailText(m *mainScreen) string {
	var b strings.Builder
	for _, o := range test.LaidOutObjects(m.detailBox) {
		if l, ok := o.(*widget.Label); ok {
			b.WriteString(l.Text + " ")
		}
	}
	return b.String()
}
