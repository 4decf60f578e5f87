package account

import (
	"context"
	"testing"

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

// browser plays the person at the system browser (cloudtest.Browser).
func browser(t *testing.T, email string, allow bool) func(string) error {
	return cloudtest.Browser{Email: email, Deny: !allow, Errorf: t.Errorf}.Open
}
