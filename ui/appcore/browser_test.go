package appcore

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/valvpm/valv/browser"
	"github.com/valvpm/valv/vault"
)

// rfcTOTP is RFC 6238's SHA-1 seed ("12345678901234567890") in base32.
const rfcTOTP = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"

// pairingDialog plays the app's pairing dialog: each request arrives on prompts, the
// test answers through answer, and dismissals (the browser went away) arrive on
// dismissed.
type pairingDialog struct {
	prompts   chan browser.PairingPrompt
	answers   chan func(bool)
	dismissed chan browser.PairingPrompt
	unlocks   chan struct{}
	changes   chan struct{}
}

func newPairingDialog() *pairingDialog {
	return &pairingDialog{prompts: make(chan browser.PairingPrompt, 4), answers: make(chan func(bool), 4),
		dismissed: make(chan browser.PairingPrompt, 4), unlocks: make(chan struct{}, 16), changes: make(chan struct{}, 16)}
}

func (d *pairingDialog) options(socket string) BrowserOptions {
	return BrowserOptions{
		Socket: socket,
		AskPairing: func(p browser.PairingPrompt, answer func(bool)) func() {
			d.prompts <- p
			d.answers <- answer
			return func() { d.dismissed <- p }
		},
		ShowUnlock:      func() { d.unlocks <- struct{}{} },
		BrowsersChanged: func() { d.changes <- struct{}{} },
	}
}

// browserApp is a controller over a real vault with its browser server on a real
// socket in a private temporary folder.
type browserApp struct {
	*testCore
	dlg    *pairingDialog
	socket string
}

func startBrowserApp(t *testing.T) *browserApp {
	t.Helper()
	tc := newTestCore(t, DefaultSettings())
	a := &browserApp{testCore: tc, dlg: newPairingDialog(), socket: filepath.Join(t.TempDir(), "valv", "browser.sock")}
	if err := tc.StartBrowser(a.dlg.options(a.socket)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := tc.StopBrowser(); err != nil {
			t.Errorf("stopping the browser server: %v", err)
		}
	})
	return a
}

// addLogin stores a website login in the controller's vault.
func (a *browserApp) addLogin(t *testing.T, it *vault.Item) string {
	t.Helper()
	v, err := a.Unlocked()
	if err != nil {
		t.Fatal(err)
	}
	it.Type = vault.TypeLogin
	got, err := v.Add(it)
	if err != nil {
		t.Fatal(err)
	}
	return got.ID.String()
}

// connect opens a connection as a browser with key kp (a fresh one when nil).
func (a *browserApp) connect(t *testing.T, kp *browser.KeyPair) *browser.Client {
	t.Helper()
	if kp == nil {
		k, err := browser.NewKeyPair()
		if err != nil {
			t.Fatal(err)
		}
		kp = &k
	}
	nc, err := browser.Dial(a.socket)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = nc.Close() })
	c := browser.NewClient(nc, *kp, "Chromium on Linux")
	if _, err := c.Hello(); err != nil {
		t.Fatal(err)
	}
	return c
}

// pair asks to pair and answers the dialog with approve, checking what it showed.
func (a *browserApp) pair(t *testing.T, c *browser.Client, approve bool) bool {
	t.Helper()
	type result struct {
		ok  bool
		err error
	}
	done := make(chan result, 1)
	go func() {
		ok, err := c.Pair()
		done <- result{ok, err}
	}()
	p := <-a.dlg.prompts
	if p.Code != c.Code() || p.Name != "Chromium on Linux" {
		t.Errorf("the dialog shows %q with code %q; the browser shows %q", p.Name, p.Code, c.Code())
	}
	answer := <-a.dlg.answers
	answer(approve)
	answer(!approve) // a second click changes nothing
	r := <-done
	if r.err != nil {
		t.Fatal(r.err)
	}
	return r.ok
}

func wantBrowserCode(t *testing.T, r *browser.Response, err error, code string) {
	t.Helper()
	var ae *browser.AppError
	if errors.As(err, &ae) && ae.Code == code {
		return
	}
	if err == nil && r.Error == code {
		return
	}
	t.Fatalf("got %v / %+v, want the error %q", err, r, code)
}

// TestBrowserPairAndFill: through the controller's server, a browser pairs after the
// person approves the code both sides show, then fills a login of the controller's
// vault with its current authenticator code, is listed with its last use, and after
// Revoke is refused and dropped.
func TestBrowserPairAndFill(t *testing.T) {
	a := startBrowserApp(t)
	a.create(t)
	ref := a.addLogin(t, &vault.Item{Title: "Bank", URLs: []string{"https://bank.example"}, Username: "alice", Password: "s3cret-Bank", TOTP: rfcTOTP})
	a.addLogin(t, &vault.Item{Title: "Other", URLs: []string{"https://bank-example.test"}, Username: "mallory", Password: "x"})

	c := a.connect(t, nil)
	if c.HelloReply.Paired || c.HelloReply.Locked {
		t.Fatalf("hello of a new browser: %+v", c.HelloReply)
	}
	r, err := c.Do(browser.Request{Action: browser.ActionFind, URL: "https://bank.example/"})
	wantBrowserCode(t, r, err, browser.CodeNotPaired)

	if a.pair(t, c, false) {
		t.Fatal("a refused pairing was reported as approved")
	}
	if got := a.PairedBrowsers(); len(got) != 0 {
		t.Fatalf("a refused browser is listed: %+v", got)
	}
	if !a.pair(t, c, true) {
		t.Fatal("an approved pairing was reported as refused")
	}
	<-a.dlg.changes // the list shows it

	r, err = c.Do(browser.Request{Action: browser.ActionFind, URL: "https://www.bank.example/login"})
	if err != nil || len(r.Logins) != 1 || r.Logins[0].Ref != ref {
		t.Fatalf("find: %v %+v", err, r)
	}
	r, err = c.Do(browser.Request{Action: browser.ActionFill, URL: "https://bank.example/login", Ref: ref})
	if err != nil || r.Error != "" {
		t.Fatalf("fill: %v %+v", err, r)
	}
	want, err := TOTPCode(rfcTOTP, a.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if r.Username != "alice" || r.Password != "s3cret-Bank" || r.TOTP != want {
		t.Fatalf("fill got user %q, code %q (want %q), password right: %v", r.Username, r.TOTP, want, r.Password == "s3cret-Bank")
	}

	list := a.PairedBrowsers()
	if len(list) != 1 || list[0].Name != "Chromium on Linux" || !list[0].Paired.Equal(a.clock.Now()) || !list[0].LastUsed.Equal(a.clock.Now()) {
		t.Fatalf("paired browsers: %+v", list)
	}

	if err := a.RevokeBrowser(list[0].ID); err != nil {
		t.Fatal(err)
	}
	if len(a.dlg.changes) != 2 { // the first use, then the revoke
		t.Fatalf("%d list changes announced after use and revoke, want 2", len(a.dlg.changes))
	}
	if _, err := c.Do(browser.Request{Action: browser.ActionFill, URL: "https://bank.example/login", Ref: ref}); err == nil {
		t.Fatal("a revoked browser's open connection still answers")
	}
	if len(a.PairedBrowsers()) != 0 {
		t.Fatal("a revoked browser is still listed")
	}
	again := a.connect(t, &c.Key)
	if again.HelloReply.Paired {
		t.Fatal("a revoked browser says hello as paired")
	}
	r, err = again.Do(browser.Request{Action: browser.ActionFill, URL: "https://bank.example/login", Ref: ref})
	wantBrowserCode(t, r, err, browser.CodeNotPaired)
	if err := a.RevokeBrowser(list[0].ID); !errors.Is(err, browser.ErrUnknownBrowser) {
		t.Fatalf("revoking twice: %v", err)
	}
}

// TestBrowserLockedShowsUnlock: a fill while the vault is locked is refused as locked,
// the extension's unlock request brings the unlock window forward, and unlocking in
// the app tells the waiting browser, whose fill then goes on.
func TestBrowserLockedShowsUnlock(t *testing.T) {
	a := startBrowserApp(t)
	a.create(t)
	ref := a.addLogin(t, &vault.Item{Title: "Mail", URLs: []string{"https://mail.example"}, Username: "bob", Password: "pw-Mail-1"})
	c := a.connect(t, nil)
	if !a.pair(t, c, true) {
		t.Fatal("pairing refused")
	}
	a.Lock()
	if p, err := c.ReadPush(); err != nil || p.Type != browser.TypeStatus || !p.Locked {
		t.Fatalf("after Lock the browser heard %+v, %v", p, err)
	}
	r, err := c.Do(browser.Request{Action: browser.ActionFill, URL: "https://mail.example/", Ref: ref})
	wantBrowserCode(t, r, err, browser.CodeLocked)
	if len(a.dlg.unlocks) != 0 {
		t.Fatal("a fill alone brought the unlock window forward")
	}
	r, err = c.Do(browser.Request{Action: browser.ActionUnlock})
	if err != nil || !r.Locked {
		t.Fatalf("unlock request: %v %+v", err, r)
	}
	<-a.dlg.unlocks

	a.Unlock([]byte(strongPassword), func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	})
	if p, err := c.ReadPush(); err != nil || p.Locked {
		t.Fatalf("after Unlock the browser heard %+v, %v", p, err)
	}
	r, err = c.Do(browser.Request{Action: browser.ActionFill, URL: "https://mail.example/", Ref: ref})
	if err != nil || r.Username != "bob" {
		t.Fatalf("fill after unlock: %v %+v", err, r)
	}
	// Unlocked, the unlock request does not raise the window.
	if r, err := c.Do(browser.Request{Action: browser.ActionUnlock}); err != nil || r.Locked {
		t.Fatalf("unlock request when unlocked: %v %+v", err, r)
	}
	if len(a.dlg.unlocks) != 0 {
		t.Fatal("the unlock window was raised over an unlocked vault")
	}
}

// TestBrowserNoVaultYet: before a vault exists the browser hears "locked", and once
// the person creates one the server serves it without a restart.
func TestBrowserNoVaultYet(t *testing.T) {
	a := startBrowserApp(t)
	c := a.connect(t, nil)
	if !c.HelloReply.Locked {
		t.Fatal("with no vault the app says hello as unlocked")
	}
	if !a.pair(t, c, true) {
		t.Fatal("pairing refused")
	}
	r, err := c.Do(browser.Request{Action: browser.ActionGenerate})
	wantBrowserCode(t, r, err, browser.CodeLocked)
	a.create(t)
	if p, err := c.ReadPush(); err != nil || p.Locked {
		t.Fatalf("after creating the vault the browser heard %+v, %v", p, err)
	}
	r, err = c.Do(browser.Request{Action: browser.ActionSave, URL: "https://shop.example/signup", Username: "carol", Password: "New-pass-42"})
	if err != nil || r.Error != "" || r.Ref == "" {
		t.Fatalf("save: %v %+v", err, r)
	}
	v, err := a.Unlocked()
	if err != nil {
		t.Fatal(err)
	}
	id, err := vault.ParseID(r.Ref)
	if err != nil {
		t.Fatal(err)
	}
	it, err := v.Get(id)
	if err != nil || it.Username != "carol" || it.Password != "New-pass-42" || it.URLs[0] != "https://shop.example" {
		t.Fatalf("saved item: %v %+v", err, it)
	}
}

// TestBrowserFollowsSwappedVault: when a sync action puts another vault in the
// controller's place, the browsers hear the old one lock and the new one unlock, and
// fills come from the new one.
func TestBrowserFollowsSwappedVault(t *testing.T) {
	a := startBrowserApp(t)
	a.create(t)
	a.addLogin(t, &vault.Item{Title: "Old", URLs: []string{"https://site.example"}, Username: "old", Password: "pw-Old-1"})
	c := a.connect(t, nil)
	if !a.pair(t, c, true) {
		t.Fatal("pairing refused")
	}

	kdf := vault.FloorKDF()
	nv, err := vault.Create(filepath.Join(t.TempDir(), "cloud.db"), []byte(strongPassword), vault.CreateOptions{KDF: &kdf})
	if err != nil {
		t.Fatal(err)
	}
	newRef, err := nv.Add(&vault.Item{Type: vault.TypeLogin, Title: "New", URLs: []string{"https://site.example"}, Username: "new", Password: "pw-New-1"})
	if err != nil {
		t.Fatal(err)
	}
	old, err := a.Unlocked()
	if err != nil {
		t.Fatal(err)
	}
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}
	if p, err := c.ReadPush(); err != nil || !p.Locked {
		t.Fatalf("when the old vault closed the browser heard %+v, %v", p, err)
	}
	a.SwapVault(nv)
	if p, err := c.ReadPush(); err != nil || p.Locked {
		t.Fatalf("after the swap the browser heard %+v, %v", p, err)
	}
	r, err := c.Do(browser.Request{Action: browser.ActionFind, URL: "https://site.example/"})
	if err != nil || len(r.Logins) != 1 || r.Logins[0].Ref != newRef.ID.String() {
		t.Fatalf("find after the swap: %v %+v", err, r)
	}
}

// TestBrowserPairingDismissed: a browser that goes away while its pairing dialog is
// open closes the dialog, and is not paired.
func TestBrowserPairingDismissed(t *testing.T) {
	a := startBrowserApp(t)
	nc, err := browser.Dial(a.socket)
	if err != nil {
		t.Fatal(err)
	}
	kp, err := browser.NewKeyPair()
	if err != nil {
		t.Fatal(err)
	}
	c := browser.NewClient(nc, kp, "Firefox")
	if _, err := c.Hello(); err != nil {
		t.Fatal(err)
	}
	go func() { _, _ = c.Pair() }() // ends with an error when the connection closes
	p := <-a.dlg.prompts
	<-a.dlg.answers
	if err := nc.Close(); err != nil {
		t.Fatal(err)
	}
	if d := <-a.dlg.dismissed; d != p {
		t.Fatalf("dismissed %+v, asked %+v", d, p)
	}
	if len(a.PairedBrowsers()) != 0 {
		t.Fatal("a browser that went away was paired")
	}
}

// TestBrowserStop: after StopBrowser the socket is gone, so the host says Valv is not
// running, and an open connection is dropped.
func TestBrowserStop(t *testing.T) {
	tc := newTestCore(t, DefaultSettings())
	socket := filepath.Join(t.TempDir(), "valv", "browser.sock")
	if err := tc.StartBrowser(newPairingDialog().options(socket)); err != nil {
		t.Fatal(err)
	}
	if !tc.BrowserRunning() {
		t.Fatal("not running after StartBrowser")
	}
	nc, err := browser.Dial(socket)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = nc.Close() }()
	kp, err := browser.NewKeyPair()
	if err != nil {
		t.Fatal(err)
	}
	// The hello's answer says the server holds the connection (not only the backlog).
	if _, err := browser.NewClient(nc, kp, "Firefox").Hello(); err != nil {
		t.Fatal(err)
	}
	if err := tc.StopBrowser(); err != nil {
		t.Fatal(err)
	}
	if tc.BrowserRunning() || tc.PairedBrowsers() != nil {
		t.Fatal("still running after StopBrowser")
	}
	if _, err := browser.ReadMessage(nc); err == nil {
		t.Fatal("an open connection survived StopBrowser")
	}
	if _, err := browser.Dial(socket); !errors.Is(err, browser.ErrNotRunning) {
		t.Fatalf("dial after stop: %v", err)
	}
	if err := tc.StopBrowser(); err != nil {
		t.Fatalf("stopping twice: %v", err)
	}
}

// TestBrowserAlreadyRunning: a second app of the same OS user finds the socket taken,
// goes on without autofill and says why; the first keeps answering.
func TestBrowserAlreadyRunning(t *testing.T) {
	a := startBrowserApp(t)
	second := New(Options{Path: filepath.Join(t.TempDir(), "vault.db")})
	err := second.StartBrowser(BrowserOptions{Socket: a.socket})
	if !errors.Is(err, browser.ErrAlreadyRunning) || !errors.Is(second.BrowserProblem(), browser.ErrAlreadyRunning) {
		t.Fatalf("second app: %v / %v", err, second.BrowserProblem())
	}
	if second.BrowserRunning() {
		t.Fatal("the second app claims to answer the browser")
	}
	if m := BrowserMessage(err); m.Key != "browser.error.alreadyRunning" {
		t.Fatalf("said as %q", m.Key)
	}
	a.connect(t, nil) // the first still answers
}

// TestBrowserDamagedFiles: a damaged paired-browser file, or per-site settings file, is
// kept under another name, the person is told what starts again (every browser must
// pair again; the sites' settings are off), and pairing works at once.
func TestBrowserDamagedFiles(t *testing.T) {
	for _, c := range []struct {
		file string
		junk string
		err  error
		key  string
	}{
		{browser.PairingsFile, `{"appPublic": "not a key"`, ErrPairingsReset, "browser.error.pairingsDamaged"},
		{browser.SitesFile, `{"https://bank.example": {"fillOnLoad": tr`, ErrSitesReset, "browser.error.sitesDamaged"},
	} {
		t.Run(c.file, func(t *testing.T) {
			tc := newTestCore(t, DefaultSettings())
			path := filepath.Join(tc.dir, c.file)
			if err := os.WriteFile(path, []byte(c.junk), 0o600); err != nil {
				t.Fatal(err)
			}
			dlg := newPairingDialog()
			socket := filepath.Join(t.TempDir(), "valv", "browser.sock")
			err := tc.StartBrowser(dlg.options(socket))
			if !errors.Is(err, c.err) || !errors.Is(tc.BrowserProblem(), c.err) {
				t.Fatalf("start over a damaged file: %v", err)
			}
			t.Cleanup(func() {
				if err := tc.StopBrowser(); err != nil {
					t.Error(err)
				}
			})
			if m := BrowserMessage(err); m.Key != c.key {
				t.Fatalf("said as %q", m.Key)
			}
			kept, err := filepath.Glob(path + ".damaged-*")
			if err != nil || len(kept) != 1 {
				t.Fatalf("the damaged file was not kept: %v %v", kept, err)
			}
			if b, err := os.ReadFile(kept[0]); err != nil || string(b) != c.junk {
				t.Fatalf("the kept file changed: %q %v", b, err)
			}
			a := &browserApp{testCore: tc, dlg: dlg, socket: socket}
			if !a.pair(t, a.connect(t, nil), true) {
				t.Fatal("pairing refused")
			}
		})
	}
}

// TestTOTPCode: the fill hook gives RFC 6238's code for its SHA-1 seed, and refuses
// what is not a secret.
func TestTOTPCode(t *testing.T) {
	got, err := TOTPCode(rfcTOTP, time.Unix(1111111109, 0))
	if err != nil || got != "081804" {
		t.Fatalf("code %q, %v; want 081804", got, err)
	}
	got, err = TOTPCode("otpauth://totp/RFC?secret="+rfcTOTP+"&digits=8", time.Unix(59, 0))
	if err != nil || got != "94287082" {
		t.Fatalf("code %q, %v; want 94287082", got, err)
	}
	if _, err := TOTPCode("not base32 at all!", time.Unix(59, 0)); err == nil {
		t.Fatal("a malformed secret gave a code")
	}
}
