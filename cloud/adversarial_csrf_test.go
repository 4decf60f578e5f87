package cloud

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/valvpm/valv/cloud/api"
)

// providerCallback runs a quick sign-in in browser c up to the provider's redirect back
// to the server, and returns that callback URL without visiting it.
func (e *env) providerCallback(c *http.Client, provider, email string, q url.Values) string {
	e.t.Helper()
	resp := e.get(c, e.base+api.PathOAuthStartPrefix+provider+"?"+q.Encode())
	authz, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || resp.StatusCode != http.StatusFound {
		e.t.Fatalf("start: %s %v", resp.Status, err)
	}
	form := authz.Query()
	form.Set("email", email)
	form.Set("decision", "allow")
	authz.RawQuery = ""
	presp, err := c.PostForm(authz.String(), form)
	if err != nil {
		e.t.Fatal(err)
	}
	presp.Body.Close()
	cb := presp.Header.Get("Location")
	if !strings.HasPrefix(cb, e.base+api.PathOAuthCallback) {
		e.t.Fatalf("provider redirected to %q", cb)
	}
	return cb
}

func sessionCookie(c *http.Client, base string) *http.Cookie {
	u, _ := url.Parse(base)
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == cookieSession && ck.Value != "" {
			return ck
		}
	}
	return nil
}

// TestAttackPortalLoginCSRF (Low): the attacker starts a portal quick sign-in with
// their own provider account and makes the victim's browser open the callback, to sign
// the victim in to the attacker's account (where what the victim enters is the
// attacker's to read). The state is bound to the browser that started the sign-in, so
// another browser is refused and gets no session.
func TestAttackPortalLoginCSRF(t *testing.T) {
	e := newEnv(t)
	e.newAccount("attacker@example.com")
	for _, q := range []url.Values{{"portal": {"1"}}, appParams()} {
		attacker := noRedirectClient()
		cb := e.providerCallback(attacker, "google", "attacker@example.com", q)
		victim := noRedirectClient()
		resp := e.get(victim, cb)
		if resp.StatusCode != http.StatusBadRequest || sessionCookie(victim, e.base) != nil || resp.Header.Get("Location") != "" {
			t.Fatalf("portal=%s: the victim's browser got %s, location %q, session %v", q.Get("portal"), resp.Status, resp.Header.Get("Location"), sessionCookie(victim, e.base) != nil)
		}
	}
	// The browser that started it goes on as before.
	c := noRedirectClient()
	resp := e.get(c, e.providerCallback(c, "google", "attacker@example.com", url.Values{"portal": {"1"}}))
	if resp.StatusCode != http.StatusSeeOther || sessionCookie(c, e.base) == nil {
		t.Fatalf("the starting browser: %s, session %v", resp.Status, sessionCookie(c, e.base) != nil)
	}
}
