package cloud

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/valvpm/valv/cloud/api"
	"github.com/valvpm/valv/cloud/store"
	"github.com/valvpm/valv/cloud/store/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// testClock is the injected clock: tests move it instead of sleeping.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// testLogWriter sends the server's log to the test's, so the cause of an internal
// error shows next to the failure it caused.
type testLogWriter struct{ t testing.TB }

func (w testLogWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSuffix(string(p), "\n"))
	return len(p), nil
}

// testArgon2 keeps hashing cheap in tests; production uses DefaultArgon2.
var testArgon2 = Argon2Params{MemoryKiB: 64, Time: 1, Threads: 1}

// env is a real valv-cloud on a real HTTP listener over a bbolt file in t.TempDir(),
// or over a fresh PostgreSQL database with VALV_TEST_STORE=postgres.
type env struct {
	t      testing.TB
	srv    *Server
	ts     *httptest.Server
	clock  *testClock
	outbox *Outbox
	base   string
	st     store.Store
	hc     *http.Client // nil: http.DefaultClient
}

func newEnv(t testing.TB, opts ...func(*Config)) *env {
	t.Helper()
	return newEnvOn(t, os.Getenv("VALV_TEST_STORE"), opts...)
}

// newEnvOn is newEnv on a chosen store: "postgres", else bbolt.
func newEnvOn(t testing.TB, kind string, opts ...func(*Config)) *env {
	t.Helper()
	st := testStore(t, kind)
	ts := httptest.NewUnstartedServer(nil)
	base := "http://" + ts.Listener.Addr().String()
	provs, devOAuth, err := DevProviders(base)
	if err != nil {
		t.Fatal(err)
	}
	clock := &testClock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	ob := &Outbox{Clock: clock}
	cfg := Config{Store: st, Clock: clock, BaseURL: base, Dev: true, Outbox: ob, Argon2: testArgon2,
		Providers: provs, CaptchaText: func() string { return "12345" },
		RateLimits: RateLimits{PerIP: 10000, PerAccount: 1000},
		Log:        log.New(testLogWriter{t}, "valv-cloud: ", 0)}
	for _, o := range opts {
		o(&cfg)
	}
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle(DevOAuthPrefix, devOAuth)
	mux.Handle("/", srv)
	ts.Config.Handler = mux
	ts.Start()
	t.Cleanup(func() {
		ts.Close()
		if err := srv.Close(); err != nil {
			t.Errorf("close server: %v", err)
		}
		if err := st.Close(); err != nil {
			t.Errorf("close store: %v", err)
		}
	})
	return &env{t: t, srv: srv, ts: ts, clock: clock, outbox: ob, base: base, st: st}
}

// call sends body (marshalled unless it is []byte or string) and decodes a 2xx answer
// into out. It returns the status and, for errors, the decoded API error.
func (e *env) call(method, path, token string, body, out any, hdr ...string) (int, *api.Error) {
	e.t.Helper()
	st, ae, err := e.try(method, path, token, body, out, hdr...)
	if err != nil {
		e.t.Fatal(err)
	}
	return st, ae
}

// try is call for other goroutines than the test's: it reports failures instead of
// ending the test.
func (e *env) try(method, path, token string, body, out any, hdr ...string) (int, *api.Error, error) {
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	case string:
		rd = strings.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			return 0, nil, err
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, e.base+path, rd)
	if err != nil {
		return 0, nil, err
	}
	if rd != nil {
		req.Header.Set("Content-Type", api.ContentTypeJSON)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	hc := e.hc
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, nil, err
	}
	if resp.StatusCode >= 400 {
		var eb api.ErrorBody
		if err := json.Unmarshal(raw, &eb); err != nil || eb.Error.Code == "" {
			return resp.StatusCode, nil, fmt.Errorf("%s %s: status %d without an error body: %q", method, path, resp.StatusCode, raw)
		}
		return resp.StatusCode, &eb.Error, nil
	}
	if out != nil && len(raw) > 0 {
		if err := json.Unmarshal(raw, out); err != nil {
			return resp.StatusCode, nil, fmt.Errorf("%s %s: decode %q: %v", method, path, raw, err)
		}
	}
	return resp.StatusCode, nil, nil
}

// must is call that fails the test on any error answer.
func (e *env) must(method, path, token string, body, out any, hdr ...string) {
	e.t.Helper()
	if st, ae := e.call(method, path, token, body, out, hdr...); ae != nil {
		e.t.Fatalf("%s %s: %d %s: %s", method, path, st, ae.Code, ae.Message)
	}
}

// wantErr asserts an error answer with status and code.
func (e *env) wantErr(status int, code api.Code, method, path, token string, body any, hdr ...string) *api.Error {
	e.t.Helper()
	st, ae := e.call(method, path, token, body, nil, hdr...)
	if ae == nil || st != status || ae.Code != code {
		got := "success"
		if ae != nil {
			got = string(ae.Code) + ": " + ae.Message
		}
		e.t.Fatalf("%s %s: want %d %s, got %d %s", method, path, status, code, st, got)
	}
	return ae
}

const testPassword = "Correct-Horse-9"

// newAccount creates an account with testPassword, proves its e-mail address with the
// e-mailed code, and returns the sign-up session.
func (e *env) newAccount(email string) *api.Session {
	e.t.Helper()
	s := e.signUp(email, testPassword)
	if s.EmailCheck != nil {
		r := e.verify(s.EmailCheck, email)
		s.Account = r.Account
		s.EmailCheck = nil
	}
	return s
}

// lastCode returns the code of the newest outbox message to "to".
func (e *env) lastCode(to string) string {
	e.t.Helper()
	msgs := e.outbox.Messages()
	for i := len(msgs) - 1; i >= 0; i-- {
		if msgs[i].To == to && msgs[i].Code != "" {
			return msgs[i].Code
		}
	}
	e.t.Fatalf("no code sent to %s", to)
	return ""
}

// waitLink waits for a mail with a link to "to" (sent from the mail queue) and returns
// the link.
func (e *env) waitLink(to string) string {
	e.t.Helper()
	m, ok := e.outbox.WaitFor(10*time.Second, func(m api.OutboxMessage) bool { return m.To == to && m.Link != "" })
	if !ok {
		e.t.Fatalf("no link was e-mailed to %s", to)
	}
	return m.Link
}

// noRedirectClient follows nothing, so tests can inspect every hop of OAuth flows.
func noRedirectClient() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func jsonUnmarshal(raw []byte, v any) error { return json.Unmarshal(raw, v) }

// testStore is the store of one test, closed at its end.
func testStore(t testing.TB, kind string) store.Store {
	t.Helper()
	var st store.Store
	var err error
	if kind == "postgres" {
		st, err = store.OpenPostgres(context.Background(), pgtest.Database(t), t.Logf)
	} else {
		st, err = store.Open(t.TempDir())
	}
	if err != nil {
		t.Fatal(err)
	}
	return st
}
