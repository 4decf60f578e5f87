package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/valvpm/valv/vault"
)

// TestGoldenScreens compares the main screens with golden markup in testdata/. After a
// deliberate change, copy testdata/failed/*.xml over the goldens and review the diff.
func TestGoldenScreens(t *testing.T) {
	ta := newTestApp(t, false)
	u := ta.u
	c := u.win.Canvas()
	test.AssertRendersToMarkup(t, "welcome.xml", c)

	test.Tap(u.welcome.offline)
	typeSecret(u.create.pair.pw1, "abc")
	test.AssertRendersToMarkup(t, "create.xml", c)

	ta.createVault(strongPassword)
	test.AssertRendersToMarkup(t, "main_empty.xml", c)
	ta.addItem(vault.TypeLogin, map[string]string{"title": "GitHub", "url": "github.com", "username": "octo", "password": "pw-One-1"})
	ta.addItem(vault.TypeCard, map[string]string{"title": "Visa", "cardholder": "Ann Lee", "number": "4111 1111 1111 1111", "expiry": "07/29"})
	ta.addItem(vault.TypeNote, map[string]string{"title": "Wi-Fi", "notes": "router in the hall"})
	u.main.selected = vault.ID{}
	u.main.reload()
	test.AssertRendersToMarkup(t, "main.xml", c)

	// The detail pane, with a fixed date so the golden does not depend on the clock.
	it := &vault.Item{Type: vault.TypeLogin, Title: "GitHub", URLs: []string{"github.com"}, Username: "octo",
		Password: "pw-One-1", Modified: time.Date(2026, 1, 2, 3, 4, 0, 0, time.Local)}
	d := newDetailView(u, u.main, it)
	test.AssertObjectRendersToMarkup(t, "detail.xml", d.loadUI())

	test.Tap(u.main.lock)
	test.AssertRendersToMarkup(t, "unlock.xml", c)
}
