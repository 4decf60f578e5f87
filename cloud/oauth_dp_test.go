package cloud

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/valvpm/valv/cloud/api"
)

// TestOAuthDataProvisionExistingAccount: quick sign-in of an existing account whose
// region needs the statement on data provision stops at "Accept and connect" in the
// browser; only after it is accepted does the app get its one-time code.
func TestOAuthDataProvisionExistingAccount(t *testing.T) {
	e := newEnv(t)
	sess := e.newAccount("quick.google@example.com")
	ru := "ru"
	// Moving to a region that needs the statement leaves it unaccepted.
	e.must("POST", api.PathAccountSettings, sess.AccessToken, api.SettingsRequest{Region: &ru, AcceptTerms: true}, nil)

	c := noRedirectClient()
	back := e.oauthFlow(c, "google", "quick.google@example.com", appParams())
	if back.Path != "/portal/connect" || back.Query().Get("pending") == "" {
		t.Fatalf("quick sign-in went to %s, want the Accept and connect page", back)
	}
	page, err := c.Get(e.base + back.String())
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(page.Body)
	page.Body.Close()
	if page.StatusCode != http.StatusOK || !strings.Contains(string(body), "Accept and connect") || !strings.Contains(string(body), `id="statement"`) {
		t.Fatalf("connect page: %s\n%s", page.Status, body)
	}
	csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindSubmatch(body)
	if csrf == nil {
		t.Fatal("no CSRF token on the page")
	}
	form := url.Values{"csrf": {string(csrf[1])}, "pending": {back.Query().Get("pending")}}
	resp, err := c.PostForm(e.base+"/portal/connect", form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	app, _ := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusFound || app.Scheme+"://"+app.Host+app.Path != appRedirect || app.Query().Get("code") == "" {
		t.Fatalf("after accepting: %s → %s", resp.Status, app)
	}
	var s api.Session
	e.must("POST", api.PathOAuthToken, "", api.OAuthTokenRequest{Code: app.Query().Get("code"), CodeVerifier: appVerifier, RedirectURI: appRedirect}, &s)
	if !s.Account.DataProvisionAccepted {
		t.Error("the acceptance was not recorded")
	}
	// The pending sign-in is single-use.
	resp, err = c.PostForm(e.base+"/portal/connect", form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("second accept: %s", resp.Status)
	}
}
