package ui

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
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
