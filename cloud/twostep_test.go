package cloud

import (
	"testing"
	"time"

	"github.com/valvpm/valv/cloud/api"
)

const testPhone = "+46701234567"

// withTwoStep turns two-step verification on for a new account through the API.
func (e *env) withTwoStep(email string) *api.Session {
	e.t.Helper()
	s := e.newAccount(email)
	e.wantErr(400, api.CodeInvalidPhone, "POST", api.PathTwoStep, s.AccessToken, api.TwoStepRequest{Phone: "call me", Password: testPassword})
	var ch api.SMSChallenge
	e.must("POST", api.PathTwoStep, s.AccessToken, api.TwoStepRequest{Phone: "+46 70-123 45 67", Password: testPassword}, &ch)
	var acct api.Account
	e.must("POST", api.PathTwoStepConfirm, s.AccessToken, api.SMSCodeRequest{ChallengeID: ch.ChallengeID, Code: e.lastCode(testPhone)}, &acct)
	if !acct.TwoStep || acct.PhoneHint == "" || acct.PhoneHint == testPhone {
		e.t.Fatalf("after two-step setup: %+v", acct)
	}
	// Setting up spent one SMS of the hour; start the tests with a fresh allowance.
	e.clock.Advance(time.Hour)
	return s
}

func (e *env) signInSMS(email string) *api.SMSChallenge {
	e.t.Helper()
	var r api.SignInResponse
	e.must("POST", api.PathSessions, "", api.SignInRequest{Email: email, Password: testPassword}, &r)
	if r.SMS == nil || r.Session != nil {
		e.t.Fatalf("two-step sign-in answered %+v", r)
	}
	return r.SMS
}

func TestSMSSignIn(t *testing.T) {
	e := newEnv(t)
	e.withTwoStep("two@example.com")
	ch := e.signInSMS("two@example.com")
	if !ch.ExpiresAt.Equal(e.clock.Now().Add(5*time.Minute)) || !ch.ResendAt.Equal(e.clock.Now().Add(30*time.Second)) {
		t.Fatalf("challenge times %+v", ch)
	}
	first := e.lastCode(testPhone)
	ae := e.wantErr(400, api.CodeCodeWrong, "POST", api.PathSessionsSMS, "", api.SMSCodeRequest{ChallengeID: ch.ChallengeID, Code: wrongCode(first)})
	if ae.TriesLeft != 4 {
		t.Fatalf("tries left %d", ae.TriesLeft)
	}
	// Resend only after 30 s.
	ae = e.wantErr(429, api.CodeResendTooEarly, "POST", api.PathSessionsResend, "", api.ResendRequest{ChallengeID: ch.ChallengeID})
	if ae.RetryAfter != 30 {
		t.Fatalf("retry after %d", ae.RetryAfter)
	}
	e.clock.Advance(29 * time.Second)
	e.wantErr(429, api.CodeResendTooEarly, "POST", api.PathSessionsResend, "", api.ResendRequest{ChallengeID: ch.ChallengeID})
	e.clock.Advance(time.Second)
	var ch2 api.SMSChallenge
	e.must("POST", api.PathSessionsResend, "", api.ResendRequest{ChallengeID: ch.ChallengeID}, &ch2)
	second := e.lastCode(testPhone)
	if first != second { // a new code invalidates the old one
		e.wantErr(400, api.CodeCodeWrong, "POST", api.PathSessionsSMS, "", api.SMSCodeRequest{ChallengeID: ch.ChallengeID, Code: first})
	}
	var r api.SignInResponse
	e.must("POST", api.PathSessionsSMS, "", api.SMSCodeRequest{ChallengeID: ch.ChallengeID, Code: second}, &r)
	if r.Session == nil {
		t.Fatal("no session after SMS code")
	}
	// Single use.
	e.wantErr(400, api.CodeCodeExpired, "POST", api.PathSessionsSMS, "", api.SMSCodeRequest{ChallengeID: ch.ChallengeID, Code: second})
}

func wrongCode(c string) string {
	if c == "000000" {
		return "111111"
	}
	return "000000"
}

func TestSMSExpiry(t *testing.T) {
	e := newEnv(t)
	e.withTwoStep("exp@example.com")
	ch := e.signInSMS("exp@example.com")
	code := e.lastCode(testPhone)
	e.clock.Advance(5*time.Minute + time.Second)
	e.wantErr(400, api.CodeCodeExpired, "POST", api.PathSessionsSMS, "", api.SMSCodeRequest{ChallengeID: ch.ChallengeID, Code: code})
}

func TestSMSAttempts(t *testing.T) {
	e := newEnv(t)
	e.withTwoStep("tries@example.com")
	ch := e.signInSMS("tries@example.com")
	code := e.lastCode(testPhone)
	for i := 0; i < 4; i++ {
		e.wantErr(400, api.CodeCodeWrong, "POST", api.PathSessionsSMS, "", api.SMSCodeRequest{ChallengeID: ch.ChallengeID, Code: wrongCode(code)})
	}
	e.wantErr(400, api.CodeTooManyTries, "POST", api.PathSessionsSMS, "", api.SMSCodeRequest{ChallengeID: ch.ChallengeID, Code: wrongCode(code)})
	// Dead: even the right code no longer works.
	e.wantErr(400, api.CodeCodeExpired, "POST", api.PathSessionsSMS, "", api.SMSCodeRequest{ChallengeID: ch.ChallengeID, Code: code})
}

func TestSMSHourlyLimit(t *testing.T) {
	e := newEnv(t)
	e.withTwoStep("hour@example.com")
	ch := e.signInSMS("hour@example.com") // 1
	for i := 0; i < 4; i++ {              // 2..5
		e.clock.Advance(31 * time.Second)
		e.must("POST", api.PathSessionsResend, "", api.ResendRequest{ChallengeID: ch.ChallengeID}, nil)
	}
	e.clock.Advance(31 * time.Second)
	e.wantErr(429, api.CodeSMSLimit, "POST", api.PathSessionsResend, "", api.ResendRequest{ChallengeID: ch.ChallengeID})
	e.wantErr(429, api.CodeSMSLimit, "POST", api.PathSessions, "", api.SignInRequest{Email: "hour@example.com", Password: testPassword})
	e.clock.Advance(time.Hour)
	e.signInSMS("hour@example.com")
}

func TestActionTokens(t *testing.T) {
	e := newEnv(t)
	s := e.newAccount("act@example.com")
	tok := s.AccessToken
	e.must("PUT", api.PathVault, tok, api.PutHeaderRequest{Header: testHeader("v1", 1)}, nil)
	e.wantErr(400, api.CodeUnknownAction, "POST", api.PathActionCodes, tok, api.ActionCodeRequest{Action: "format_disk"})

	// E-mailed code → token, bound to one action, single use.
	var sent api.ActionCodeResponse
	e.must("POST", api.PathActionCodes, tok, api.ActionCodeRequest{Action: api.ActionClearVault}, &sent)
	if sent.SentTo != "ac•••@example.com" || !sent.ExpiresAt.Equal(e.clock.Now().Add(10*time.Minute)) {
		t.Fatalf("code response %+v", sent)
	}
	code := e.lastCode("act@example.com")
	// The code is bound to its action.
	e.wantErr(400, api.CodeCodeExpired, "POST", api.PathActionTokens, tok, api.ActionTokenRequest{Action: api.ActionReplaceCloudVault, Code: code})
	e.wantErr(400, api.CodeCodeWrong, "POST", api.PathActionTokens, tok, api.ActionTokenRequest{Action: api.ActionClearVault, Code: wrongCode(code)})
	var at api.ActionTokenResponse
	e.must("POST", api.PathActionTokens, tok, api.ActionTokenRequest{Action: api.ActionClearVault, Code: code}, &at)
	e.wantErr(400, api.CodeCodeExpired, "POST", api.PathActionTokens, tok, api.ActionTokenRequest{Action: api.ActionClearVault, Code: code})

	// The clear_vault token cannot replace the vault (and is burnt by trying).
	e.wantErr(403, api.CodeActionTokenInvalid, "POST", api.PathVaultReplace, tok,
		api.ReplaceRequest{Header: testHeader("v2", 2)}, api.HeaderActionToken, at.ActionToken)
	e.wantErr(403, api.CodeActionTokenInvalid, "POST", api.PathVaultWipe, tok, nil, api.HeaderActionToken, at.ActionToken)
	e.wantErr(403, api.CodeActionTokenInvalid, "POST", api.PathVaultWipe, tok, nil)

	// A fresh one wipes, once, and bumps the key epoch.
	e.must("POST", api.PathActionCodes, tok, api.ActionCodeRequest{Action: api.ActionClearVault}, nil)
	e.must("POST", api.PathActionTokens, tok, api.ActionTokenRequest{Action: api.ActionClearVault, Code: e.lastCode("act@example.com")}, &at)
	var rr api.ReplaceResponse
	e.must("POST", api.PathVaultWipe, tok, nil, &rr, api.HeaderActionToken, at.ActionToken)
	if rr.KeyEpoch != 2 {
		t.Fatalf("epoch after wipe %d", rr.KeyEpoch)
	}
	e.wantErr(403, api.CodeActionTokenInvalid, "POST", api.PathVaultWipe, tok, nil, api.HeaderActionToken, at.ActionToken)
	e.wantErr(404, api.CodeVaultNotFound, "GET", api.PathVault, tok, nil)

	// Codes expire after 10 minutes.
	e.must("POST", api.PathActionCodes, tok, api.ActionCodeRequest{Action: api.ActionReplaceCloudVault}, nil)
	code = e.lastCode("act@example.com")
	e.clock.Advance(10*time.Minute + time.Second)
	e.wantErr(400, api.CodeCodeExpired, "POST", api.PathActionTokens, tok, api.ActionTokenRequest{Action: api.ActionReplaceCloudVault, Code: code})

	// Re-authentication with the password gives the same kind of token.
	e.wantErr(403, api.CodeWrongPassword, "POST", api.PathActionReauth, tok, api.ReauthRequest{Action: api.ActionReplaceCloudVault, Password: "Wrong-pass-1"})
	e.must("POST", api.PathActionReauth, tok, api.ReauthRequest{Action: api.ActionReplaceCloudVault, Password: testPassword}, &at)
	e.wantErr(409, api.CodeKeyEpochChanged, "POST", api.PathVaultReplace, tok,
		api.ReplaceRequest{Header: testHeader("v2", 2)}, api.HeaderActionToken, at.ActionToken)
	e.must("POST", api.PathActionReauth, tok, api.ReauthRequest{Action: api.ActionReplaceCloudVault, Password: testPassword}, &at)
	e.must("POST", api.PathVaultReplace, tok, api.ReplaceRequest{Header: testHeader("v2", 3), Items: []api.PushItem{{ID: "a", Blob: []byte("x")}}}, &rr, api.HeaderActionToken, at.ActionToken)
	if rr.KeyEpoch != 3 || rr.LatestChange != 1 {
		t.Fatalf("replace = %+v", rr)
	}
}

func TestReauthWithSMS(t *testing.T) {
	e := newEnv(t)
	s := e.withTwoStep("resms@example.com")
	var fresh api.Session // the setup session's access token expired while the clock moved
	e.must("POST", api.PathSessionsRefresh, "", api.RefreshRequest{RefreshToken: s.RefreshToken}, &fresh)
	var at api.ActionTokenResponse
	e.must("POST", api.PathActionReauth, fresh.AccessToken, api.ReauthRequest{Action: api.ActionClearVault, Password: testPassword}, &at)
	if at.SMS == nil || at.ActionToken != "" {
		t.Fatalf("reauth with two-step answered %+v", at)
	}
	code := e.lastCode(testPhone)
	// The SMS challenge is bound to the action asked for.
	e.wantErr(400, api.CodeCodeExpired, "POST", api.PathActionReauth, fresh.AccessToken, api.ReauthRequest{Action: api.ActionReplaceCloudVault, ChallengeID: at.SMS.ChallengeID, SMSCode: code})
	e.must("POST", api.PathActionReauth, fresh.AccessToken, api.ReauthRequest{Action: api.ActionClearVault, Password: testPassword}, &at)
	code = e.lastCode(testPhone)
	// Its code is sent again as a sign-in's is: 30 s after the last, and the old one
	// then stops working.
	e.wantErr(429, api.CodeResendTooEarly, "POST", api.PathSessionsResend, "", api.ResendRequest{ChallengeID: at.SMS.ChallengeID})
	e.clock.Advance(smsResend)
	var again api.SMSChallenge
	e.must("POST", api.PathSessionsResend, "", api.ResendRequest{ChallengeID: at.SMS.ChallengeID}, &again)
	if again.ChallengeID != at.SMS.ChallengeID || e.lastCode(testPhone) == code {
		t.Fatalf("resend answered %+v with the code unchanged: %v", again, e.lastCode(testPhone) == code)
	}
	e.wantErr(400, api.CodeCodeWrong, "POST", api.PathActionReauth, fresh.AccessToken, api.ReauthRequest{Action: api.ActionClearVault, ChallengeID: at.SMS.ChallengeID, SMSCode: code})
	code = e.lastCode(testPhone)
	e.must("POST", api.PathActionReauth, fresh.AccessToken, api.ReauthRequest{Action: api.ActionClearVault, ChallengeID: at.SMS.ChallengeID, SMSCode: code}, &at)
	if at.ActionToken == "" || at.Action != api.ActionClearVault {
		t.Fatalf("no token after SMS: %+v", at)
	}
}
