package appcore

import (
	"context"
	"testing"
	"time"

	"github.com/valvpm/valv/account"
	"github.com/valvpm/valv/cloud/cloudtest"
)

// inline runs work and UI callbacks on the test goroutine, so a flow is deterministic:
// when a method returns, its call has been answered.
var inline = Tasks{Background: func(f func()) { f() }, OnUI: func(f func()) { f() }}

// queued runs work on goroutines and queues UI callbacks for the test to run, as the
// app's event loop would; tests use it to act while a call is still running.
type queued struct {
	t     testing.TB
	queue chan func()
}

func newQueued(t testing.TB) *queued { return &queued{t: t, queue: make(chan func(), 100)} }

func (q *queued) tasks() Tasks {
	return Tasks{Background: func(f func()) { go f() }, OnUI: func(f func()) { q.queue <- f }}
}

// pump runs queued UI callbacks until done reports true.
func (q *queued) pump(what string, done func() bool) {
	q.t.Helper()
	deadline := time.After(10 * time.Second)
	for !done() {
		select {
		case f := <-q.queue:
			f()
		case <-deadline:
			q.t.Fatalf("waited 10 s for %s", what)
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
func testAccounts(t testing.TB, env *cloudtest.Env, clock Clock, tweak ...func(*AccountOptions)) *Accounts {
	t.Helper()
	store := &account.MemoryStore{}
	o := AccountOptions{
		URL: env.URL,
		New: func(u string) (*account.Client, error) {
			return account.New(u, account.Options{Store: store, ClientName: account.ClientName("Valv"), Now: env.Clock.Now})
		},
		OpenURL: func(string) error { return nil },
		Clock:   clock,
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
