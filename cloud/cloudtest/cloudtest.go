// Package cloudtest runs a real valv-cloud for the client packages' tests: the real
// handler on a real loopback listener, over a bbolt store in a temporary folder, with
// an injected clock (tests move time instead of sleeping), the dev outbox (where tests
// read e-mailed and SMS codes) and the loopback fake OAuth providers. Only tests
// import it.
package cloudtest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/valvpm/valv/cloud"
	"github.com/valvpm/valv/cloud/api"
	"github.com/valvpm/valv/cloud/store"
)

// Clock is a settable clock.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

// Advance moves the clock forward.
func (c *Clock) Advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// Env is a running server.
type Env struct {
	URL    string // base URL, http://127.0.0.1:PORT
	Server *cloud.Server
	Clock  *Clock
	Outbox *cloud.Outbox
	HTTP   *httptest.Server
}

// Start runs a server until the test ends. opts adjust the configuration.
func Start(t testing.TB, opts ...func(*cloud.Config)) *Env {
	t.Helper()
	st, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewUnstartedServer(nil)
	base := "http://" + ts.Listener.Addr().String()
	provs, devOAuth, err := cloud.DevProviders(base)
	if err != nil {
		t.Fatal(err)
	}
	clock := &Clock{t: time.Now().UTC().Truncate(time.Second)}
	ob := &cloud.Outbox{Clock: clock}
	cfg := cloud.Config{Store: st, Clock: clock, BaseURL: base, Dev: true, Outbox: ob,
		Argon2:    cloud.Argon2Params{MemoryKiB: 64, Time: 1, Threads: 1}, // cheap on purpose: tests, not security
		Providers: provs, CaptchaText: func() string { return "12345" },
		RateLimits: cloud.RateLimits{PerIP: 10000, PerAccount: 1000},
		// Tests of sync, the app and valv-cli are not about proving addresses or
		// plans; the ones that are pass ProveEmails and PlanLimits.
		TrustSignUpEmails: true, Plans: UnlimitedPlans()}
	for _, o := range opts {
		o(&cfg)
	}
	srv, err := cloud.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle(cloud.DevOAuthPrefix, devOAuth)
	mux.Handle("/", srv)
	ts.Config.Handler = mux
	ts.Start()
	t.Cleanup(func() {
		ts.Close()
		if err := srv.Close(); err != nil {
			t.Errorf("closing the cloud server: %v", err)
		}
		if err := st.Close(); err != nil {
			t.Errorf("closing the cloud store: %v", err)
		}
	})
	return &Env{URL: base, Server: srv, Clock: clock, Outbox: ob, HTTP: ts}
}

// UnlimitedPlans are the server's built-in plans with no entry limit and no bound on
// attached files on any of them.
func UnlimitedPlans() []api.Plan {
	plans := cloud.DefaultPlans()
	for i := range plans {
		plans[i].Entitlements.MaxEntries = 0
		plans[i].Entitlements.MaxAttachmentBytes = 0
	}
	return plans
}

// UnlimitedPlansFile writes UnlimitedPlans where the real binary's -plans flag can read
// them, and returns the path.
func UnlimitedPlansFile(t testing.TB) string {
	t.Helper()
	raw, err := json.Marshal(UnlimitedPlans())
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "plans.json")
	if err := os.WriteFile(p, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// PlanLimits is an option of Start: the built-in plans as an operator gets them (the
// Free plan keeps 15 entries and 256 MiB of attached files).
func PlanLimits(c *cloud.Config) { c.Plans = cloud.DefaultPlans() }

// ProveEmails is an option of Start: accounts created with a password must prove
// their address with the e-mailed code, as on a real server.
func ProveEmails(c *cloud.Config) { c.TrustSignUpEmails = false }

// LastCode returns the code of the newest message sent to (an e-mail address or phone
// number), or fails the test.
func (e *Env) LastCode(t testing.TB, to string) string {
	t.Helper()
	msgs := e.Outbox.Messages()
	for i := len(msgs) - 1; i >= 0; i-- {
		if strings.EqualFold(msgs[i].To, to) && msgs[i].Code != "" {
			return msgs[i].Code
		}
	}
	t.Fatalf("no code was sent to %s", to)
	return ""
}

// Messages returns everything sent so far.
func (e *Env) Messages() []api.OutboxMessage { return e.Outbox.Messages() }

// BuildBinary builds the real valv-cloud into a temporary folder and returns its path,
// for tests that start, kill and restart the server as a process.
func BuildBinary(t testing.TB) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the valv-cloud binary")
	}
	bin := filepath.Join(t.TempDir(), "valv-cloud")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/valvpm/valv/cmd/valv-cloud").CombinedOutput(); err != nil {
		t.Fatalf("building valv-cloud: %v\n%s", err, out)
	}
	return bin
}
