package cloud

import (
	"testing"
	"time"

	"github.com/valvpm/valv/cloud/api"
	"github.com/valvpm/valv/cloud/store"
)

func TestSubscriptions(t *testing.T) {
	// Refresh tokens must outlive the 31 days this test moves the clock.
	e := newEnv(t, func(c *Config) { c.RefreshTTL = 90 * 24 * time.Hour })
	s := e.newAccount("sub@example.com")
	var subs api.SubscriptionsResponse
	e.must("GET", api.PathSubscriptions, s.AccessToken, nil, &subs)
	if len(subs.Licences) != 0 || subs.Effective.Plan != "free" || subs.Effective.MaxEntries != 15 {
		t.Fatalf("new account subscriptions %+v", subs)
	}
	var inc api.IncludedResponse
	e.must("POST", api.PathIncludedCheck, "", api.IncludedRequest{SignInToken: s.RefreshToken}, &inc)
	if inc.IncludedInSubscription || inc.Email != "sub@example.com" {
		t.Fatalf("included without licence: %+v", inc)
	}

	// A plan without the password manager does not count.
	if err := e.srv.AddActivationCode("VPN-1", "vpn", 30); err != nil {
		t.Fatal(err)
	}
	var l api.Licence
	e.must("POST", api.PathActivate, s.AccessToken, api.ActivateRequest{Code: " vpn-1 "}, &l)
	if l.Plan != "vpn" || l.IncludesPasswordManager || l.Status != api.StatusActive {
		t.Fatalf("vpn licence %+v", l)
	}
	e.wantErr(400, api.CodeActivationCodeInvalid, "POST", api.PathActivate, s.AccessToken, api.ActivateRequest{Code: "VPN-1"})
	e.wantErr(400, api.CodeActivationCodeInvalid, "POST", api.PathActivate, s.AccessToken, api.ActivateRequest{Code: "NOPE"})
	e.must("POST", api.PathIncludedCheck, "", api.IncludedRequest{SignInToken: s.RefreshToken}, &inc)
	if inc.IncludedInSubscription {
		t.Fatal("vpn plan marked as including the password manager")
	}

	// Personal for 30 days: effective, included; after expiry still marked, as expired.
	if err := e.srv.AddActivationCode("PERS-1", "personal", 30); err != nil {
		t.Fatal(err)
	}
	e.must("POST", api.PathActivate, s.AccessToken, api.ActivateRequest{Code: "PERS-1"}, &l)
	e.must("GET", api.PathSubscriptions, s.AccessToken, nil, &subs)
	if subs.Effective.Plan != "personal" || len(subs.Licences) != 2 {
		t.Fatalf("after activation %+v", subs)
	}
	e.clock.Advance(31 * 24 * time.Hour)
	e.must("POST", api.PathIncludedCheck, "", api.IncludedRequest{SignInToken: s.RefreshToken}, &inc)
	if !inc.IncludedInSubscription || inc.Status != api.StatusExpired {
		t.Fatalf("expired licence: %+v", inc)
	}
	e.must("POST", api.PathSessionsRefresh, "", api.RefreshRequest{RefreshToken: s.RefreshToken}, s)
	e.must("GET", api.PathSubscriptions, s.AccessToken, nil, &subs)
	if subs.Effective.Plan != "free" {
		t.Fatalf("expired licence still effective: %+v", subs.Effective)
	}

	// Blocked licences keep the mark too.
	a, err := e.st.AccountByEmail("sub@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.st.PutLicence(&store.Licence{ID: "blk", AccountID: a.ID, Plan: "family", Status: api.StatusBlocked, ExpiresAt: e.clock.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	e.must("POST", api.PathIncludedCheck, "", api.IncludedRequest{SignInToken: s.RefreshToken}, &inc)
	if !inc.IncludedInSubscription || inc.Status != api.StatusBlocked {
		t.Fatalf("blocked licence: %+v", inc)
	}
	// An access token is not the family-wide sign-in token.
	e.wantErr(401, api.CodeUnauthorized, "POST", api.PathIncludedCheck, "", api.IncludedRequest{SignInToken: s.AccessToken})
}

func TestForgotPassword(t *testing.T) {
	e := newEnv(t)
	s := e.newAccount("forgot@example.com")
	e.must("POST", api.PathPasswordForgot, "", api.ForgotRequest{Email: "nobody@example.com"}, nil) // same answer
	e.must("POST", api.PathPasswordForgot, "", api.ForgotRequest{Email: "forgot@example.com"}, nil)
	tok := e.waitLink("forgot@example.com")[len(e.base+"/portal/reset?token="):]
	e.wantErr(400, api.CodePasswordNoDigit, "POST", api.PathPasswordReset, "", api.ResetRequest{Token: tok, NewPassword: "NoDigitsHere"})
	e.must("POST", api.PathPasswordReset, "", api.ResetRequest{Token: tok, NewPassword: "New-Password-2"}, nil)
	e.wantErr(400, api.CodeCodeExpired, "POST", api.PathPasswordReset, "", api.ResetRequest{Token: tok, NewPassword: "New-Password-3"})
	e.wantErr(401, api.CodeUnauthorized, "GET", api.PathAccount, s.AccessToken, nil) // everyone signed out
	e.must("POST", api.PathSessions, "", api.SignInRequest{Email: "forgot@example.com", Password: "New-Password-2"}, nil)
}
