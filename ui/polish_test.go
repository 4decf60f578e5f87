package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/valvpm/valv/vault"
)

// buttonOnTop is the button labelled text in the window's top overlay (a dialog).
func buttonOnTop(w fyne.Window, text string) *widget.Button {
	top := w.Canvas().Overlays().Top()
	if top == nil {
		return nil
	}
	for _, o := range test.LaidOutObjects(top) {
		if b, ok := o.(*widget.Button); ok && b.Text == text {
			return b
		}
	}
	return nil
}

// TestDeleteConfirmIsDanger: the button that deletes an item has the danger colour.
func TestDeleteConfirmIsDanger(t *testing.T) {
	ta := newTestApp(t, true)
	ta.createVault(strongPassword)
	ta.addItem(vault.TypeNote, map[string]string{"title": "Old"})
	d := ta.selectTitle("Old")
	test.Tap(d.delete)
	b := buttonOnTop(ta.u.win, T("delete.confirm"))
	if b == nil || b.Importance != widget.DangerImportance {
		t.Fatalf("Delete's confirm button: %+v", b)
	}
}

// TestAddressSubtitle: an address's name and town are told apart in the list.
func TestAddressSubtitle(t *testing.T) {
	for _, tc := range []struct{ name, city, want string }{
		{"Alice Example", "Town", "Alice Example, Town"},
		{"", "Town", "Town"},
		{"Alice Example", "", "Alice Example"},
	} {
		if got := subtitle(&vault.Item{Type: vault.TypeAddress, Name: tc.name, City: tc.city}); got != tc.want {
			t.Errorf("%q + %q: %q, want %q", tc.name, tc.city, got, tc.want)
		}
	}
}

// TestDetailLayoutStable: Password history is there (disabled) before the first
// change, so it does not appear and move the buttons when the password changes.
func TestDetailLayoutStable(t *testing.T) {
	ta := newTestApp(t, true)
	ta.createVault(strongPassword)
	ta.addItem(vault.TypeLogin, map[string]string{"title": "Mail", "password": "Mail-pw-1"})
	d := ta.selectTitle("Mail")
	if d.hist == nil || !d.hist.Disabled() {
		t.Fatalf("before any change Password history is %v (want there, disabled)", d.hist)
	}
}

// TestConflictCopyInLanguage: a conflict copy, whose title the vault marks the same way
// in every language, is named in the person's language in the list, the detail pane
// and Delete's question.
func TestConflictCopyInLanguage(t *testing.T) {
	t.Cleanup(func() { _ = SetLanguage("en") })
	if err := SetLanguage("sv"); err != nil {
		t.Fatal(err)
	}
	ta := newTestApp(t, true)
	ta.createVault(strongPassword)
	// The title as vault.ApplyRemote stores a conflict copy's (vault's TestConflictCopyMarker).
	ta.addItem(vault.TypeNote, map[string]string{"title": "Bank (conflict copy)"})
	want := "Bank (konfliktkopia)"
	if got := labelText(ta.u.main.list); !strings.Contains(got, want) || strings.Contains(got, "conflict copy") {
		t.Errorf("the list shows %q, want %q", got, want)
	}
	d := ta.selectTitle("Bank (conflict copy)")
	if got := detailText(ta.u.main); !strings.Contains(got, want) || strings.Contains(got, "conflict copy") {
		t.Errorf("the detail pane shows %q, want %q", got, want)
	}
	test.Tap(d.delete)
	if b := buttonOnTop(ta.u.win, T("delete.confirm")); b == nil {
		t.Fatal("no Delete question")
	}
	if asked := labelText(ta.u.win.Canvas().Overlays().Top()); !strings.Contains(asked, want) || strings.Contains(asked, "conflict copy") {
		t.Errorf("Delete asks %q", asked)
	}
}

// labelText is the text of the labels in o, laid out.
func labelText(o fyne.CanvasObject) string {
	var b strings.Builder
	for _, x := range test.LaidOutObjects(o) {
		if l, ok := x.(*widget.Label); ok {
			b.WriteString(l.Text + " ")
		}
	}
	return b.String()
}
