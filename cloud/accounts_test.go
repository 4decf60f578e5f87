package cloud

import (
	"bytes"
	"image/png"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/valvpm/valv/cloud/api"
)

func TestHealthAndRegions(t *testing.T) {
	e := newEnv(t)
	var h api.Health
	e.must("GET", api.PathHealth, "", nil, &h)
	if h.Status != "ok" || !h.Dev {
		t.Fatalf("health = %+v", h)
	}
	var rr api.RegionsResponse
	e.must("GET", api.PathRegions, "", nil, &rr)
	var ru *api.Region
	for i := range rr.Regions {
		if rr.Regions[i].Code == "ru" {
			ru = &rr.Regions[i]
		}
	}
	if ru == nil || ru.DataProvision == nil || !reflect.DeepEqual(ru.Providers, []string{"yandex", "vk"}) {
		t.Fatalf("region ru = %+v", ru)
	}
	e.wantErr(404, api.CodeNotFound, "GET", "/v1/nothing", "", nil)
	e.wantErr(405, api.CodeMethodNotAllowed, "PUT", api.PathSessions, "", nil)
}

func TestPasswordRules(t *testing.T) {
	e := newEnv(t)
	cases := []struct {
		pw   string
		want []api.Code
	}{
		{"Short1A", []api.Code{api.CodePasswordTooShort}},
		{"NoDigitsHere", []api.Code{api.CodePasswordNoDigit}},
		{"NOLOWER123", []api.Code{api.CodePasswordNoLower}},
		{"noupper123", []api.Code{api.CodePasswordNoUpper}},
		{"Has space 123", []api.Code{api.CodePasswordHasSpace}},
		{"abc", []api.Code{api.CodePasswordTooShort, api.CodePasswordNoDigit, api.CodePasswordNoUpper}},
		{"Aa1" + strings.Repeat("x", 300), []api.Code{api.CodePasswordTooLong}},
	}
	for _, c := range cases {
		ae := e.wantErr(400, c.want[0], "POST", api.PathAccounts, "",
			api.CreateAccountRequest{Email: "rules@example.com", Password: c.pw, AcceptTerms: true})
		if !reflect.DeepEqual(ae.BrokenRules, c.want) {
			t.Errorf("%q: broken rules %v, want %v", c.pw, ae.BrokenRules, c.want)
		}
	}
	for _, r := range api.PasswordRules {
		if ruleText[r.Code] == "" {
			t.Errorf("rule %s has no sentence in the server's answer", r.Key)
		}
	}
	// The rule counts characters, not bytes: 8 non-ASCII letters pass the length rule.
	var s api.Session
	e.must("POST", api.PathAccounts, "", api.CreateAccountRequest{Email: "unicode@example.com", Password: "Åäö1ßçéü", AcceptTerms: true}, &s)
}

func TestCreateAccount(t *testing.T) {
	e := newEnv(t)
	var s api.Session
	e.must("POST", api.PathAccounts, "", api.CreateAccountRequest{Email: "  Ann@Example.COM ", Password: testPassword,
		AcceptTerms: true, MarketingConsent: true, Region: "us", ClientName: "valv test"}, &s)
	if s.Account.Email != "ann@example.com" || !s.Account.HasPassword || !s.Account.MarketingConsent ||
		s.Account.MarketingConsentAt == nil || s.Account.TermsVersion == "" || s.Account.TermsAcceptedAt == nil || s.Account.Region != "us" {
		t.Fatalf("account = %+v", s.Account)
	}
	if s.AccessToken == "" || s.RefreshToken == "" || !s.AccessExpiresAt.Equal(e.clock.Now().Add(15*time.Minute)) {
		t.Fatalf("session = %+v", s)
	}
	e.wantErr(409, api.CodeEmailTaken, "POST", api.PathAccounts, "", api.CreateAccountRequest{Email: "ann@example.com", Password: testPassword, AcceptTerms: true})
	e.wantErr(400, api.CodeTermsNotAccepted, "POST", api.PathAccounts, "", api.CreateAccountRequest{Email: "b@example.com", Password: testPassword})
	e.wantErr(400, api.CodeInvalidEmail, "POST", api.PathAccounts, "", api.CreateAccountRequest{Email: "not an email", Password: testPassword, AcceptTerms: true})
	e.wantErr(400, api.CodeUnknownRegion, "POST", api.PathAccounts, "", api.CreateAccountRequest{Email: "c@example.com", Password: testPassword, AcceptTerms: true, Region: "mars"})
	// The Russian region demands the data-provision statement.
	ae := e.wantErr(403, api.CodeDataProvisionReq, "POST", api.PathAccounts, "", api.CreateAccountRequest{Email: "d@example.com", Password: testPassword, AcceptTerms: true, Region: "ru"})
	if ae.Statement == nil || ae.Statement.Version == "" {
		t.Fatal("data_provision_required without the statement")
	}
	e.must("POST", api.PathAccounts, "", api.CreateAccountRequest{Email: "d@example.com", Password: testPassword, AcceptTerms: true, Region: "ru", AcceptDataProvision: true}, nil)

	// The stored hash is Argon2id with the configured parameters, never the password.
	a, err := e.st.AccountByEmail("ann@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(a.PasswordHash, "$argon2id$v=19$m=64,t=1,p=1$") || strings.Contains(a.PasswordHash, testPassword) {
		t.Fatalf("stored hash %q", a.PasswordHash)
	}

	// Settings: consent off is stored with its time.
	off := false
	e.clock.Advance(time.Minute)
	var acct api.Account
	e.must("POST", api.PathAccountSettings, s.AccessToken, api.SettingsRequest{MarketingConsent: &off}, &acct)
	if acct.MarketingConsent || !acct.MarketingConsentAt.Equal(e.clock.Now()) {
		t.Fatalf("after withdrawing consent: %+v", acct)
	}
}

func TestSignInSessions(t *testing.T) {
	e := newEnv(t)
	e.newAccount("sam@example.com")
	var r api.SignInResponse
	e.must("POST", api.PathSessions, "", api.SignInRequest{Email: "SAM@example.com", Password: testPassword, ClientName: "laptop"}, &r)
	if r.Session == nil || r.SMS != nil {
		t.Fatalf("sign-in = %+v", r)
	}
	// Wrong password and unknown e-mail look exactly the same.
	a1 := e.wantErr(401, api.CodeInvalidCredentials, "POST", api.PathSessions, "", api.SignInRequest{Email: "sam@example.com", Password: "Wrong-pass-1"})
	a2 := e.wantErr(401, api.CodeInvalidCredentials, "POST", api.PathSessions, "", api.SignInRequest{Email: "nobody@example.com", Password: "Wrong-pass-1"})
	if a1.Message != a2.Message {
		t.Fatalf("messages differ: %q vs %q", a1.Message, a2.Message)
	}

	var list api.SessionsResponse
	e.must("GET", api.PathSessions, r.Session.AccessToken, nil, &list)
	if len(list.Sessions) != 2 {
		t.Fatalf("sessions = %+v", list)
	}
	var current int
	for _, s := range list.Sessions {
		if s.Current {
			current++
			if s.Client != "laptop" {
				t.Fatalf("current session client %q", s.Client)
			}
		}
	}
	if current != 1 {
		t.Fatalf("%d current sessions", current)
	}

	// Refresh rotates: the old refresh token stops working.
	var fresh api.Session
	e.must("POST", api.PathSessionsRefresh, "", api.RefreshRequest{RefreshToken: r.Session.RefreshToken}, &fresh)
	e.wantErr(401, api.CodeUnauthorized, "GET", api.PathAccount, r.Session.AccessToken, nil)
	e.must("GET", api.PathAccount, fresh.AccessToken, nil, nil)
	// Presenting the rotated-out token again means someone copied it: the session ends
	// for whoever holds the new one too.
	e.wantErr(401, api.CodeUnauthorized, "POST", api.PathSessionsRefresh, "", api.RefreshRequest{RefreshToken: r.Session.RefreshToken})
	e.wantErr(401, api.CodeUnauthorized, "GET", api.PathAccount, fresh.AccessToken, nil)
	e.wantErr(401, api.CodeUnauthorized, "POST", api.PathSessionsRefresh, "", api.RefreshRequest{RefreshToken: fresh.RefreshToken})
	e.must("POST", api.PathSessions, "", api.SignInRequest{Email: "sam@example.com", Password: testPassword, ClientName: "laptop"}, &r)
	e.must("POST", api.PathSessionsRefresh, "", api.RefreshRequest{RefreshToken: r.Session.RefreshToken}, &fresh)
	// A refresh token is not an access token.
	e.wantErr(401, api.CodeUnauthorized, "GET", api.PathAccount, fresh.RefreshToken, nil)

	// Access tokens expire after 15 minutes.
	e.clock.Advance(16 * time.Minute)
	e.wantErr(401, api.CodeUnauthorized, "GET", api.PathAccount, fresh.AccessToken, nil)
	e.must("POST", api.PathSessionsRefresh, "", api.RefreshRequest{RefreshToken: fresh.RefreshToken}, &fresh)

	// Revoke another session, then sign out.
	var other api.SessionInfo
	e.must("GET", api.PathSessions, fresh.AccessToken, nil, &list)
	for _, s := range list.Sessions {
		if !s.Current {
			other = s
		}
	}
	e.must("DELETE", api.PathSessionPrefix+other.ID, fresh.AccessToken, nil, nil)
	e.wantErr(404, api.CodeNotFound, "DELETE", api.PathSessionPrefix+other.ID, fresh.AccessToken, nil)
	e.must("DELETE", api.PathSessionCurrent, fresh.AccessToken, nil, nil)
	e.wantErr(401, api.CodeUnauthorized, "GET", api.PathAccount, fresh.AccessToken, nil)
	e.wantErr(401, api.CodeUnauthorized, "GET", api.PathAccount, "", nil)
	e.wantErr(401, api.CodeUnauthorized, "GET", api.PathAccount, "va.garbage", nil)
}

func TestCaptchaPerAccount(t *testing.T) {
	e := newEnv(t)
	e.newAccount("cap@example.com")
	bad := api.SignInRequest{Email: "cap@example.com", Password: "Wrong-pass-1"}
	for i := 0; i < 3; i++ {
		e.wantErr(401, api.CodeInvalidCredentials, "POST", api.PathSessions, "", bad)
	}
	// Fourth try: a captcha is demanded, even with the right password.
	good := api.SignInRequest{Email: "cap@example.com", Password: testPassword}
	ae := e.wantErr(401, api.CodeCaptchaRequired, "POST", api.PathSessions, "", good)
	if ae.Captcha == nil {
		t.Fatal("no captcha in captcha_required")
	}
	if _, err := png.Decode(bytes.NewReader(ae.Captcha.ImagePNG)); err != nil {
		t.Fatalf("captcha is not a PNG: %v", err)
	}
	resp, err := http.Get(ae.Captcha.ImageURL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/png" {
		t.Fatalf("captcha image URL: %s %s", resp.Status, resp.Header.Get("Content-Type"))
	}
	// A wrong answer burns the captcha and hands out a new one.
	good.CaptchaID, good.CaptchaAnswer = ae.Captcha.ID, "99999"
	ae2 := e.wantErr(401, api.CodeCaptchaWrong, "POST", api.PathSessions, "", good)
	good.CaptchaAnswer = "12345" // right answer, but the first captcha is used up
	e.wantErr(401, api.CodeCaptchaWrong, "POST", api.PathSessions, "", good)
	// Expiry: two minutes.
	_ = ae2
	ae3 := e.wantErr(401, api.CodeCaptchaRequired, "POST", api.PathSessions, "", api.SignInRequest{Email: "cap@example.com", Password: testPassword})
	e.clock.Advance(captchaTTL + time.Second)
	good.CaptchaID = ae3.Captcha.ID
	ae4 := e.wantErr(401, api.CodeCaptchaWrong, "POST", api.PathSessions, "", good)
	// A fresh captcha answered right, with the right password, signs in.
	good.CaptchaID = ae4.Captcha.ID
	var r api.SignInResponse
	e.must("POST", api.PathSessions, "", good, &r)
	if r.Session == nil {
		t.Fatal("no session after captcha")
	}
	// Success cleared the account's failures: no captcha next time.
	e.must("POST", api.PathSessions, "", api.SignInRequest{Email: "cap@example.com", Password: testPassword}, &r)
	// Failures age out after 15 minutes.
	for i := 0; i < 3; i++ {
		e.wantErr(401, api.CodeInvalidCredentials, "POST", api.PathSessions, "", bad)
	}
	e.wantErr(401, api.CodeCaptchaRequired, "POST", api.PathSessions, "", bad)
	e.clock.Advance(15 * time.Minute)
	e.must("POST", api.PathSessions, "", api.SignInRequest{Email: "cap@example.com", Password: testPassword}, &r)
}

func TestCaptchaPerAddress(t *testing.T) {
	e := newEnv(t)
	e.newAccount("fresh@example.com")
	for i := 0; i < 10; i++ { // ten different e-mails from one address
		e.wantErr(401, api.CodeInvalidCredentials, "POST", api.PathSessions, "", api.SignInRequest{Email: "x" + string(rune('a'+i)) + "@example.com", Password: "Nope-1234"})
	}
	e.wantErr(401, api.CodeCaptchaRequired, "POST", api.PathSessions, "", api.SignInRequest{Email: "fresh@example.com", Password: testPassword})
}

func TestRateLimit(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.RateLimits = RateLimits{PerIP: 1000, PerAccount: 5} })
	req := api.SignInRequest{Email: "rl@example.com", Password: "Nope-1234", CaptchaID: "x"}
	for i := 0; i < 5; i++ {
		if st, ae := e.call("POST", api.PathSessions, "", req, nil); ae == nil || st == 429 {
			t.Fatalf("attempt %d: %d %v", i, st, ae)
		}
	}
	ae := e.wantErr(429, api.CodeRateLimited, "POST", api.PathSessions, "", req)
	if ae.RetryAfter <= 0 {
		t.Fatal("rate_limited without retry_after")
	}
	e.clock.Advance(time.Minute)
	e.wantErr(401, api.CodeCaptchaWrong, "POST", api.PathSessions, "", req)
}
