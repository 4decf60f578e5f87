package account

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/valvpm/valv/cloud/cloudtest"
)

var bg = context.Background()

// newClient returns a client of env with its clock tied to the server's.
func newClient(t *testing.T, env *cloudtest.Env) (*Client, *MemoryStore) {
	t.Helper()
	st := &MemoryStore{}
	c, err := New(env.URL, Options{Store: st, ClientName: "Valv test (tester) #00000000", Now: env.Clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	return c, st
}

// createAccount registers an account through the flow and signs it out again, so the
// test starts from "an account exists".
func createAccount(t *testing.T, env *cloudtest.Env, email, password, region string) {
	t.Helper()
	c, _ := newClient(t, env)
	st, err := c.NewFlow("").CreateAccount(bg, CreateForm{Email: email, Password: password, Confirm: password, Region: region})
	if err != nil && st.Step == StepDataProvision {
		st, err = c.NewFlow("").AcceptDataProvision(bg)
	}
	if err != nil {
		t.Fatalf("creating %s: %v", email, err)
	}
	if err := c.SignOut(bg); err != nil {
		t.Fatal(err)
	}
}

// browser plays the person at the system browser: it follows the start URL to the
// provider's page, allows (or denies) access with email, and follows the redirects
// back to the app's loopback listener.
func browser(t *testing.T, email string, allow bool) func(string) error {
	return func(start string) error {
		go func() {
			jar, _ := cookiejar.New(nil)
			hc := &http.Client{Jar: jar, Timeout: 10 * time.Second}
			resp, err := hc.Get(start)
			if err != nil {
				t.Errorf("browser: %v", err)
				return
			}
			resp.Body.Close()
			decision := "deny"
			if allow {
				decision = "allow"
			}
			resp, err = hc.PostForm(resp.Request.URL.String(), url.Values{"email": {email}, "decision": {decision}})
			if err != nil {
				t.Errorf("browser: %v", err)
				return
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if allow && !strings.Contains(string(body), "You are signed in") {
				t.Logf("browser ended at %s (HTTP %d): %.300s", resp.Request.URL, resp.StatusCode, body)
			}
		}()
		return nil
	}
}
