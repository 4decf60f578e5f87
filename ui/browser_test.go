package ui

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/test"

	"github.com/valvpm/valv/browser"
	"github.com/valvpm/valv/browser/hostinstall"
	"github.com/valvpm/valv/ui/appcore"
	"github.com/valvpm/valv/vault"
)

// pumpUntil runs the UI work q holds, as the app's event loop would, until done
// reports true.
func pumpUntil(t *testing.T, q *uiQueue, what string, done func() bool) {
	t.Helper()
	deadline := time.After(time.Minute)
	for {
		q.drain()
		if done() {
			return
		}
		select {
		case <-q.news:
		case <-deadline:
			t.Fatalf("waited a minute for %s", what)
		}
	}
}

// browserClient dials the app's socket as a browser and says hello.
func browserClient(t *testing.T, socket, name string) *browser.Client {
	t.Helper()
	nc, err := browser.Dial(socket)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = nc.Close() })
	kp, err := browser.NewKeyPair()
	if err != nil {
		t.Fatal(err)
	}
	c := browser.NewClient(nc, kp, name)
	if _, err := c.Hello(); err != nil {
		t.Fatal(err)
	}
	return c
}

// TestBrowserPairFillRevoke: a browser asks to pair; the window shows the code the
// browser shows; Approve pairs it and it fills a login; Settings → Browsers lists it
// and Revoke, confirmed, unpairs it.
func TestBrowserPairFillRevoke(t *testing.T) {
	ta := newTestApp(t, true)
	ta.createVault(strongPassword)
	u := ta.u
	ta.addItem(vault.TypeLogin, map[string]string{"title": "Forge", "url": "https://forge.example", "username": "octo", "password": "pw-Forge-9"})
	// Background work on goroutines, UI work queued for this goroutine: the server's
	// questions reach the window as they do in the app.
	q := newUIQueue()
	ta.sched.set(appcore.Scheduler{Background: func(f func()) { go f() }, OnUI: q.push})
	socket := filepath.Join(t.TempDir(), "valv", "browser.sock")
	u.startBrowser(socket)
	t.Cleanup(u.StopBrowser)

	// Settings is open while the browser pairs: the list shows it without reopening.
	test.Tap(u.main.settings)
	c := browserClient(t, socket, "Chromium on Linux")
	paired := make(chan bool, 1)
	go func() {
		ok, err := c.Pair()
		if err != nil {
			t.Error(err)
		}
		paired <- ok
	}()
	pumpUntil(t, q, "the pairing dialog", func() bool { return u.browser.pairing != nil })
	d := u.browser.pairing
	if d.code.Text != c.Code() {
		t.Fatalf("the dialog shows %q, the browser %q", d.code.Text, c.Code())
	}
	if !shows(u, "Chromium on Linux asks to fill and save logins") {
		t.Fatal("the dialog does not name the browser")
	}
	test.Tap(d.approve)
	if !<-paired {
		t.Fatal("Approve did not pair the browser")
	}
	pumpUntil(t, q, "the paired browser in Settings", func() bool { return len(u.browser.section.revoke) == 1 })
	if isOpen(u, d.dlg) {
		t.Fatal("the dialog stayed open after Approve")
	}

	r, err := c.Do(browser.Request{Action: browser.ActionFind, URL: "https://forge.example/login"})
	if err != nil || len(r.Logins) != 1 {
		t.Fatalf("find: %v %+v", err, r)
	}
	r, err = c.Do(browser.Request{Action: browser.ActionFill, URL: "https://forge.example/login", Ref: r.Logins[0].Ref})
	if err != nil || r.Username != "octo" || r.Password != "pw-Forge-9" {
		t.Fatalf("fill: %v, user %q", err, r.Username)
	}

	pumpUntil(t, q, "the last use in Settings", func() bool { return shows(u, "Last used") })
	s := u.browser.section
	id := ta.ctrl.PairedBrowsers()[0].ID
	if s.revoke[id] == nil || !shows(u, "Chromium on Linux") || !shows(u, "Last used") {
		t.Fatal("Settings → Browsers does not list the paired browser with its last use")
	}
	test.Tap(s.revoke[id])
	u.asked.Confirm()
	if len(ta.ctrl.PairedBrowsers()) != 0 || len(s.revoke) != 0 || !shows(u, "No browser is connected yet") {
		t.Fatal("Revoke left the browser listed")
	}
	if _, err := c.Do(browser.Request{Action: browser.ActionStatus}); err == nil {
		t.Fatal("the revoked browser's connection still answers")
	}
}

// TestBrowserPairingRefused: Refuse, Esc, and a lock each refuse a pairing, once; a
// browser that goes away closes its dialog.
func TestBrowserPairingRefused(t *testing.T) {
	ta := newTestApp(t, true)
	ta.createVault(strongPassword)
	u := ta.u
	var answers []bool
	ask := func() func() {
		return u.askPairing(browser.PairingPrompt{Name: "Firefox", Code: "123 456"}, func(ok bool) { answers = append(answers, ok) })
	}
	ask()
	test.Tap(u.browser.pairing.refuse)
	test.Tap(u.browser.pairing.approve) // too late: already answered
	ask()
	u.closeTopDialog() // what Esc does
	dismiss := ask()
	dismiss()
	if isOpen(u, u.browser.pairing.dlg) {
		t.Fatal("dismiss left the dialog open")
	}
	ask()
	u.lockNow()
	if want := []bool{false, false, false, false}; len(answers) != len(want) || answers[0] || answers[1] || answers[2] || answers[3] {
		t.Fatalf("answers %v, want %v", answers, want)
	}
}

// TestBrowserUnlockRequest: a browser asking for a fill while locked brings the unlock
// screen with a line saying why; after unlock the line is gone.
func TestBrowserUnlockRequest(t *testing.T) {
	ta := newTestApp(t, true)
	ta.createVault(strongPassword)
	u := ta.u
	u.showUnlockForBrowser() // unlocked: nothing to show
	if u.browser.note != nil {
		t.Fatal("a note over an unlocked window")
	}
	u.lockNow()
	u.showUnlockForBrowser()
	u.showUnlockForBrowser() // asked twice: one note
	if !shows(u, "A browser asks to fill a login") || strings.Count(markup(u), "A browser asks to fill a login") != 1 {
		t.Fatal("the unlock screen does not say a browser is waiting, once")
	}
	if u.win.Canvas().Focused() != u.unlock.pw {
		t.Fatal("the password field does not have the focus")
	}
	typeSecret(u.unlock.pw, strongPassword)
	test.Tap(u.unlock.submit)
	if u.main == nil || shows(u, "A browser asks to fill a login") {
		t.Fatal("after unlock the note is still there, or the vault did not open")
	}
}

// TestBrowserSettingsInstall: Install writes the manifests into the (temporary) home
// and says for which browsers; Remove takes them away; and a second Valv's refusal to
// answer the browser is said in Settings.
func TestBrowserSettingsInstall(t *testing.T) {
	ta := newTestApp(t, true)
	ta.createVault(strongPassword)
	u := ta.u
	home := t.TempDir()
	host := filepath.Join(t.TempDir(), "valv-browser-host")
	if err := os.WriteFile(host, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	u.browser.hosts = appcore.HostOptions{Install: hostinstall.Options{Home: home, ConfigDir: filepath.Join(home, ".config")}, Host: host}

	// Another Valv holds the socket.
	socket := filepath.Join(t.TempDir(), "valv", "browser.sock")
	l, err := browser.Listen(socket)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = l.Close() })
	go func() {
		for {
			nc, err := l.Accept()
			if err != nil {
				return
			}
			_ = nc.Close()
		}
	}()
	u.startBrowser(socket)

	test.Tap(u.main.settings)
	s := u.browser.section
	if !s.problem.Visible() || !shows(u, "Another Valv is already answering the browser") {
		t.Fatal("Settings does not say that another Valv answers the browser")
	}
	if !shows(u, "Not installed") || s.uninstall.Visible() {
		t.Fatal("a fresh home shows as installed")
	}
	test.Tap(s.install)
	if !shows(u, "Installed for Chromium, Google Chrome, Microsoft Edge, Brave, Firefox.") {
		t.Fatal("Install does not say for which browsers")
	}
	if got := appcore.BrowsersInstalled(u.browser.hosts); len(got) != len(hostinstall.Browsers) {
		t.Fatalf("installed for %v", got)
	}
	u.closeTopDialog()
	if !s.uninstall.Visible() || s.state.Text != "Installed" {
		t.Fatal("after Install the section does not say so")
	}
	test.Tap(s.uninstall)
	if len(appcore.BrowsersInstalled(u.browser.hosts)) != 0 || s.state.Text != "Not installed" {
		t.Fatal("Remove left manifests behind")
	}
}

// markup is the text of the window's content and its dialogs.
func markup(u *UI) string {
	out := visibleTexts(u.win.Content())
	for _, o := range u.win.Canvas().Overlays().List() {
		out += visibleTexts(o)
	}
	return out
}

// shows reports whether the window shows s.
func shows(u *UI, s string) bool { return strings.Contains(markup(u), s) }

// isOpen reports whether d is on the window's dialog stack.
func isOpen(u *UI, d dialog.Dialog) bool { return slices.Contains(u.dialogs, d) }

// TestBrowserSettingsSites: what a paired browser turns on for a site shows in the
// open Settings → Browsers, one line a setting; Remove turns it off for that site
// only, and the list says when no site has settings left.
func TestBrowserSettingsSites(t *testing.T) {
	ta := newTestApp(t, true)
	ta.createVault(strongPassword)
	u := ta.u
	q := newUIQueue()
	ta.sched.set(appcore.Scheduler{Background: func(f func()) { go f() }, OnUI: q.push})
	socket := filepath.Join(t.TempDir(), "valv", "browser.sock")
	u.startBrowser(socket)
	t.Cleanup(u.StopBrowser)

	test.Tap(u.main.settings)
	if !shows(u, "No site has settings of its own") {
		t.Fatal("Settings → Browsers does not say that no site has settings")
	}
	c := browserClient(t, socket, "Chromium on Linux")
	paired := make(chan bool, 1)
	go func() {
		ok, err := c.Pair()
		if err != nil {
			t.Error(err)
		}
		paired <- ok
	}()
	pumpUntil(t, q, "the pairing dialog", func() bool { return u.browser.pairing != nil })
	test.Tap(u.browser.pairing.approve)
	if !<-paired {
		t.Fatal("Approve did not pair the browser")
	}
	on := true
	for _, r := range []browser.Request{
		{Action: browser.ActionSetSite, URL: "https://store.example/", AllowFrame: "https://pay.example"},
		{Action: browser.ActionSetSite, URL: "https://store.example/", FillOnLoad: &on},
		{Action: browser.ActionSetSite, URL: "https://news.example/", FillOnLoad: &on},
	} {
		if res, err := c.Do(r); err != nil || res.Error != "" {
			t.Fatalf("%+v: %v %+v", r, err, res)
		}
	}
	sites := u.browser.section.sites
	pumpUntil(t, q, "both sites in Settings", func() bool { return len(sites.remove) == 2 })
	for _, s := range []string{"https://store.example", "https://news.example", "Fills on page load", "Fills in frames from https://pay.example"} {
		if !shows(u, s) {
			t.Fatalf("Settings → Browsers does not show %q", s)
		}
	}
	if strings.Count(markup(u), "Fills on page load") != 2 {
		t.Fatal("fill on page load is not shown once for each site")
	}

	test.Tap(sites.remove["https://store.example"])
	if shows(u, "https://store.example") || shows(u, "Fills in frames from") || sites.remove["https://news.example"] == nil {
		t.Fatal("Remove did not take exactly the one site off the list")
	}
	if res, err := c.Do(browser.Request{Action: browser.ActionSite, URL: "https://store.example/"}); err != nil || res.FillOnLoad || len(res.Frames) != 0 {
		t.Fatalf("the browser still sees the removed site's settings: %v %+v", err, res)
	}
	test.Tap(sites.remove["https://news.example"])
	if len(ta.ctrl.BrowserSites()) != 0 || !shows(u, "No site has settings of its own") {
		t.Fatal("after removing both, the list does not say that no site has settings")
	}
}
