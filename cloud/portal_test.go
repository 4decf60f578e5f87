package cloud

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/valvpm/valv/cloud/api"
	"github.com/valvpm/valv/internal/testenv"
)

// TestPortalCSRF: a form post without the matching token, or from another origin, is
// refused; with it the same post works.
func TestPortalCSRF(t *testing.T) {
	e := newEnv(t)
	c := noRedirectClient()
	resp, err := c.PostForm(e.base+"/portal/signup", url.Values{"email": {"csrf@example.com"}, "password": {testPassword}, "password_confirm": {testPassword}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("post without CSRF token: %s", resp.Status)
	}
	// Fetch the form: it sets the CSRF cookie and embeds the token.
	resp, err = c.Get(e.base + "/portal/signup")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindSubmatch(body)
	if m == nil {
		t.Fatal("no CSRF token in the form")
	}
	for _, ck := range resp.Cookies() {
		if ck.Name == cookieCSRF && (!ck.HttpOnly || ck.SameSite != http.SameSiteStrictMode) {
			t.Fatalf("CSRF cookie flags: %+v", ck)
		}
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
		t.Fatalf("CSP %q", csp)
	}
	form := url.Values{"csrf": {string(m[1])}, "email": {"csrf@example.com"}, "password": {testPassword}, "password_confirm": {testPassword}, "region": {"eu"}}
	req, _ := http.NewRequest("POST", e.base+"/portal/signup", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://evil.example")
	resp, err = c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-origin post: %s", resp.Status)
	}
	resp, err = c.PostForm(e.base+"/portal/signup", form)
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	// Created and signed in; the next page asks for the code that proves the address.
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "Enter the code we e-mailed") {
		t.Fatalf("signup with token: %s\n%s", resp.Status, body)
	}
	var sess *http.Cookie
	for _, ck := range resp.Cookies() {
		if ck.Name == cookieSession {
			sess = ck
		}
	}
	if sess == nil || !sess.HttpOnly || sess.SameSite != http.SameSiteLaxMode {
		t.Fatalf("session cookie %+v", sess)
	}
}

// browser starts headless Chromium for one test.
func browser(t *testing.T) context.Context {
	t.Helper()
	const chromium = "/usr/bin/chromium"
	if _, err := os.Stat(chromium); err != nil {
		testenv.Unavailable(t, "chromium is not installed at "+chromium)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelC(); cancelA() })
	// The first Do starts the browser and binds it to ctx, which has no timeout;
	// each step below gets its own deadline (see run).
	if err := chromedp.Do(ctx); err != nil {
		testenv.Unavailable(t, "chromium does not start: "+err.Error())
	}
	return ctx
}

func run(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(tctx, steps...); err != nil {
		hctx, hcancel := context.WithTimeout(ctx, 5*time.Second)
		html, _ := chromedp.Run(hctx, chromedp.OuterHTML(chromedp.CSS("main")))
		hcancel()
		t.Fatalf("%s: %v\npage: %s", what, err, html)
	}
}

// submit clicks an element that loads a new page and waits until the new page has
// replaced the old one, so a following wait cannot match an element of the old page.
func submit[S chromedp.Selectable](sel S) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		if _, err := chromedp.Evaluate[bool]("window.valvOldPage = true")(ctx, t); err != nil {
			return err
		}
		if _, err := chromedp.Click(sel)(ctx, t); err != nil {
			return err
		}
		for {
			// Evaluation fails while the navigation swaps documents; keep asking.
			done, err := chromedp.Evaluate[bool]("window.valvOldPage === undefined && document.readyState === 'complete'")(ctx, t)
			if err == nil && done {
				return nil
			}
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(20 * time.Millisecond):
			}
		}
	})
}

func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	s, err := chromedp.Run(tctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("read %s: %v", sel, err)
	}
	return s
}

// TestPortalBrowser walks the portal in headless Chromium as a person would: create an
// account, change settings, activate a code, set up two-step verification, revoke a
// device, sign out and in with the SMS code, reset the password, delete the account.
func TestPortalBrowser(t *testing.T) {
	ctx := browser(t)
	e := newEnv(t)
	if err := e.srv.AddActivationCode("WEB-PERSONAL", "personal", 365); err != nil {
		t.Fatal(err)
	}
	const email = "web@example.com"

	run(t, ctx, "sign-up page", chromedp.Navigate(e.base+"/portal/"), chromedp.WaitVisible(chromedp.ID("signin")),
		submit(chromedp.ID("signup")), chromedp.WaitVisible(chromedp.ID("create")))
	// A weak password is refused with the rule that is broken.
	run(t, ctx, "weak password", chromedp.SendKeys(chromedp.ID("email"), email), chromedp.SendKeys(chromedp.ID("password"), "weakpass"),
		chromedp.SendKeys(chromedp.ID("password_confirm"), "weakpass"), submit(chromedp.ID("create")), chromedp.WaitVisible(chromedp.ID("error")))
	if got := text(t, ctx, "#error"); !strings.Contains(got, "digit") || !strings.Contains(got, "uppercase") {
		t.Fatalf("weak password error %q", got)
	}
	run(t, ctx, "create account", chromedp.SendKeys(chromedp.ID("password"), testPassword), chromedp.SendKeys(chromedp.ID("password_confirm"), testPassword),
		chromedp.SetValue(chromedp.ID("region"), "us"), chromedp.Click(chromedp.ID("marketing")),
		submit(chromedp.ID("create")), chromedp.WaitVisible(chromedp.ID("code")))
	// The address is proven with the e-mailed code: a wrong one first.
	run(t, ctx, "wrong e-mailed code", chromedp.SendKeys(chromedp.ID("code"), wrongCode(e.lastCode(email))), submit(chromedp.ID("confirm")), chromedp.WaitVisible(chromedp.ID("error")))
	run(t, ctx, "e-mailed code", chromedp.SendKeys(chromedp.ID("code"), e.lastCode(email)), submit(chromedp.ID("confirm")), chromedp.WaitVisible(chromedp.ID("profile")))
	if got := text(t, ctx, "h1"); got != email {
		t.Fatalf("account page heading %q", got)
	}
	if got := text(t, ctx, "#marketing-state"); !strings.HasPrefix(got, "On") {
		t.Fatalf("marketing %q", got)
	}

	// Marketing consent off.
	run(t, ctx, "consent off", chromedp.Click(chromedp.ID("marketing")), submit(chromedp.ID("save-marketing")), chromedp.WaitVisible(chromedp.ID("message")))
	if got := text(t, ctx, "#marketing-state"); !strings.HasPrefix(got, "Off") {
		t.Fatalf("marketing after withdrawing %q", got)
	}
	// Activation code.
	run(t, ctx, "activate", chromedp.SendKeys(chromedp.ID("activation_code"), "web-personal"), submit(chromedp.ID("activate")), chromedp.WaitVisible(chromedp.ID("message")))
	if got := text(t, ctx, "#effective-plan"); got != "personal" {
		t.Fatalf("effective plan %q", got)
	}
	// Two-step verification: phone, then the SMS code.
	// Setting it up needs the password (a session alone could point codes at any phone).
	run(t, ctx, "two-step without password", chromedp.SendKeys(chromedp.ID("phone"), "+46 70 123 45 67"), submit(chromedp.ID("twostep-start")), chromedp.WaitVisible(chromedp.ID("error")))
	run(t, ctx, "two-step start", chromedp.SendKeys(chromedp.ID("phone"), "+46 70 123 45 67"), chromedp.SendKeys(chromedp.ID("twostep_password"), testPassword),
		submit(chromedp.ID("twostep-start")), chromedp.WaitVisible(chromedp.ID("sms_code")))
	run(t, ctx, "two-step confirm", chromedp.SendKeys(chromedp.ID("sms_code"), e.lastCode(testPhone)), submit(chromedp.ID("twostep-confirm")), chromedp.WaitVisible(chromedp.ID("twostep-on")))

	// Another device signs in (through the API); the portal lists and revokes it.
	e.clock.Advance(time.Hour) // a fresh hour of SMS allowance
	ch := e.signInSMS(email)
	var other api.SignInResponse
	e.must("POST", api.PathSessionsSMS, "", api.SMSCodeRequest{ChallengeID: ch.ChallengeID, Code: e.lastCode(testPhone), ClientName: "Phone"}, &other)
	// The portal cookie lives 12 h, so the hour moved does not sign the browser out.
	run(t, ctx, "sessions", chromedp.Navigate(e.base+"/portal/account"), chromedp.WaitVisible(chromedp.CSS(".revoke")))
	run(t, ctx, "revoke", submit(chromedp.CSS(".revoke")), chromedp.WaitVisible(chromedp.ID("message")))
	e.wantErr(401, api.CodeUnauthorized, "GET", api.PathAccount, other.Session.AccessToken, nil)

	// Sign out, sign in again: password, then the SMS code.
	run(t, ctx, "sign out", submit(chromedp.ID("signout")), chromedp.WaitVisible(chromedp.ID("signin")))
	run(t, ctx, "sign in", chromedp.SendKeys(chromedp.ID("email"), email), chromedp.SendKeys(chromedp.ID("password"), testPassword),
		submit(chromedp.ID("signin")), chromedp.WaitVisible(chromedp.ID("code")))
	run(t, ctx, "wrong SMS code", chromedp.SendKeys(chromedp.ID("code"), wrongCode(e.lastCode(testPhone))), submit(chromedp.ID("confirm")), chromedp.WaitVisible(chromedp.ID("error")))
	run(t, ctx, "SMS code", chromedp.SendKeys(chromedp.ID("code"), e.lastCode(testPhone)), submit(chromedp.ID("confirm")), chromedp.WaitVisible(chromedp.ID("profile")))

	// Forgot password: the e-mailed link sets a new one and signs everything out.
	run(t, ctx, "sign out 2", submit(chromedp.ID("signout")), chromedp.WaitVisible(chromedp.ID("forgot")),
		submit(chromedp.ID("forgot")), chromedp.WaitVisible(chromedp.ID("send")),
		chromedp.SendKeys(chromedp.ID("email"), email), submit(chromedp.ID("send")), chromedp.WaitVisible(chromedp.ID("message")))
	link := e.waitLink(email)
	run(t, ctx, "reset", chromedp.Navigate(link), chromedp.WaitVisible(chromedp.ID("save")),
		chromedp.SendKeys(chromedp.ID("password"), "Brand-New-Pass-7"), chromedp.SendKeys(chromedp.ID("password_confirm"), "Brand-New-Pass-7"),
		submit(chromedp.ID("save")), chromedp.WaitVisible(chromedp.ID("message")))
	e.clock.Advance(time.Hour)
	run(t, ctx, "sign in new password", chromedp.SendKeys(chromedp.ID("email"), email), chromedp.SendKeys(chromedp.ID("password"), "Brand-New-Pass-7"),
		submit(chromedp.ID("signin")), chromedp.WaitVisible(chromedp.ID("code")))
	run(t, ctx, "SMS code 2", chromedp.SendKeys(chromedp.ID("code"), e.lastCode(testPhone)), submit(chromedp.ID("confirm")), chromedp.WaitVisible(chromedp.ID("profile")))

	// Delete the account.
	run(t, ctx, "delete", chromedp.SendKeys(chromedp.ID("delete_password"), "Brand-New-Pass-7"), submit(chromedp.ID("delete")), chromedp.WaitVisible(chromedp.ID("signin")))
	e.wantErr(401, api.CodeInvalidCredentials, "POST", api.PathSessions, "", api.SignInRequest{Email: email, Password: "Brand-New-Pass-7"})
}

// TestPortalQuickSignIn: a first sign-in with a provider in the browser goes through the
// fake provider, the region and terms step, and ends on the account page of a
// password-less account, which then chooses a password.
func TestPortalQuickSignIn(t *testing.T) {
	ctx := browser(t)
	e := newEnv(t)
	run(t, ctx, "provider button", chromedp.Navigate(e.base+"/portal/signin"), submit(chromedp.ID("provider-google")),
		chromedp.WaitVisible(chromedp.ID("allow")))
	run(t, ctx, "fake provider", chromedp.SetValue(chromedp.ID("email"), "browser.quick@example.com"), submit(chromedp.ID("allow")),
		chromedp.WaitVisible(chromedp.ID("continue")))
	run(t, ctx, "terms required", submit(chromedp.ID("continue")), chromedp.WaitVisible(chromedp.ID("error")))
	run(t, ctx, "welcome", chromedp.Click(chromedp.ID("terms")), submit(chromedp.ID("continue")), chromedp.WaitVisible(chromedp.ID("no-password")))
	if got := text(t, ctx, "h1"); got != "browser.quick@example.com" {
		t.Fatalf("account %q", got)
	}
	// Without a password, two-step verification is set up with a code e-mailed first.
	run(t, ctx, "two-step needs proof", chromedp.SendKeys(chromedp.ID("phone"), "+46 70 123 45 67"), submit(chromedp.ID("twostep-start")), chromedp.WaitVisible(chromedp.ID("error")))
	run(t, ctx, "e-mail me a code", submit(chromedp.ID("twostep-code")), chromedp.WaitVisible(chromedp.ID("message")))
	run(t, ctx, "two-step with the code", chromedp.SendKeys(chromedp.ID("phone"), "+46 70 123 45 67"),
		chromedp.SendKeys(chromedp.ID("twostep_email_code"), e.lastCode("browser.quick@example.com")), submit(chromedp.ID("twostep-start")), chromedp.WaitVisible(chromedp.ID("sms_code")))
	run(t, ctx, "account page", chromedp.Navigate(e.base+"/portal/account"), chromedp.WaitVisible(chromedp.ID("new_password")))
	run(t, ctx, "choose password", chromedp.SendKeys(chromedp.ID("new_password"), testPassword), chromedp.SendKeys(chromedp.ID("new_password_confirm"), testPassword),
		submit(chromedp.ID("save-password")), chromedp.WaitVisible(chromedp.ID("message")))
	if got := text(t, ctx, "#password-section h2"); got != "Password" {
		t.Fatalf("after choosing a password the section says %q", got)
	}
	e.must("POST", api.PathSessions, "", api.SignInRequest{Email: "browser.quick@example.com", Password: testPassword}, nil)
}
