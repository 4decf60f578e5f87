package cloud

import (
	"strings"
	"testing"

	"github.com/valvpm/valv/cloud/api"
)

// TestAttackPreHijack (High 1): the attacker signs up with the victim's address and a
// password of their own and plants a cloud vault; later the victim uses "Sign in with
// Google". The victim must get an account the attacker can no longer reach: the
// unproven password is gone, the attacker's sessions are ended, the planted vault is
// gone, and the victim is told by e-mail.
func TestAttackPreHijack(t *testing.T) {
	e := newEnv(t)
	const victim = "victim@example.com"
	const attackerPW = "Attacker-pw-1"
	att := e.signUp(victim, attackerPW)
	e.must("PUT", api.PathVault, att.AccessToken, api.PutHeaderRequest{Header: testHeader("planted", 1)}, nil)
	e.must("POST", api.PathVaultPush, att.AccessToken, api.PushRequest{KeyEpoch: 1, Items: []api.PushItem{{ID: "bait", Blob: []byte("attacker data")}}}, nil)

	v := e.quickSignIn("google", victim)
	if v.Account.HasPassword || !v.Account.EmailVerified {
		t.Errorf("after the takeover: has_password=%v email_verified=%v", v.Account.HasPassword, v.Account.EmailVerified)
	}
	// The attacker is out: their access and refresh tokens, and their password.
	e.wantErr(401, api.CodeUnauthorized, "GET", api.PathAccount, att.AccessToken, nil)
	e.wantErr(401, api.CodeUnauthorized, "POST", api.PathSessionsRefresh, "", api.RefreshRequest{RefreshToken: att.RefreshToken})
	e.wantErr(401, api.CodeInvalidCredentials, "POST", api.PathSessions, "", api.SignInRequest{Email: victim, Password: attackerPW})
	// What the attacker planted does not pass for the victim's vault.
	e.wantErr(404, api.CodeVaultNotFound, "GET", api.PathVault, v.AccessToken, nil)
	// The victim is told.
	told := false
	for _, m := range e.outbox.Messages() {
		told = told || (m.To == victim && strings.Contains(m.Body, "Google") && strings.Contains(m.Body, "never confirmed"))
	}
	if !told {
		t.Error("no e-mail told the owner that the unconfirmed password was removed")
	}
	// A verified account is linked, not taken over: its password stays.
	e.newAccount("owner@example.com")
	o := e.quickSignIn("google", "owner@example.com")
	if !o.Account.HasPassword {
		t.Error("a verified account lost its password to a quick sign-in")
	}
}

// TestAttackUnprovenPassword (High 1): until the address is proven, the account's
// password alone does not sign in anywhere; the e-mailed code finishes the sign-in and
// proves the address.
func TestAttackUnprovenPassword(t *testing.T) {
	e := newEnv(t)
	s := e.signUp("new@example.com", testPassword)
	if s.EmailCheck == nil || s.Account.EmailVerified {
		t.Fatalf("sign-up answered email_check=%v email_verified=%v", s.EmailCheck, s.Account.EmailVerified)
	}
	var r api.SignInResponse
	e.must("POST", api.PathSessions, "", api.SignInRequest{Email: "new@example.com", Password: testPassword}, &r)
	if r.Session != nil || r.EmailCheck == nil {
		t.Fatalf("the unproven password signed in: %+v", r)
	}
	if r.EmailCheck.SentTo != "ne•••@example.com" || !r.EmailCheck.ResendAt.Equal(e.clock.Now().Add(api.EmailResendAfter)) {
		t.Errorf("challenge %+v", r.EmailCheck)
	}
	// A wrong code fails; the right one signs in and proves the address.
	e.wantErr(400, api.CodeCodeWrong, "POST", api.PathEmailVerify, "", api.EmailVerifyRequest{ChallengeID: r.EmailCheck.ChallengeID, Code: wrongCode(e.lastCode("new@example.com"))})
	vr := e.verify(r.EmailCheck, "new@example.com")
	if vr.Session == nil || !vr.Account.EmailVerified {
		t.Fatalf("after the code: %+v", vr)
	}
	// From now on the password works alone.
	var again api.SignInResponse
	e.must("POST", api.PathSessions, "", api.SignInRequest{Email: "new@example.com", Password: testPassword}, &again)
	if again.Session == nil || again.EmailCheck != nil {
		t.Fatalf("the proven password does not sign in: %+v", again)
	}
}
