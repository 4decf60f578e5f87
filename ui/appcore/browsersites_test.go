package appcore

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/valvpm/valv/browser"
	"github.com/valvpm/valv/vault"
)

// TestBrowserSitesRemove: what a paired browser turns on for a site (fill on page
// load, a frame of another origin) is listed by the controller and announced to
// Settings; Remove turns it all off, in the file too, so that site's page no longer
// fills on load and the frame is refused again, while another site keeps its setting.
func TestBrowserSitesRemove(t *testing.T) {
	a := startBrowserApp(t)
	a.create(t)
	ref := a.addLogin(t, &vault.Item{Title: "Pay", URLs: []string{"https://pay.example"}, Username: "erin", Password: "pw-Pay-1"})
	a.addLogin(t, &vault.Item{Title: "News", URLs: []string{"https://news.example"}, Username: "nora", Password: "pw-News-1"})
	c := a.connect(t, nil)
	if !a.pair(t, c, true) {
		t.Fatal("pairing refused")
	}
	if got := a.BrowserSites(); len(got) != 0 {
		t.Fatalf("a fresh app lists sites: %+v", got)
	}
	frameFill := browser.Request{Action: browser.ActionFill, URL: "https://pay.example/login", TopURL: "https://store.example/checkout", Ref: ref}
	r, err := c.Do(frameFill)
	wantBrowserCode(t, r, err, browser.CodeNoMatch)
	for len(a.dlg.changes) > 0 { // the pairing and its first use
		<-a.dlg.changes
	}

	on := true
	for _, req := range []browser.Request{
		{Action: browser.ActionSetSite, URL: "https://store.example/checkout", AllowFrame: "https://pay.example"},
		{Action: browser.ActionSetSite, URL: "https://store.example/", FillOnLoad: &on},
		{Action: browser.ActionSetSite, URL: "https://news.example/", FillOnLoad: &on},
	} {
		if r, err := c.Do(req); err != nil || r.Error != "" {
			t.Fatalf("%+v: %v %+v", req, err, r)
		}
		<-a.dlg.changes // Settings is told of each
	}
	want := []browser.SiteEntry{
		{Origin: "https://news.example", Site: browser.Site{FillOnLoad: true}},
		{Origin: "https://store.example", Site: browser.Site{FillOnLoad: true, Frames: []string{"https://pay.example"}}},
	}
	if got := a.BrowserSites(); !reflect.DeepEqual(got, want) {
		t.Fatalf("listed %+v, want %+v", got, want)
	}
	if r, err := c.Do(frameFill); err != nil || r.Password != "pw-Pay-1" {
		t.Fatalf("the allowed frame does not fill: %v %q", err, r.Error)
	}

	if err := a.RemoveBrowserSite("https://store.example"); err != nil {
		t.Fatal(err)
	}
	<-a.dlg.changes
	if got := a.BrowserSites(); !reflect.DeepEqual(got, want[:1]) {
		t.Fatalf("after Remove: %+v", got)
	}
	r, err = c.Do(frameFill)
	wantBrowserCode(t, r, err, browser.CodeNoMatch)
	r, err = c.Do(browser.Request{Action: browser.ActionSite, URL: "https://store.example/"})
	if err != nil || r.FillOnLoad || len(r.Frames) != 0 {
		t.Fatalf("the extension still sees settings for the removed site: %v %+v", err, r)
	}
	if r, err := c.Do(browser.Request{Action: browser.ActionLoadFill, URL: "https://news.example/login"}); err != nil || r.Password != "pw-News-1" {
		t.Fatalf("the other site lost its setting: %v %q", err, r.Error)
	}
	reopened, err := browser.OpenSites(filepath.Join(a.dir, browser.SitesFile))
	if err != nil || !reflect.DeepEqual(reopened.List(), want[:1]) {
		t.Fatalf("the file after Remove: %v %+v", err, reopened.List())
	}
	if err := a.RemoveBrowserSite("https://store.example"); err != nil || len(a.dlg.changes) != 0 {
		t.Fatalf("removing it again: %v, %d announcements", err, len(a.dlg.changes))
	}
}

// TestBrowserSitesNotRunning: while the app does not answer the browser it lists no
// sites, and Remove changes nothing on disk.
func TestBrowserSitesNotRunning(t *testing.T) {
	tc := newTestCore(t, DefaultSettings())
	path := filepath.Join(tc.dir, browser.SitesFile)
	kept := []byte(`{"https://news.example": {"fillOnLoad": true}}`)
	if err := os.WriteFile(path, kept, 0o600); err != nil {
		t.Fatal(err)
	}
	if got := tc.BrowserSites(); got != nil {
		t.Fatalf("listed before the server started: %+v", got)
	}
	if err := tc.RemoveBrowserSite("https://news.example"); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(path); err != nil || string(b) != string(kept) {
		t.Fatalf("the file changed: %q %v", b, err)
	}
}
