package cloud

import (
	"testing"

	"github.com/valvpm/valv/cloud/api"
)

// TestAttackParallelRefresh (Low): a copied refresh token raced against its owner's:
// of eight refreshes of one token sent at once, at most one gets new tokens.
func TestAttackParallelRefresh(t *testing.T) {
	e := newEnv(t)
	s := e.newAccount("refresh@example.com")
	var got tally
	parallel(8, func(int) {
		_, ae, err := e.try("POST", api.PathSessionsRefresh, "", api.RefreshRequest{RefreshToken: s.RefreshToken}, nil)
		got.add(ae, err)
	})
	if n := got.get("ok"); n > 1 {
		t.Fatalf("%d of 8 parallel refreshes of one token succeeded (%v)", n, got.n)
	}
	if n := got.get(api.CodeUnauthorized); n < 7 {
		t.Fatalf("answers %v", got.n)
	}
}

// TestAttackPasswordChangeKeepsSessions (Low): whoever signed in with the old password
// is signed out when the password changes; the session that changed it stays.
func TestAttackPasswordChangeKeepsSessions(t *testing.T) {
	e := newEnv(t)
	owner := e.newAccount("change@example.com")
	var thief api.SignInResponse
	e.must("POST", api.PathSessions, "", api.SignInRequest{Email: "change@example.com", Password: testPassword}, &thief)
	e.must("POST", api.PathAccountPassword, owner.AccessToken, api.PasswordRequest{CurrentPassword: testPassword, NewPassword: "Better-Horse-10"}, nil)
	e.wantErr(401, api.CodeUnauthorized, "GET", api.PathAccount, thief.Session.AccessToken, nil)
	e.wantErr(401, api.CodeUnauthorized, "POST", api.PathSessionsRefresh, "", api.RefreshRequest{RefreshToken: thief.Session.RefreshToken})
	e.must("GET", api.PathAccount, owner.AccessToken, nil, nil)
	e.must("POST", api.PathSessionsRefresh, "", api.RefreshRequest{RefreshToken: owner.RefreshToken}, nil)
}
