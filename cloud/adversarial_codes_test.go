package cloud

import (
	"testing"
	"time"

	"github.com/valvpm/valv/cloud/api"
)

// TestAttackActionCodeBudget (Low): asking for a new code does not give new guesses:
// wrong codes are counted per account and action, across codes, for an hour.
func TestAttackActionCodeBudget(t *testing.T) {
	e := newEnv(t)
	s := e.newAccount("guess@example.com")
	guess := func() *api.Error {
		_, ae := e.call("POST", api.PathActionTokens, s.AccessToken, api.ActionTokenRequest{Action: api.ActionClearVault, Code: wrongCode(e.lastCode("guess@example.com"))}, nil)
		return ae
	}
	wrong := 0
	for range 6 { // six fresh codes, five guesses each, in about a minute
		e.must("POST", api.PathActionCodes, s.AccessToken, api.ActionCodeRequest{Action: api.ActionClearVault}, nil)
		for range api.CodeTriesPerHour {
			if ae := guess(); ae != nil && ae.Code == api.CodeCodeWrong {
				wrong++
			}
		}
		e.clock.Advance(10 * time.Second)
	}
	if wrong >= api.CodeTriesPerHour {
		t.Fatalf("%d wrong guesses were checked; at most %d per hour may be", wrong, api.CodeTriesPerHour-1)
	}
	// Even the right code of a new request is refused until the hour is over.
	e.must("POST", api.PathActionCodes, s.AccessToken, api.ActionCodeRequest{Action: api.ActionClearVault}, nil)
	e.wantErr(400, api.CodeTooManyTries, "POST", api.PathActionTokens, s.AccessToken, api.ActionTokenRequest{Action: api.ActionClearVault, Code: e.lastCode("guess@example.com")})
	// Another action has its own budget.
	e.actionToken(s.AccessToken, "guess@example.com", api.ActionReplaceCloudVault)
	e.clock.Advance(time.Hour)
	var fresh api.Session
	e.must("POST", api.PathSessionsRefresh, "", api.RefreshRequest{RefreshToken: s.RefreshToken}, &fresh)
	e.actionToken(fresh.AccessToken, "guess@example.com", api.ActionClearVault)
}

// TestAttackActionCodeLife (Low): a wrong try does not keep a code alive; it expires
// ten minutes after it was sent.
func TestAttackActionCodeLife(t *testing.T) {
	e := newEnv(t)
	s := e.newAccount("life@example.com")
	e.must("POST", api.PathActionCodes, s.AccessToken, api.ActionCodeRequest{Action: api.ActionClearVault}, nil)
	code := e.lastCode("life@example.com")
	e.clock.Advance(9 * time.Minute)
	e.wantErr(400, api.CodeCodeWrong, "POST", api.PathActionTokens, s.AccessToken, api.ActionTokenRequest{Action: api.ActionClearVault, Code: wrongCode(code)})
	e.clock.Advance(2 * time.Minute)
	var fresh api.Session
	e.must("POST", api.PathSessionsRefresh, "", api.RefreshRequest{RefreshToken: s.RefreshToken}, &fresh)
	e.wantErr(400, api.CodeCodeExpired, "POST", api.PathActionTokens, fresh.AccessToken, api.ActionTokenRequest{Action: api.ActionClearVault, Code: code})
}

// TestAttackReauthGuessing (Low): password guesses through the re-authentication
// endpoints count with the sign-in failures: after three, they are refused until the
// window passes, and signing in needs the captcha.
func TestAttackReauthGuessing(t *testing.T) {
	e := newEnv(t)
	s := e.newAccount("reauth@example.com")
	attempts := []struct {
		method, path string
		body         any
	}{
		{"POST", api.PathActionReauth, api.ReauthRequest{Action: api.ActionClearVault, Password: "Guess-pass-1"}},
		{"DELETE", api.PathAccount, api.DeleteAccountRequest{Password: "Guess-pass-2"}},
		{"POST", api.PathAccountPassword, api.PasswordRequest{CurrentPassword: "Guess-pass-3", NewPassword: "Better-Horse-10"}},
	}
	checked := 0
	for i := range 30 {
		a := attempts[i%len(attempts)]
		st, ae := e.call(a.method, a.path, s.AccessToken, a.body, nil)
		switch {
		case ae != nil && ae.Code == api.CodeWrongPassword:
			checked++
		case ae != nil && ae.Code == api.CodeRateLimited && st == 429 && ae.RetryAfter > 0:
		default:
			t.Fatalf("guess %d: %d %v", i, st, ae)
		}
	}
	if checked > failsPerAccount {
		t.Errorf("%d of 30 guesses were checked; the sign-in rule allows %d", checked, failsPerAccount)
	}
	e.wantErr(401, api.CodeCaptchaRequired, "POST", api.PathSessions, "", api.SignInRequest{Email: "reauth@example.com", Password: testPassword})
	// The right password is refused too while the guesses count: it cannot be told
	// apart by its answer.
	e.wantErr(429, api.CodeRateLimited, "POST", api.PathActionReauth, s.AccessToken, api.ReauthRequest{Action: api.ActionClearVault, Password: testPassword})
	e.clock.Advance(failWindow)
	var fresh api.Session
	e.must("POST", api.PathSessionsRefresh, "", api.RefreshRequest{RefreshToken: s.RefreshToken}, &fresh)
	e.must("POST", api.PathActionReauth, fresh.AccessToken, api.ReauthRequest{Action: api.ActionClearVault, Password: testPassword}, nil)
}
