package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/valvpm/valv/internal/version"
)

// TestAbout: Help → About Valv shows the version the programs print, the licence and
// a link to the source, on the welcome window and while the vault is locked alike.
func TestAbout(t *testing.T) {
	ta := newTestApp(t, false)
	about := func() {
		t.Helper()
		m := ta.u.win.MainMenu()
		if m == nil || len(m.Items) < 2 || m.Items[len(m.Items)-1].Label != T("about.menuHelp") {
			t.Fatalf("no Help menu: %+v", m)
		}
		item := m.Items[len(m.Items)-1].Items[0]
		if item.Label != T("about.menuAbout") {
			t.Fatalf("Help's item is %q", item.Label)
		}
		item.Action()
		text := dialogTexts(ta.u)
		for _, want := range []string{"Valv", "Version " + version.String(), version.Licence} {
			if !strings.Contains(text, want) {
				t.Errorf("About shows %q, without %q", text, want)
			}
		}
		var link *widget.Hyperlink
		for _, o := range test.LaidOutObjects(ta.u.win.Canvas().Overlays().Top()) {
			if h, ok := o.(*widget.Hyperlink); ok {
				link = h
			}
		}
		if link == nil || link.URL == nil || link.URL.String() != version.Source {
			t.Errorf("About links to %v, want %s", link, version.Source)
		}
		ta.u.closeAllDialogs()
	}
	about() // the welcome window
	test.Tap(ta.u.welcome.offline)
	ta.createVault(strongPassword)
	test.Tap(ta.u.main.lock)
	about()
}
