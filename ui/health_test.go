package ui

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"github.com/valvpm/valv/ui/appcore"
	"github.com/valvpm/valv/vault"
	"github.com/valvpm/valv/vault/breach"
	"github.com/valvpm/valv/vault/breach/breachtest"
	"github.com/valvpm/valv/vault/health"
)

// healthSample is a vault with breached, reused and strong passwords.
func healthSample() []*vault.Item {
	return []*vault.Item{
		{Type: vault.TypeLogin, Title: "Forum", Username: "ann", Password: "iloveyou1"},
		{Type: vault.TypeLogin, Title: "Mail", Username: "ann", Password: "velvet Orchard 58 tunnel slowly"},
		{Type: vault.TypeApp, Title: "Chat", Application: "Chat", Password: "velvet Orchard 58 tunnel slowly"},
		{Type: vault.TypeLogin, Title: "Bank", Username: "ann", Password: "quiet Meadow 94 lantern brightly"},
		{Type: vault.TypeNote, Title: "Wi-Fi", Notes: "password"},
	}
}

// openHealth opens Password health from the window's Tools menu.
func openHealth(t *testing.T, ta *testApp) *healthDialog {
	t.Helper()
	m := ta.u.win.MainMenu()
	if m == nil || len(m.Items) < 2 || m.Items[1].Label != T("menu.tools") || m.Items[1].Items[0].Label != T("health.menu") {
		t.Fatalf("no Tools → Password health in %+v", m)
	}
	item := m.Items[1].Items[0]
	if item.Disabled {
		t.Fatal("Password health is disabled")
	}
	item.Action()
	if ta.u.health == nil || ta.u.health.running {
		t.Fatal("Password health did not open and finish")
	}
	return ta.u.health
}

func flaggedTitles(h *healthDialog) []string {
	var out []string
	for _, f := range h.items {
		out = append(out, f.Title)
	}
	return out
}

// TestHealthViewListsAndOpensItems: counts per problem, the flagged items (in the
// list's order) with their problems, and a click that opens the editor; fixing a password there takes it off
// the list.
func TestHealthViewListsAndOpensItems(t *testing.T) {
	ta := unlockedApp(t, healthSample()...)
	h := openHealth(t, ta)
	if got := flaggedTitles(h); !slices.Equal(got, []string{"Chat", "Forum", "Mail"}) {
		t.Fatalf("flagged %v", got)
	}
	test.AssertObjectRendersToMarkup(t, "health.xml", h.content)
	count := func(p health.Problem, n int) string {
		return T("health.count", map[string]any{"Problem": T("health.problem." + string(p)), "Count": n})
	}
	for p, n := range map[health.Problem]int{health.Weak: 1, health.Reused: 2, health.Exposed: 1, health.Old: 0} {
		if got := h.counts[p].Text; got != count(p, n) {
			t.Errorf("%s: %q", p, got)
		}
	}
	if h.status.Text != T("health.summary", map[string]any{"Count": 4}) {
		t.Errorf("status %q", h.status.Text)
	}
	if !strings.Contains(h.notes.Text, T("health.checkedOffline")) || strings.Contains(h.notes.Text, T("health.checkedOnline")) {
		t.Errorf("notes %q", h.notes.Text)
	}
	if got := problemNames(h.items[1].Problems); got != T("health.problem.weak")+" · "+T("health.problem.exposed") {
		t.Errorf("Forum's problems read %q", got)
	}

	h.list.Select(1)
	e := ta.u.editor
	if e == nil || e.it.Title != "Forum" {
		t.Fatal("a click on Forum did not open its editor")
	}
	e.secrets["password"].SetText("amber Falcon 27 river calmly")
	test.Tap(e.save)
	if got := flaggedTitles(h); !slices.Equal(got, []string{"Chat", "Mail"}) {
		t.Fatalf("after fixing Forum, flagged %v", got)
	}
	if ta.u.main.detail == nil || ta.u.main.detail.it.Title != "Forum" {
		t.Error("the saved item is not the one on show")
	}

	test.Tap(ta.u.main.lock)
	if !ta.u.win.MainMenu().Items[1].Items[0].Disabled {
		t.Error("Password health is offered while the vault is locked")
	}
}

func TestHealthViewAllGood(t *testing.T) {
	ta := unlockedApp(t, &vault.Item{Type: vault.TypeLogin, Title: "Bank", Password: "quiet Meadow 94 lantern brightly"})
	h := openHealth(t, ta)
	if len(h.items) != 0 || !strings.Contains(h.status.Text, T("health.none")) {
		t.Fatalf("items %v, status %q", flaggedTitles(h), h.status.Text)
	}
}

// TestHealthViewOnline: with the online check chosen the view says so and the
// service is asked; when it cannot be reached the view says the passwords were
// checked against Valv's list only, and still lists what that found.
func TestHealthViewOnline(t *testing.T) {
	const rare = "rare Pebble 31 window softly"
	srv := breachtest.New(map[string]int{rare: 7})
	defer srv.Close()
	ta := unlockedApp(t, append(healthSample(), &vault.Item{Type: vault.TypeLogin, Title: "Rare", Password: rare})...)
	s := ta.ctrl.Settings()
	s.Security = appcore.SecuritySettings{OnlineCheck: true, Endpoint: srv.Endpoint()}
	if err := ta.ctrl.UpdateSettings(s); err != nil {
		t.Fatal(err)
	}
	h := openHealth(t, ta)
	if got := flaggedTitles(h); !slices.Contains(got, "Rare") || !strings.Contains(h.notes.Text, T("health.checkedOnline")) {
		t.Fatalf("flagged %v, notes %q", got, h.notes.Text)
	}
	if len(srv.Requests()) == 0 {
		t.Fatal("the service was not asked")
	}
	h.dlg.Hide()

	srv.Close()
	h = openHealth(t, ta)
	if got := flaggedTitles(h); slices.Contains(got, "Rare") || !slices.Contains(got, "Forum") ||
		!strings.Contains(h.notes.Text, T("health.onlineFailed")) || strings.Contains(h.notes.Text, T("health.checkedOnline")) {
		t.Fatalf("offline: flagged %v, notes %q", got, h.notes.Text)
	}
}

// TestSecuritySettings: the online check is off by default; an address Valv refuses
// keeps the dialog open with the reason and saves nothing; a good one is saved with
// the list the person chose, after checking that the file is a breach list.
func TestSecuritySettings(t *testing.T) {
	ta := unlockedApp(t)
	test.Tap(ta.u.main.settings)
	sec := ta.u.settings.security
	if sec.online.Checked || !sec.endpoint.Disabled() || sec.filter.Text != T("settings.breachFilterBuiltin") || sec.useBuiltin.Visible() {
		t.Fatal("the security section does not start on the built-in list with the online check off")
	}
	sec.online.SetChecked(true)
	if sec.endpoint.Disabled() {
		t.Fatal("the address stays disabled with the online check on")
	}
	sec.endpoint.SetText("http://breach.example/range/")
	test.Tap(ta.u.settings.save)
	if !sec.message.Visible() || sec.message.Text != T("settings.onlineEndpointError") || ta.ctrl.Settings().Security.OnlineCheck {
		t.Fatalf("a plain address elsewhere: message %q, saved %+v", sec.message.Text, ta.ctrl.Settings().Security)
	}

	dir := t.TempDir()
	notFilter := filepath.Join(dir, "list.txt")
	if err := os.WriteFile(notFilter, []byte("password\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	sec.chose(notFilter)
	if sec.message.Text != T("settings.breachFilterBad") || sec.cur.BreachFilter != "" {
		t.Fatalf("a file that is no filter: %q, %q", sec.message.Text, sec.cur.BreachFilter)
	}
	good := filepath.Join(dir, "full.filter")
	f, err := os.Create(good)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := breach.BuildPasswords(f, []string{"password"}); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	sec.chose(good)
	if sec.filter.Text != good || !sec.useBuiltin.Visible() {
		t.Fatalf("the chosen list shows as %q", sec.filter.Text)
	}
	sec.endpoint.SetText(" https://mirror.example/range/ ")
	test.Tap(ta.u.settings.save)
	want := appcore.SecuritySettings{OnlineCheck: true, Endpoint: "https://mirror.example/range/", BreachFilter: good}
	if got := ta.ctrl.Settings().Security; got != want {
		t.Fatalf("saved %+v", got)
	}
	loaded, err := appcore.LoadSettings(ta.ctrl.Settings().Path)
	if err != nil || loaded.Security != want {
		t.Fatalf("settings.json holds %+v (%v)", loaded.Security, err)
	}

	// Back to the built-in list and no online check.
	test.Tap(ta.u.main.settings)
	sec = ta.u.settings.security
	test.Tap(sec.useBuiltin)
	sec.online.SetChecked(false)
	test.Tap(ta.u.settings.save)
	if got := ta.ctrl.Settings().Security; got.OnlineCheck || got.BreachFilter != "" {
		t.Fatalf("saved %+v", got)
	}
}

// TestScreenshotsAuthenticatorAndHealth renders an item's authenticator code and the
// Password health view for the README, like TestScreenshots.
func TestScreenshotsAuthenticatorAndHealth(t *testing.T) {
	forScreenshotLanguages(t, func(t *testing.T, dir, code string) {
		items := sampleItems()
		items[0].TOTP = totpURI
		items = append(items,
			&vault.Item{Type: vault.TypeLogin, Title: "Forum", URLs: []string{"https://forum.example"}, Username: "ann", Password: "iloveyou1"},
			&vault.Item{Type: vault.TypeLogin, Title: "Webshop", URLs: []string{"https://shop.example"}, Username: "ann", Password: "S3cure-Bank!"})
		ta := unlockedApp(t, items...)
		ta.app.Settings().SetTheme(forcedVariant{theme.DefaultTheme(), theme.VariantLight})
		ta.u.win.Resize(fyne.NewSize(960, 640))
		ta.selectTitle("GitHub")
		saveShot(t, ta.u, filepath.Join(dir, "totp-"+code+".png"))
		openHealth(t, ta)
		saveShot(t, ta.u, filepath.Join(dir, "health-"+code+".png"))
	})
}
