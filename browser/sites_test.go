package browser_test

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/valvpm/valv/browser"
	"github.com/valvpm/valv/browser/browsertest"
)

// TestFillOnLoad: a loaded page gets a login only after the person turned fill on
// page load on for its site, only with exactly one match, never for another site,
// never through an http page, and a framed page cannot turn it on.
func TestFillOnLoad(t *testing.T) {
	app := browsertest.Start(t, socketPath(t))
	bank := app.AddLogin(t, "Bank", "https://bank.example", "alice", "pw-bank")
	app.AddLogin(t, "Mail", "https://mail.example", "al", "pw-mail")
	app.AddLogin(t, "Shop 1", "https://shop.example", "a", "pw-1")
	app.AddLogin(t, "Shop 2", "https://shop.example", "b", "pw-2")
	c := connect(t, app, nil)
	pair(t, app, c, true)
	load := func(url string) *browser.Response {
		t.Helper()
		r, err := c.Do(browser.Request{Action: browser.ActionLoadFill, URL: url})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	if r := load("https://bank.example/login"); r.Password != "" || r.Ref != "" {
		t.Fatalf("filled on load while off: %v", r)
	}
	on, off := true, false
	refused(t, browser.CodeNoMatch)(c.Do(browser.Request{Action: browser.ActionSetSite, URL: "https://bank.example/", TopURL: "https://evil.example/", FillOnLoad: &on}))
	r, err := c.Do(browser.Request{Action: browser.ActionSetSite, URL: "https://bank.example/settings", FillOnLoad: &on})
	if err != nil || !r.FillOnLoad {
		t.Fatalf("set-site: %v %v", err, r)
	}
	if r := load("https://bank.example/login"); r.Ref != bank || r.Username != "alice" || r.Password != "pw-bank" {
		t.Fatalf("not filled on load after turning it on: %v", r)
	}
	if r := load("http://bank.example/login"); r.Password != "" {
		t.Fatalf("an https login filled an http page on load: %v", r)
	}
	if r := load("https://mail.example/login"); r.Password != "" {
		t.Fatalf("another site filled on load: %v", r)
	}
	for _, u := range []string{"https://shop.example/"} {
		if _, err := c.Do(browser.Request{Action: browser.ActionSetSite, URL: u, FillOnLoad: &on}); err != nil {
			t.Fatal(err)
		}
	}
	if r := load("https://shop.example/login"); r.Password != "" {
		t.Fatalf("filled on load with two matches: %v", r)
	}
	// The settings survive a restart of the app: the file is read again.
	reopened, err := browser.OpenSites(filepath.Join(app.Dir, browser.SitesFile))
	if err != nil || !reopened.Get("https://bank.example/x").FillOnLoad || reopened.Get("https://mail.example/").FillOnLoad {
		t.Fatalf("reopened settings: %v %+v", err, reopened.Get("https://bank.example/x"))
	}
	if _, err := c.Do(browser.Request{Action: browser.ActionSetSite, URL: "https://bank.example/", FillOnLoad: &off}); err != nil {
		t.Fatal(err)
	}
	if r := load("https://bank.example/login"); r.Password != "" {
		t.Fatalf("filled on load after turning it off: %v", r)
	}
	refused(t, browser.CodeBadRequest)(c.Do(browser.Request{Action: browser.ActionSetSite, URL: "https://bank.example/"}))
}

// TestAllowFrame: a form in a frame of another origin is refused until the person
// allows that origin on the top site, and then only on that site and for that origin.
func TestAllowFrame(t *testing.T) {
	app := browsertest.Start(t, socketPath(t))
	bank := app.AddLogin(t, "Bank", "https://bank.example", "alice", "pw-bank")
	c := connect(t, app, nil)
	pair(t, app, c, true)
	fill := func(top string) (*browser.Response, error) {
		return c.Do(browser.Request{Action: browser.ActionFill, URL: "https://bank.example/login", TopURL: top, Ref: bank})
	}
	refused(t, browser.CodeNoMatch)(fill("https://portal.example/"))
	// The frame cannot allow itself: the request comes from a frame.
	refused(t, browser.CodeNoMatch)(c.Do(browser.Request{Action: browser.ActionSetSite, URL: "https://bank.example/login", TopURL: "https://portal.example/", AllowFrame: "https://bank.example"}))
	for _, bad := range []string{"https://bank.example/login", "javascript:alert(1)", "bank.example", "https://bank.example/", ""} {
		refused(t, browser.CodeBadRequest)(c.Do(browser.Request{Action: browser.ActionSetSite, URL: "https://portal.example/", AllowFrame: bad}))
	}
	r, err := c.Do(browser.Request{Action: browser.ActionSetSite, URL: "https://portal.example/", AllowFrame: "https://bank.example"})
	if err != nil || len(r.Frames) != 1 || r.Frames[0] != "https://bank.example" {
		t.Fatalf("allow frame: %v %v", err, r)
	}
	if r, err := fill("https://portal.example/home"); err != nil || r.Error != "" || r.Password != "pw-bank" {
		t.Fatalf("the allowed frame is refused: %v %v", err, r)
	}
	refused(t, browser.CodeNoMatch)(fill("https://evil.example/"))
	refused(t, browser.CodeNoMatch)(fill("http://portal.example/"))
	// Allowing a frame does not let a login of another site fill it.
	refused(t, browser.CodeNoMatch)(c.Do(browser.Request{Action: browser.ActionFill, URL: "https://evil.example/", TopURL: "https://portal.example/", Ref: bank}))
}

// refused checks that an answer is the error code, with no secret in it.
func refused(t *testing.T, code string) func(*browser.Response, error) {
	t.Helper()
	return func(r *browser.Response, err error) {
		t.Helper()
		if err != nil || r.Error != code || r.Password != "" {
			t.Fatalf("got %v %v, want the answer %q", err, r, code)
		}
	}
}

// TestSitesDamaged: a damaged settings file is reported with a sentence and left as
// it is; a missing one is an empty list.
func TestSitesDamaged(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, browser.SitesFile)
	s, err := browser.OpenSites(path)
	if err != nil || s.Get("https://bank.example/").FillOnLoad {
		t.Fatalf("missing file: %v", err)
	}
	for _, bad := range []string{`{"https://bank.example":{"fillOnLoad":tru`, `[]`, `{"bank.example":{}}`, `{"https://a.example":{"frames":["ftp://x"]}}`, `{"https://a.example":{"other":1}}`} {
		if err := os.WriteFile(path, []byte(bad), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := browser.OpenSites(path)
		if !errors.Is(err, browser.ErrSitesDamaged) {
			t.Fatalf("%s: got %v", bad, err)
		}
		if b, _ := os.ReadFile(path); string(b) != bad {
			t.Fatal("the damaged file was changed")
		}
	}
}

// TestSitesListRemove: the list shows every site with a setting on, by origin; Remove
// turns all of one site's settings off, on disk too, and leaves the others; each saved
// change is announced; removing a site without settings changes and announces
// nothing.
func TestSitesListRemove(t *testing.T) {
	path := filepath.Join(t.TempDir(), browser.SitesFile)
	s, err := browser.OpenSites(path)
	if err != nil {
		t.Fatal(err)
	}
	changes := 0
	s.OnChange(func() { changes++ })
	if err := s.SetFillOnLoad("https://news.example/today", true); err != nil {
		t.Fatal(err)
	}
	if err := s.AllowFrame("https://portal.example/", "https://login.example"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetFillOnLoad("https://portal.example/", true); err != nil {
		t.Fatal(err)
	}
	got := s.List()
	want := []browser.SiteEntry{
		{Origin: "https://news.example", Site: browser.Site{FillOnLoad: true}},
		{Origin: "https://portal.example", Site: browser.Site{FillOnLoad: true, Frames: []string{"https://login.example"}}},
	}
	if !reflect.DeepEqual(got, want) || changes != 3 {
		t.Fatalf("list %+v after %d changes, want %+v after 3", got, changes, want)
	}
	got[1].Frames[0] = "https://evil.example" // a copy: the caller cannot change the settings
	if err := s.Remove("https://portal.example"); err != nil {
		t.Fatal(err)
	}
	if s.FrameAllowed("https://login.example/", "https://portal.example/") || s.Get("https://portal.example/").FillOnLoad {
		t.Fatal("Remove left a setting on")
	}
	reopened, err := browser.OpenSites(path)
	if err != nil {
		t.Fatal(err)
	}
	if l := reopened.List(); len(l) != 1 || l[0].Origin != "https://news.example" || !l[0].FillOnLoad {
		t.Fatalf("after Remove, the file holds %+v", l)
	}
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Remove("https://never.example"); err != nil {
		t.Fatal(err)
	}
	if after, _ := os.ReadFile(path); string(after) != string(before) || len(s.List()) != 1 || changes != 4 {
		t.Fatalf("removing a site without settings changed the file or the list (%d changes)", changes)
	}
}
