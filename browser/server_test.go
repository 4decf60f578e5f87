package browser_test

import (
	"errors"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/valvpm/valv/browser"
	"github.com/valvpm/valv/browser/browsertest"
	"github.com/valvpm/valv/vault"
)

func socketPath(t *testing.T) string {
	if runtime.GOOS == "windows" {
		return `\\.\pipe\valv-test-` + filepath.Base(t.TempDir())
	}
	return filepath.Join(t.TempDir(), "valv", "browser.sock")
}

// connect opens a connection as a browser with a fresh key and says hello.
func connect(t *testing.T, app *browsertest.App, kp *browser.KeyPair) *browser.Client {
	t.Helper()
	if kp == nil {
		k, err := browser.NewKeyPair()
		if err != nil {
			t.Fatal(err)
		}
		kp = &k
	}
	nc, err := browser.Dial(app.Socket)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = nc.Close() })
	c := browser.NewClient(nc, *kp, "Test browser")
	if _, err := c.Hello(); err != nil {
		t.Fatal(err)
	}
	return c
}

// pair runs the pairing with the test playing the person.
func pair(t *testing.T, app *browsertest.App, c *browser.Client, approve bool) bool {
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
	p := <-app.Prompts
	if p.Code != c.Code() {
		t.Errorf("the app shows code %q, the browser %q", p.Code, c.Code())
	}
	if p.Name != "Test browser" {
		t.Errorf("dialog names the browser %q", p.Name)
	}
	app.Answer(approve)
	r := <-done
	if r.err != nil {
		t.Fatal(r.err)
	}
	return r.ok
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	var ae *browser.AppError
	if !errors.As(err, &ae) || ae.Code != code {
		t.Fatalf("got %v, want the error %q", err, code)
	}
}

func TestPairingRefusedThenApproved(t *testing.T) {
	app := browsertest.Start(t, socketPath(t))
	ref := app.AddLogin(t, "Bank", "https://bank.example", "alice", "s3cret-Bank")
	c := connect(t, app, nil)
	if c.HelloReply.Paired {
		t.Fatal("a new browser says hello as paired")
	}
	// Unpaired: nothing is answered.
	_, err := c.Do(browser.Request{Action: browser.ActionFind, URL: "https://bank.example/"})
	wantCode(t, err, browser.CodeNotPaired)

	if pair(t, app, c, false) {
		t.Fatal("refused pairing reported as approved")
	}
	_, err = c.Do(browser.Request{Action: browser.ActionFill, URL: "https://bank.example/", Ref: ref})
	wantCode(t, err, browser.CodeNotPaired)
	if len(app.Pairings.List()) != 0 {
		t.Fatal("a refused browser was kept")
	}

	if !pair(t, app, c, true) {
		t.Fatal("approved pairing reported as refused")
	}
	r, err := c.Do(browser.Request{Action: browser.ActionFill, URL: "https://bank.example/login", Ref: ref})
	if err != nil || r.Error != "" {
		t.Fatalf("fill: %v %+v", err, r)
	}
	if r.Username != "alice" || r.Password != "s3cret-Bank" {
		t.Fatalf("fill got user %q and a different password", r.Username)
	}
	list := app.Pairings.List()
	if len(list) != 1 || list[0].Name != "Test browser" || list[0].LastUsed.IsZero() {
		t.Fatalf("paired browsers: %+v", list)
	}

	// The file holds keys and names, never a vault secret, and only this user reads it.
	b, err := os.ReadFile(filepath.Join(app.Dir, browser.PairingsFile))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "s3cret") || strings.Contains(string(b), "alice") {
		t.Fatal("browsers.json holds vault data")
	}
	if runtime.GOOS != "windows" {
		fi, err := os.Stat(filepath.Join(app.Dir, browser.PairingsFile))
		if err != nil || fi.Mode().Perm() != 0o600 {
			t.Fatalf("browsers.json mode %v (%v)", fi.Mode(), err)
		}
	}

	// A new connection of the same browser is paired at hello and needs no dialog.
	c2 := connect(t, app, &c.Key)
	if !c2.HelloReply.Paired {
		t.Fatal("a paired browser is not known on its next connection")
	}
	if ok, err := c2.Pair(); err != nil || !ok {
		t.Fatalf("pairing an already paired browser: %v %v", ok, err)
	}
}

func TestOnePairingDialogAtATime(t *testing.T) {
	app := browsertest.Start(t, socketPath(t))
	c1 := connect(t, app, nil)
	done := make(chan bool, 1)
	go func() {
		ok, _ := c1.Pair()
		done <- ok
	}()
	<-app.Prompts
	c2 := connect(t, app, nil)
	_, err := c2.Pair()
	wantCode(t, err, browser.CodeBusy)
	app.Answer(true)
	if !<-done {
		t.Fatal("the first pairing was not approved")
	}
}

func TestPairingDialogClosesWhenBrowserLeaves(t *testing.T) {
	app := browsertest.Start(t, socketPath(t))
	nc, err := browser.Dial(app.Socket)
	if err != nil {
		t.Fatal(err)
	}
	kp, _ := browser.NewKeyPair()
	c := browser.NewClient(nc, kp, "Leaving")
	if _, err := c.Hello(); err != nil {
		t.Fatal(err)
	}
	go func() { _, _ = c.Pair() }()
	<-app.Prompts
	if err := nc.Close(); err != nil {
		t.Fatal(err)
	}
	// The dialog closes by itself (its context ended), which frees the single slot:
	// the next browser gets its own dialog.
	<-app.Dismissed
	c2 := connect(t, app, nil)
	go func() { _, _ = c2.Pair() }()
	p := <-app.Prompts
	if p.Code != c2.Code() {
		t.Fatal("the dialog is not the second browser's")
	}
	app.Answer(false)
	if len(app.Pairings.List()) != 0 {
		t.Fatal("a browser that left was paired")
	}
}

func TestReplayAndTamperRefused(t *testing.T) {
	app := browsertest.Start(t, socketPath(t))
	ref := app.AddLogin(t, "Bank", "https://bank.example", "alice", "pw-1")
	c := connect(t, app, nil)
	pair(t, app, c, true)

	e, id, err := c.Seal(browser.Request{Action: browser.ActionFill, URL: "https://bank.example/", Ref: ref})
	if err != nil {
		t.Fatal(err)
	}
	if r, err := c.SendEnvelope(e, id); err != nil || r.Password != "pw-1" {
		t.Fatalf("first send: %v %+v", err, r)
	}
	// The same sealed request again, on the same connection…
	_, err = c.SendEnvelope(e, id)
	wantCode(t, err, browser.CodeBadRequest)
	// …and on another connection of the same browser (another session).
	c2 := connect(t, app, &c.Key)
	_, err = c2.SendEnvelope(e, id)
	wantCode(t, err, browser.CodeBadRequest)

	// One flipped bit in the box.
	e3, id3, err := c.Seal(browser.Request{Action: browser.ActionFill, URL: "https://bank.example/", Ref: ref})
	if err != nil {
		t.Fatal(err)
	}
	e3.Box[len(e3.Box)/2] ^= 1
	_, err = c.SendEnvelope(e3, id3)
	wantCode(t, err, browser.CodeBadRequest)

	// Another local program with its own key cannot claim to be the paired browser: it
	// does not have the private key, so its box does not open.
	other, _ := browser.NewKeyPair()
	forged := browser.KeyPair{Public: c.Key.Public, Private: other.Private}
	c4 := connect(t, app, &forged)
	_, err = c4.Do(browser.Request{Action: browser.ActionFill, URL: "https://bank.example/", Ref: ref})
	wantCode(t, err, browser.CodeBadRequest)
}

func TestFillRules(t *testing.T) {
	app := browsertest.Start(t, socketPath(t))
	bank := app.AddLogin(t, "Bank", "https://bank.example", "alice", "pw-bank")
	app.AddLogin(t, "Bank (shop)", "https://shop.bank.example", "alice-shop", "pw-shop")
	other := app.AddLogin(t, "Mail", "https://mail.example", "al", "pw-mail")
	c := connect(t, app, nil)
	pair(t, app, c, true)

	r, err := c.Do(browser.Request{Action: browser.ActionFind, URL: "https://shop.bank.example/login"})
	if err != nil || len(r.Logins) != 2 {
		t.Fatalf("find: %v %+v", err, r)
	}
	if !r.Logins[0].Exact || r.Logins[0].Title != "Bank (shop)" || r.Logins[1].Exact {
		t.Fatalf("exact host is not first: %+v", r.Logins)
	}
	for _, l := range r.Logins {
		if strings.Contains(l.Ref+l.Title+l.Username, "pw-") {
			t.Fatal("find returned a password")
		}
	}
	for _, page := range []string{"https://evil-bank.example/", "https://bank.example.evil.example/", "http://bank.example/"} {
		r, err := c.Do(browser.Request{Action: browser.ActionFind, URL: page})
		if err != nil || len(r.Logins) != 0 {
			t.Errorf("find on %s: %v %+v", page, err, r.Logins)
		}
		r, err = c.Do(browser.Request{Action: browser.ActionFill, URL: page, Ref: bank})
		if err != nil || r.Error != browser.CodeNoMatch || r.Password != "" {
			t.Errorf("fill of the bank login on %s: %v %+v", page, err, r)
		}
	}
	// A login of another site asked for by reference, from the bank's page.
	r, err = c.Do(browser.Request{Action: browser.ActionFill, URL: "https://bank.example/", Ref: other})
	if err != nil || r.Error != browser.CodeNoMatch || r.Password != "" {
		t.Fatalf("another site's login: %v %+v", err, r)
	}
	// The bank's form framed by another site.
	r, err = c.Do(browser.Request{Action: browser.ActionFill, URL: "https://bank.example/", TopURL: "https://evil.example/", Ref: bank})
	if err != nil || r.Error != browser.CodeNoMatch || r.Password != "" {
		t.Fatalf("cross-origin frame: %v %+v", err, r)
	}
	r, err = c.Do(browser.Request{Action: browser.ActionFind, URL: "https://bank.example/", TopURL: "https://evil.example/"})
	if err != nil || r.Error != browser.CodeNoMatch || len(r.Logins) != 0 {
		t.Fatalf("find in a cross-origin frame: %v %+v", err, r)
	}
	// A same-origin frame is fine.
	r, err = c.Do(browser.Request{Action: browser.ActionFill, URL: "https://bank.example/frame", TopURL: "https://bank.example/", Ref: bank})
	if err != nil || r.Password != "pw-bank" {
		t.Fatalf("same-origin frame: %v %+v", err, r)
	}
	r, err = c.Do(browser.Request{Action: browser.ActionFill, URL: "https://bank.example/", Ref: "0123"})
	if err != nil || r.Error != browser.CodeNotFound {
		t.Fatalf("unknown ref: %v %+v", err, r)
	}
	r, err = c.Do(browser.Request{Action: browser.ActionTOTP, URL: "https://bank.example/", Ref: bank})
	if err != nil || r.Error != browser.CodeNoTOTP {
		t.Fatalf("totp without a secret: %v %+v", err, r)
	}
}

func TestSaveCheckUpdateGenerate(t *testing.T) {
	app := browsertest.Start(t, socketPath(t))
	c := connect(t, app, nil)
	pair(t, app, c, true)
	page := "https://www.shop.example:8443/signup?x=1"

	r, err := c.Do(browser.Request{Action: browser.ActionCheck, URL: page, Username: "bob", Password: "first-pw"})
	if err != nil || r.State != browser.StateNew {
		t.Fatalf("check new: %v %+v", err, r)
	}
	r, err = c.Do(browser.Request{Action: browser.ActionSave, URL: page, Username: "bob", Password: "first-pw"})
	if err != nil || r.Ref == "" {
		t.Fatalf("save: %v %+v", err, r)
	}
	ref := r.Ref
	items, err := app.Vault.Search("shop", browserFilter())
	if err != nil || len(items) != 1 {
		t.Fatalf("saved items: %v %d", err, len(items))
	}
	it := items[0]
	if it.Title != "shop.example" || len(it.URLs) != 1 || it.URLs[0] != "https://www.shop.example:8443" || it.Username != "bob" || it.Password != "first-pw" {
		t.Fatalf("saved login: %q %q %q", it.Title, it.URLs, it.Username)
	}
	r, err = c.Do(browser.Request{Action: browser.ActionCheck, URL: page, Username: "BOB", Password: "first-pw"})
	if err != nil || r.State != browser.StateKnown {
		t.Fatalf("check known: %v %+v", err, r)
	}
	r, err = c.Do(browser.Request{Action: browser.ActionCheck, URL: page, Username: "bob", Password: "second-pw"})
	if err != nil || r.State != browser.StateChanged || r.Ref != ref {
		t.Fatalf("check changed: %v %+v", err, r)
	}
	r, err = c.Do(browser.Request{Action: browser.ActionUpdate, URL: page, Ref: ref, Password: "second-pw"})
	if err != nil || r.Error != "" {
		t.Fatalf("update: %v %+v", err, r)
	}
	got, err := app.Core.Credentials(ref)
	if err != nil || got.Password != "second-pw" {
		t.Fatalf("after update: %v (the password did not change)", err)
	}
	// Updating from another site's page is refused.
	r, err = c.Do(browser.Request{Action: browser.ActionUpdate, URL: "https://evil.example/", Ref: ref, Password: "evil"})
	if err != nil || r.Error != browser.CodeNoMatch {
		t.Fatalf("update from another site: %v %+v", err, r)
	}
}

func TestSaveRefusedAndGenerate(t *testing.T) {
	app := browsertest.Start(t, socketPath(t))
	c := connect(t, app, nil)
	pair(t, app, c, true)
	r, err := c.Do(browser.Request{Action: browser.ActionSave, URL: "file:///tmp/x.html", Username: "a", Password: "b"})
	if err != nil || r.Error != browser.CodeBadRequest {
		t.Fatalf("save for a file page: %v %+v", err, r)
	}
	r, err = c.Do(browser.Request{Action: browser.ActionGenerate})
	if err != nil || len(r.Password) != 20 {
		t.Fatalf("generate: %v %+v", err, r)
	}
}

func TestLockedAndUnlockToFront(t *testing.T) {
	app := browsertest.Start(t, socketPath(t))
	ref := app.AddLogin(t, "Bank", "https://bank.example", "alice", "pw")
	c := connect(t, app, nil)
	pair(t, app, c, true)
	app.Vault.Lock()
	push, err := c.ReadPush()
	if err != nil || push.Type != browser.TypeStatus || !push.Locked {
		t.Fatalf("lock push: %v %+v", err, push)
	}
	for _, a := range []string{browser.ActionFind, browser.ActionFill, browser.ActionSave, browser.ActionGenerate} {
		r, err := c.Do(browser.Request{Action: a, URL: "https://bank.example/", Ref: ref, Username: "x", Password: "y"})
		if err != nil || r.Error != browser.CodeLocked || r.Password != "" || len(r.Logins) != 0 {
			t.Fatalf("%s while locked: %v %+v", a, err, r)
		}
	}
	r, err := c.Do(browser.Request{Action: browser.ActionUnlock})
	if err != nil || !r.Locked {
		t.Fatalf("unlock request: %v %+v", err, r)
	}
	<-app.UnlockShown
	app.Unlock(t)
	push, err = c.ReadPush()
	if err != nil || push.Locked {
		t.Fatalf("unlock push: %v %+v", err, push)
	}
	r, err = c.Do(browser.Request{Action: browser.ActionFill, URL: "https://bank.example/", Ref: ref})
	if err != nil || r.Password != "pw" {
		t.Fatalf("fill after unlock: %v %+v", err, r)
	}
}

func TestRevoke(t *testing.T) {
	app := browsertest.Start(t, socketPath(t))
	ref := app.AddLogin(t, "Bank", "https://bank.example", "alice", "pw")
	c := connect(t, app, nil)
	pair(t, app, c, true)
	id := app.Pairings.List()[0].ID
	if err := app.Server.Revoke(id); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Do(browser.Request{Action: browser.ActionFill, URL: "https://bank.example/", Ref: ref}); err == nil {
		t.Fatal("a revoked browser's open connection still answers")
	}
	c2 := connect(t, app, &c.Key)
	if c2.HelloReply.Paired {
		t.Fatal("a revoked browser is still paired")
	}
	_, err := c2.Do(browser.Request{Action: browser.ActionFill, URL: "https://bank.example/", Ref: ref})
	wantCode(t, err, browser.CodeNotPaired)
	if err := app.Server.Revoke(id); !errors.Is(err, browser.ErrUnknownBrowser) {
		t.Fatalf("revoking twice: %v", err)
	}
}

func TestBadFrames(t *testing.T) {
	app := browsertest.Start(t, socketPath(t))
	nc, err := browser.Dial(app.Socket)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = nc.Close() }()
	for _, m := range []string{`{"type":"nope"}`, `[1,2]`, `{"type":"hello","key":"AAAA"}`, `{"type":"msg"}`, `{"type":"hello"} {}`} {
		if err := browser.WriteMessage(nc, []byte(m)); err != nil {
			t.Fatal(err)
		}
		b, err := browser.ReadMessage(nc)
		if err != nil {
			t.Fatalf("%s: %v", m, err)
		}
		e, err := browser.DecodeEnvelope(b)
		if err != nil || e.Type != browser.TypeError {
			t.Fatalf("%s: answered %s", m, b)
		}
	}
	// A frame announcing more than the limit ends the connection after an error.
	if _, err := nc.Write([]byte{0xff, 0xff, 0xff, 0x7f}); err != nil {
		t.Fatal(err)
	}
	b, err := browser.ReadMessage(nc)
	if err != nil || !strings.Contains(string(b), browser.CodeBadRequest) {
		t.Fatalf("oversized frame: %s %v", b, err)
	}
	if _, err := browser.ReadMessage(nc); err == nil {
		t.Fatal("the connection stays open after a broken frame")
	}
}

func TestListenSocket(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("named pipes have no file mode")
	}
	path := socketPath(t)
	app := browsertest.Start(t, path)
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 || fi.Mode()&os.ModeSocket == 0 {
		t.Fatalf("socket mode %v (%v)", fi.Mode(), err)
	}
	if _, err := browser.Listen(app.Socket); !errors.Is(err, browser.ErrAlreadyRunning) {
		t.Fatalf("second listener: %v", err)
	}
	// A socket file nobody listens on (a crashed Valv) is replaced.
	stale := filepath.Join(t.TempDir(), "v", "browser.sock")
	if err := os.MkdirAll(filepath.Dir(stale), 0o700); err != nil {
		t.Fatal(err)
	}
	ul, err := net.Listen("unix", stale)
	if err != nil {
		t.Fatal(err)
	}
	ul.(*net.UnixListener).SetUnlinkOnClose(false)
	if err := ul.Close(); err != nil {
		t.Fatal(err)
	}
	l, err := browser.Listen(stale)
	if err != nil {
		t.Fatalf("stale socket: %v", err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	// A folder others may open is refused.
	open := filepath.Join(t.TempDir(), "open")
	if err := os.Mkdir(open, 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(open, 0o777); err != nil {
		t.Fatal(err)
	}
	if _, err := browser.Listen(filepath.Join(open, "browser.sock")); err == nil {
		t.Fatal("listened in a world-writable folder")
	}
	if _, err := browser.Dial(filepath.Join(t.TempDir(), "none.sock")); !errors.Is(err, browser.ErrNotRunning) {
		t.Fatalf("dial with no app: %v", err)
	}
}

func TestPairingsPersist(t *testing.T) {
	path := filepath.Join(t.TempDir(), "u", browser.PairingsFile)
	p, err := browser.OpenPairings(path)
	if err != nil {
		t.Fatal(err)
	}
	kp, _ := browser.NewKeyPair()
	if err := p.Approve(kp.Public[:], "Firefox", testNow); err != nil {
		t.Fatal(err)
	}
	p2, err := browser.OpenPairings(path)
	if err != nil {
		t.Fatal(err)
	}
	if p2.AppKey() != p.AppKey() {
		t.Fatal("the app's key changed on reopening")
	}
	if !p2.Paired(kp.Public[:]) || p2.List()[0].Name != "Firefox" {
		t.Fatalf("pairing lost: %+v", p2.List())
	}
	if err := os.WriteFile(path, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := browser.OpenPairings(path); err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Fatalf("damaged file: %v", err)
	}
}

// TestTOTPCode: a login with an authenticator secret carries its current code in a
// fill and in a totp request, when the app has an authenticator (here one that reports
// what it was given, standing in for the TOTP package).
func TestTOTPCode(t *testing.T) {
	app := browsertest.Start(t, socketPath(t), func(c *browser.VaultCore) {
		c.Now = func() time.Time { return testNow }
		c.TOTPCode = func(secret string, now time.Time) (string, error) {
			if secret != "JBSWY3DPEHPK3PXP" || !now.Equal(testNow) {
				return "", errors.New("unexpected secret or time")
			}
			return "492039", nil
		}
	})
	it, err := app.Vault.Add(&vault.Item{Type: vault.TypeLogin, Title: "Bank", URLs: []string{"https://bank.example"}, Username: "alice", Password: "pw", TOTP: "JBSWY3DPEHPK3PXP"})
	if err != nil {
		t.Fatal(err)
	}
	c := connect(t, app, nil)
	pair(t, app, c, true)
	r, err := c.Do(browser.Request{Action: browser.ActionFill, URL: "https://bank.example/", Ref: it.ID.String()})
	if err != nil || r.TOTP != "492039" {
		t.Fatalf("fill: %v %v", err, r)
	}
	r, err = c.Do(browser.Request{Action: browser.ActionTOTP, URL: "https://bank.example/", Ref: it.ID.String()})
	if err != nil || r.TOTP != "492039" || r.Password != "" {
		t.Fatalf("totp: %v %v", err, r)
	}
	r, err = c.Do(browser.Request{Action: browser.ActionTOTP, URL: "https://evil.example/", Ref: it.ID.String()})
	if err != nil || r.Error != browser.CodeNoMatch || r.TOTP != "" {
		t.Fatalf("totp for another site: %v %v", err, r)
	}
}
