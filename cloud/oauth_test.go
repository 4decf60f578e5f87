package cloud

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/valvpm/valv/cloud/api"
	"github.com/valvpm/valv/cloud/fakeoauth"
)

const (
	appRedirect = "http://127.0.0.1:49152/callback"
	appVerifier = "app-verifier-0123456789-0123456789-0123456789"
)

// oauthFlow drives the browser part of quick sign-in against the fake provider and
// returns the server's final redirect (to the app, or to the portal's welcome page).
func (e *env) oauthFlow(c *http.Client, provider, email string, q url.Values) *url.URL {
	e.t.Helper()
	resp := e.get(c, e.base+api.PathOAuthStartPrefix+provider+"?"+q.Encode())
	if resp.StatusCode != http.StatusFound {
		e.t.Fatalf("start: %s", resp.Status)
	}
	authz, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		e.t.Fatal(err)
	}
	if authz.Query().Get("code_challenge_method") != "S256" || authz.Query().Get("nonce") == "" {
		e.t.Fatalf("the server's own request to the provider lacks PKCE or nonce: %s", authz)
	}
	form := authz.Query()
	form.Set("email", email)
	form.Set("decision", "allow")
	authz.RawQuery = ""
	resp, err = c.PostForm(authz.String(), form)
	if err != nil {
		e.t.Fatal(err)
	}
	resp.Body.Close()
	cb := resp.Header.Get("Location")
	if !strings.HasPrefix(cb, e.base+api.PathOAuthCallback) {
		e.t.Fatalf("provider redirected to %q", cb)
	}
	resp = e.get(c, cb)
	if resp.StatusCode/100 != 3 {
		e.t.Fatalf("callback: %s", resp.Status)
	}
	u, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		e.t.Fatal(err)
	}
	return u
}

func (e *env) get(c *http.Client, u string) *http.Response {
	e.t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		e.t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

func appParams() url.Values {
	return url.Values{"redirect_uri": {appRedirect}, "state": {"app-state-1"},
		"code_challenge": {pkceS256(appVerifier)}, "code_challenge_method": {"S256"}, "client_name": {"valv test"}}
}

func TestOAuthAppHandoff(t *testing.T) {
	e := newEnv(t)
	e.newAccount("quick.google@example.com") // the provider vouches for this e-mail: linked
	c := noRedirectClient()
	back := e.oauthFlow(c, "google", "quick.google@example.com", appParams())
	if got := back.Scheme + "://" + back.Host + back.Path; got != appRedirect || back.Query().Get("state") != "app-state-1" || back.Query().Get("code") == "" {
		t.Fatalf("handoff redirect %s", back)
	}
	code := back.Query().Get("code")
	// PKCE mismatch and redirect mismatch are refused (and burn the code).
	e.wantErr(400, api.CodeInvalidGrant, "POST", api.PathOAuthToken, "", api.OAuthTokenRequest{Code: code, CodeVerifier: "wrong-verifier-0123456789-0123456789-012345", RedirectURI: appRedirect})
	e.wantErr(400, api.CodeInvalidGrant, "POST", api.PathOAuthToken, "", api.OAuthTokenRequest{Code: code, CodeVerifier: appVerifier, RedirectURI: appRedirect})

	back = e.oauthFlow(c, "google", "quick.google@example.com", appParams())
	code = back.Query().Get("code")
	e.wantErr(400, api.CodeInvalidGrant, "POST", api.PathOAuthToken, "", api.OAuthTokenRequest{Code: code, CodeVerifier: appVerifier, RedirectURI: "http://127.0.0.1:1/other"})
	back = e.oauthFlow(c, "google", "quick.google@example.com", appParams())
	code = back.Query().Get("code")
	var s api.Session
	e.must("POST", api.PathOAuthToken, "", api.OAuthTokenRequest{Code: code, CodeVerifier: appVerifier, RedirectURI: appRedirect}, &s)
	if s.Account.Email != "quick.google@example.com" || len(s.Account.Providers) != 1 || s.Account.Providers[0] != "google" || !s.Account.HasPassword {
		t.Fatalf("account after linking: %+v", s.Account)
	}
	// Replay of a used code.
	e.wantErr(400, api.CodeInvalidGrant, "POST", api.PathOAuthToken, "", api.OAuthTokenRequest{Code: code, CodeVerifier: appVerifier, RedirectURI: appRedirect})
}

func TestOAuthRefusals(t *testing.T) {
	e := newEnv(t)
	c := noRedirectClient()
	start := func(provider string, q url.Values) *api.Error {
		t.Helper()
		resp, err := c.Get(e.base + api.PathOAuthStartPrefix + provider + "?" + q.Encode())
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if resp.StatusCode < 400 {
			t.Fatalf("start %s %v: %s", provider, q, resp.Status)
		}
		var eb api.ErrorBody
		raw, _ := io.ReadAll(resp.Body)
		if err := jsonUnmarshal(raw, &eb); err != nil {
			t.Fatal(err)
		}
		return &eb.Error
	}
	for _, redirect := range []string{"https://evil.example/cb", "http://evil.example:8080/cb", "http://localhost:5000/cb",
		"http://127.0.0.1/cb", "http://10.0.0.1:5000/cb", "http://user@127.0.0.1:5000/cb", "javascript:alert(1)", ""} {
		q := appParams()
		q.Set("redirect_uri", redirect)
		if ae := start("google", q); ae.Code != api.CodeInvalidRedirectURI {
			t.Errorf("redirect %q: %s", redirect, ae.Code)
		}
	}
	q := appParams()
	q.Set("code_challenge_method", "plain")
	if ae := start("google", q); ae.Code != api.CodePKCERequired {
		t.Errorf("plain PKCE: %s", ae.Code)
	}
	q = appParams()
	q.Del("code_challenge")
	if ae := start("google", q); ae.Code != api.CodePKCERequired {
		t.Errorf("no PKCE: %s", ae.Code)
	}
	if ae := start("myspace", appParams()); ae.Code != api.CodeUnknownProvider {
		t.Errorf("unknown provider: %s", ae.Code)
	}
	q = appParams()
	q.Set("region", "ru")
	if ae := start("google", q); ae.Code != api.CodeUnknownProvider {
		t.Errorf("google in ru: %s", ae.Code)
	}

	// State: unknown, and replayed, are refused.
	e.wantErr(400, api.CodeInvalidState, "GET", api.PathOAuthCallback+"?code=x&state=forged", "", nil)
	resp := e.get(c, e.base+api.PathOAuthStartPrefix+"vk?"+appParams().Encode())
	authz, _ := url.Parse(resp.Header.Get("Location"))
	form := authz.Query()
	form.Set("email", "x@example.com")
	form.Set("decision", "allow")
	authz.RawQuery = ""
	presp, err := c.PostForm(authz.String(), form)
	if err != nil {
		t.Fatal(err)
	}
	presp.Body.Close()
	cb, _ := url.Parse(presp.Header.Get("Location"))
	tampered := *cb
	tq := tampered.Query()
	tq.Set("state", tq.Get("state")+"x")
	tampered.RawQuery = tq.Encode()
	e.wantErr(400, api.CodeInvalidState, "GET", strings.TrimPrefix(tampered.String(), e.base), "", nil)
	if r := e.get(c, cb.String()); r.StatusCode/100 != 3 {
		t.Fatalf("genuine callback: %s", r.Status)
	}
	e.wantErr(400, api.CodeInvalidState, "GET", strings.TrimPrefix(cb.String(), e.base), "", nil)

	// A refusal at the provider.
	resp = e.get(c, e.base+api.PathOAuthStartPrefix+"apple?"+appParams().Encode())
	authz, _ = url.Parse(resp.Header.Get("Location"))
	form = authz.Query()
	form.Set("decision", "deny")
	authz.RawQuery = ""
	presp, err = c.PostForm(authz.String(), form)
	if err != nil {
		t.Fatal(err)
	}
	presp.Body.Close()
	// The server sends the refusal on to the waiting app rather than leaving it to time out.
	r := e.get(c, presp.Header.Get("Location"))
	back, _ := url.Parse(r.Header.Get("Location"))
	if r.StatusCode != http.StatusFound || back.Host != "127.0.0.1:49152" || back.Query().Get("error") != "access_denied" || back.Query().Get("state") != "app-state-1" || back.Query().Get("code") != "" {
		t.Fatalf("refusal went to %s (%s)", back, r.Status)
	}
}

// TestOAuthNewAccount: the first provider sign-in creates a password-less account after
// the region and terms step; such an account cannot re-authenticate with a password.
func TestOAuthNewAccount(t *testing.T) {
	e := newEnv(t)
	c := noRedirectClient()
	back := e.oauthFlow(c, "yandex", "new.user@example.com", appParams())
	if back.Path != "/portal/welcome" || back.Query().Get("pending") == "" {
		t.Fatalf("first sign-in went to %s", back)
	}
	pending := back.Query().Get("pending")
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("POST", "/portal/welcome", nil)
	if err := e.srv.completePending(rec, req, pending, "eu", false, false, false); err == nil {
		t.Fatal("account created without accepting the terms")
	}
	rec = httptest.NewRecorder()
	if err := e.srv.completePending(rec, req, pending, "eu", true, false, false); err != nil {
		t.Fatal(err)
	}
	loc, _ := url.Parse(rec.Header().Get("Location"))
	var s api.Session
	e.must("POST", api.PathOAuthToken, "", api.OAuthTokenRequest{Code: loc.Query().Get("code"), CodeVerifier: appVerifier, RedirectURI: appRedirect}, &s)
	if s.Account.HasPassword || s.Account.Email != "new.user@example.com" || s.Account.TermsAcceptedAt == nil {
		t.Fatalf("provider account: %+v", s.Account)
	}
	a, err := e.st.AccountByIdentity("yandex", fakeoauth.Subject("new.user@example.com"))
	if err != nil || a.PasswordHash != "" {
		t.Fatalf("stored identity: %v %+v", err, a)
	}
	// Password sign-in is refused like any wrong password; re-auth explains why.
	e.wantErr(401, api.CodeInvalidCredentials, "POST", api.PathSessions, "", api.SignInRequest{Email: "new.user@example.com", Password: testPassword})
	e.wantErr(403, api.CodePasswordNotSet, "POST", api.PathActionReauth, s.AccessToken, api.ReauthRequest{Action: api.ActionClearVault, Password: testPassword})
	// Choose password: it signs in at once, and confirms dangerous actions a day later.
	e.must("POST", api.PathAccountPassword, s.AccessToken, api.PasswordRequest{NewPassword: testPassword}, nil)
	e.must("POST", api.PathSessions, "", api.SignInRequest{Email: "new.user@example.com", Password: testPassword}, nil)
	e.wantErr(403, api.CodePasswordTooNew, "POST", api.PathActionReauth, s.AccessToken, api.ReauthRequest{Action: api.ActionClearVault, Password: testPassword})
	e.clock.Advance(api.PasswordSettleTime)
	e.must("POST", api.PathSessionsRefresh, "", api.RefreshRequest{RefreshToken: s.RefreshToken}, &s)
	e.must("POST", api.PathActionReauth, s.AccessToken, api.ReauthRequest{Action: api.ActionClearVault, Password: testPassword}, nil)
	// Signing in with the provider again finds the same account directly.
	back = e.oauthFlow(c, "yandex", "new.user@example.com", appParams())
	if back.Host != "127.0.0.1:49152" {
		t.Fatalf("second sign-in went to %s", back)
	}
	// The pending record is single use.
	rec = httptest.NewRecorder()
	if err := e.srv.completePending(rec, req, pending, "eu", true, false, false); err == nil {
		t.Fatal("pending sign-in reused")
	}
}
