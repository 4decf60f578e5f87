package appcore

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/valvpm/valv/account"
	"github.com/valvpm/valv/cloud/cloudtest"
	"github.com/valvpm/valv/vault"
)

const strongPassword = "violet Harbour 73 lantern quietly"

// fakeClipboard stands in for the system clipboard.
type fakeClipboard struct {
	mu sync.Mutex // the app's UI goroutine and a test may both reach it
	s  string
}

func (c *fakeClipboard) Content() string     { c.mu.Lock(); defer c.mu.Unlock(); return c.s }
func (c *fakeClipboard) SetContent(s string) { c.mu.Lock(); defer c.mu.Unlock(); c.s = s }

// testCore is a controller over a real vault file in t.TempDir, with an inline
// scheduler and a manual clock.
type testCore struct {
	*Controller
	clock *ManualClock
	cb    *fakeClipboard
	dir   string
}

func newTestCore(t *testing.T, s Settings, setup ...func(*Options)) *testCore {
	t.Helper()
	dir := t.TempDir()
	t.Setenv(vault.HomeEnv, dir)
	tc := &testCore{clock: NewManualClock(time.Date(2026, 3, 4, 5, 6, 0, 0, time.UTC)), cb: &fakeClipboard{}, dir: dir}
	floor := vault.FloorKDF() // the cheapest allowed KDF keeps the tests fast
	o := Options{
		Path:               filepath.Join(dir, "vault.db"),
		Settings:           s,
		Clipboard:          tc.cb,
		Clock:              tc.clock,
		KDF:                vault.CreateOptions{KDF: &floor},
		IgnoreVaultChanges: true,
	}
	for _, f := range setup {
		f(&o)
	}
	tc.Controller = New(o)
	tc.Open()
	t.Cleanup(func() {
		if err := tc.Close(); err != nil {
			t.Errorf("closing the vault: %v", err)
		}
	})
	return tc
}

// create makes the vault and fails the test if that fails.
func (tc *testCore) create(t *testing.T) {
	t.Helper()
	var got error
	called := false
	tc.Create([]byte(strongPassword), func(err error) { got, called = err, true })
	if !called || got != nil {
		t.Fatalf("creating the vault: called %v, %v", called, got)
	}
	if tc.Stage() != StageUnlocked {
		t.Fatalf("after creating the vault the stage is %v", tc.Stage())
	}
}

// queued runs work on goroutines and queues UI callbacks for the test to run, as the
// app's event loop would; tests use it to act while a call is still running.
type queued struct {
	t     testing.TB
	queue chan func()
}

func newQueued(t testing.TB) *queued { return &queued{t: t, queue: make(chan func(), 100)} }

func (q *queued) scheduler() Scheduler {
	return Scheduler{Background: func(f func()) { go f() }, OnUI: func(f func()) { q.queue <- f }}
}

// pump runs queued UI callbacks until done reports true. The bound is generous: under
// the race detector one key derivation alone takes seconds.
func (q *queued) pump(what string, done func() bool) {
	q.t.Helper()
	deadline := time.After(2 * time.Minute)
	for !done() {
		select {
		case f := <-q.queue:
			f()
		case <-deadline:
			q.t.Fatalf("waited 2 min for %s", what)
		}
	}
}

// serverClock is a ManualClock kept in step with a cloudtest server's clock, so the
// app's countdowns and the server's expiries agree.
type serverClock struct {
	*ManualClock
	env *cloudtest.Env
}

func newServerClock(env *cloudtest.Env) *serverClock {
	return &serverClock{ManualClock: NewManualClock(env.Clock.Now()), env: env}
}

// Advance moves the server's clock and then the app's, running the app's timers.
func (c *serverClock) Advance(d time.Duration) {
	c.env.Clock.Advance(d)
	c.ManualClock.Advance(d)
}

// testAccounts is an Accounts of env with a memory session store; tweak adjusts the
// options (browser, keyring warning…).
func testAccounts(t testing.TB, env *cloudtest.Env, tweak ...func(*AccountOptions)) *Accounts {
	t.Helper()
	store := &account.MemoryStore{}
	o := AccountOptions{
		URL: env.URL,
		New: func(u string) (*account.Client, error) {
			return account.New(u, account.Options{Store: store, ClientName: account.ClientName("Valv"), Now: env.Clock.Now})
		},
		OpenURL: func(string) error { return nil },
		Region:  "eu",
	}
	for _, f := range tweak {
		f(&o)
	}
	return NewAccounts(o)
}

const accountPW = "Valv-Acc0unt"

// createCloudAccount registers an account on env, signed out again.
func createCloudAccount(t testing.TB, env *cloudtest.Env, email, region string) {
	t.Helper()
	c, err := account.New(env.URL, account.Options{Now: env.Clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := c.NewFlow("").CreateAccount(ctx, account.CreateForm{Email: email, Password: accountPW, Confirm: accountPW, Region: region}); err != nil {
		t.Fatalf("creating %s: %v", email, err)
	}
	if err := c.SignOut(ctx); err != nil {
		t.Fatal(err)
	}
}

func seedDemo(t testing.TB, env *cloudtest.Env) {
	t.Helper()
	if _, err := env.Server.SeedDemo(); err != nil {
		t.Fatal(err)
	}
}

// otherCode returns a six-digit code that is not code.
func otherCode(code string) string {
	if code == "000000" {
		return "111111"
	}
	return "000000"
}
