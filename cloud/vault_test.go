package cloud

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/valvpm/valv/cloud/api"
	"github.com/valvpm/valv/cloud/store"
)

func TestVaultPushPull(t *testing.T) {
	e := newEnv(t, func(c *Config) {
		// 25 small items and their overhead fit; twelve more of 100 bytes do not.
		c.Limits = store.Limits{MaxItemBytes: 100, MaxVaultBytes: 8000, MaxPushItems: 50}
	})
	tok := e.newAccount("v@example.com").AccessToken
	e.personal(tok) // more entries than the Free plan keeps
	e.wantErr(404, api.CodeVaultNotFound, "GET", api.PathVault, tok, nil)
	e.wantErr(404, api.CodeVaultNotFound, "POST", api.PathVaultPush, tok, api.PushRequest{KeyEpoch: 1})
	e.wantErr(400, api.CodeInvalidHeader, "PUT", api.PathVault, tok, api.PutHeaderRequest{Header: api.VaultHeader{VaultID: "v"}})

	var h api.VaultHeader
	e.must("PUT", api.PathVault, tok, api.PutHeaderRequest{Header: testHeader("vault-1", 1)}, &h)
	e.must("GET", api.PathVault, tok, nil, &h)
	want := testHeader("vault-1", 1)
	if h.VaultID != want.VaultID || !bytes.Equal(h.WrappedKey, want.WrappedKey) || string(h.KDF) != string(want.KDF) {
		t.Fatalf("header round trip: %+v", h)
	}
	e.wantErr(409, api.CodeVaultExists, "PUT", api.PathVault, tok, api.PutHeaderRequest{Header: testHeader("vault-2", 1)})
	// A master-password change re-wraps the key: same vault, same epoch.
	e.must("PUT", api.PathVault, tok, api.PutHeaderRequest{Header: rewrapped("vault-1", 1)}, &h)

	// Push 25 items in three pushes, then pull in pages of 10.
	var all []api.PushResult
	for b := 0; b < 3; b++ {
		var items []api.PushItem
		for i := 0; i < 10 && b*10+i < 25; i++ {
			items = append(items, api.PushItem{ID: fmt.Sprintf("item-%02d", b*10+i), Blob: []byte(fmt.Sprintf("sealed-%d", b*10+i))})
		}
		var pr api.PushResponse
		e.must("POST", api.PathVaultPush, tok, api.PushRequest{KeyEpoch: 1, Items: items}, &pr)
		all = append(all, pr.Items...)
	}
	for i, r := range all {
		if r.Change != uint64(i+1) {
			t.Fatalf("change numbers not strictly increasing: %+v", all)
		}
	}
	var got []api.VaultItem
	since := uint64(0)
	for pages := 0; ; pages++ {
		var pr api.PullResponse
		e.must("GET", fmt.Sprintf("%s?since=%d&limit=10", api.PathVaultChanges, since), tok, nil, &pr)
		got = append(got, pr.Items...)
		since = pr.Next
		if !pr.More {
			if pages != 2 || pr.LatestChange != 25 {
				t.Fatalf("pages %d, latest %d", pages, pr.LatestChange)
			}
			break
		}
	}
	if len(got) != 25 || string(got[24].Blob) != "sealed-24" {
		t.Fatalf("pulled %d items", len(got))
	}

	// Edit item-03 from its change 4: accepted. A second device still at 4: conflict,
	// carrying the current version; nothing of that push is applied.
	var pr api.PushResponse
	e.must("POST", api.PathVaultPush, tok, api.PushRequest{KeyEpoch: 1, Items: []api.PushItem{{ID: "item-03", BaseChange: 4, Blob: []byte("edit-A")}}}, &pr)
	ae := e.wantErr(409, api.CodeConflict, "POST", api.PathVaultPush, tok, api.PushRequest{KeyEpoch: 1, Items: []api.PushItem{
		{ID: "new-item", Blob: []byte("n")}, {ID: "item-03", BaseChange: 4, Blob: []byte("edit-B")}}})
	if len(ae.Conflicts) != 1 || ae.Conflicts[0].ID != "item-03" || string(ae.Conflicts[0].Blob) != "edit-A" || ae.Conflicts[0].Change != 26 {
		t.Fatalf("conflicts = %+v", ae.Conflicts)
	}
	var since25 api.PullResponse
	e.must("GET", api.PathVaultChanges+"?since=25", tok, nil, &since25)
	if len(since25.Items) != 1 || since25.Items[0].ID != "item-03" {
		t.Fatalf("the conflicting push leaked: %+v", since25.Items)
	}
	// Pushing a "new" item whose ID exists is stale too.
	e.wantErr(409, api.CodeConflict, "POST", api.PathVaultPush, tok, api.PushRequest{KeyEpoch: 1, Items: []api.PushItem{{ID: "item-00", Blob: []byte("x")}}})
	// Delete leaves a tombstone that pulls as deleted.
	e.must("POST", api.PathVaultPush, tok, api.PushRequest{KeyEpoch: 1, Items: []api.PushItem{{ID: "item-00", BaseChange: 1, Deleted: true}}}, &pr)
	var since26 api.PullResponse
	e.must("GET", api.PathVaultChanges+"?since=26", tok, nil, &since26)
	if len(since26.Items) != 1 || !since26.Items[0].Deleted || since26.Items[0].Blob != nil {
		t.Fatalf("tombstone = %+v", since26.Items)
	}

	// Limits and bad input.
	e.wantErr(409, api.CodeKeyEpochChanged, "POST", api.PathVaultPush, tok, api.PushRequest{KeyEpoch: 2, Items: []api.PushItem{{ID: "z", Blob: []byte("x")}}})
	e.wantErr(413, api.CodeItemTooLarge, "POST", api.PathVaultPush, tok, api.PushRequest{KeyEpoch: 1, Items: []api.PushItem{{ID: "big", Blob: bytes.Repeat([]byte("x"), 101)}}})
	var many []api.PushItem
	for i := 0; i < 12; i++ {
		many = append(many, api.PushItem{ID: fmt.Sprintf("fill-%d", i), Blob: bytes.Repeat([]byte("x"), 100)})
	}
	e.wantErr(413, api.CodeVaultTooLarge, "POST", api.PathVaultPush, tok, api.PushRequest{KeyEpoch: 1, Items: many})
	e.wantErr(400, api.CodeInvalidItem, "POST", api.PathVaultPush, tok, api.PushRequest{KeyEpoch: 1, Items: []api.PushItem{{ID: "", Blob: []byte("x")}}})
	e.wantErr(400, api.CodeInvalidItem, "POST", api.PathVaultPush, tok, api.PushRequest{KeyEpoch: 1, Items: []api.PushItem{{ID: "d", Blob: []byte("x")}, {ID: "d", Blob: []byte("y")}}})
	e.wantErr(400, api.CodeInvalidItem, "POST", api.PathVaultPush, tok, api.PushRequest{KeyEpoch: 1, Items: []api.PushItem{{ID: strings.Repeat("i", 129), Blob: []byte("x")}}})
	e.wantErr(413, api.CodeTooManyItems, "POST", api.PathVaultPush, tok, api.PushRequest{KeyEpoch: 1, Items: make([]api.PushItem, 51)})
	e.wantErr(400, api.CodeBadRequest, "GET", api.PathVaultChanges+"?since=-1", tok, nil)
	e.wantErr(400, api.CodeBadRequest, "GET", api.PathVaultChanges+"?limit=100000", tok, nil)
}

// TestIsolation: with one account's token, nothing of another account can be read or
// changed through any endpoint.
func TestIsolation(t *testing.T) {
	e := newEnv(t)
	a := e.newAccount("alice@example.com")
	b := e.newAccount("bob@example.com")
	e.must("PUT", api.PathVault, a.AccessToken, api.PutHeaderRequest{Header: testHeader("alice-vault", 1)}, nil)
	e.must("POST", api.PathVaultPush, a.AccessToken, api.PushRequest{KeyEpoch: 1, Items: []api.PushItem{{ID: "secret", Blob: []byte("alice-blob")}}}, nil)

	// Bob sees only his own (empty) world.
	e.wantErr(404, api.CodeVaultNotFound, "GET", api.PathVault, b.AccessToken, nil)
	e.wantErr(404, api.CodeVaultNotFound, "GET", api.PathVaultChanges, b.AccessToken, nil)
	e.wantErr(404, api.CodeVaultNotFound, "POST", api.PathVaultPush, b.AccessToken, api.PushRequest{KeyEpoch: 1, Items: []api.PushItem{{ID: "secret", BaseChange: 1, Blob: []byte("bob")}}})
	var acct api.Account
	e.must("GET", api.PathAccount, b.AccessToken, nil, &acct)
	if acct.Email != "bob@example.com" {
		t.Fatalf("bob sees %s", acct.Email)
	}
	var list api.SessionsResponse
	e.must("GET", api.PathSessions, b.AccessToken, nil, &list)
	for _, s := range list.Sessions {
		if s.ID == a.SessionID {
			t.Fatal("bob lists alice's session")
		}
	}
	e.wantErr(404, api.CodeNotFound, "DELETE", api.PathSessionPrefix+a.SessionID, b.AccessToken, nil)
	e.must("GET", api.PathAccount, a.AccessToken, nil, nil) // still signed in

	// Alice's action token does not work for Bob, and Bob's wipe leaves Alice's vault.
	var at api.ActionTokenResponse
	e.must("POST", api.PathActionReauth, a.AccessToken, api.ReauthRequest{Action: api.ActionClearVault, Password: testPassword}, &at)
	e.wantErr(403, api.CodeActionTokenInvalid, "POST", api.PathVaultWipe, b.AccessToken, nil, api.HeaderActionToken, at.ActionToken)
	e.must("POST", api.PathActionReauth, b.AccessToken, api.ReauthRequest{Action: api.ActionClearVault, Password: testPassword}, &at)
	e.must("POST", api.PathVaultWipe, b.AccessToken, nil, nil, api.HeaderActionToken, at.ActionToken)
	// Bob's e-mailed code cannot be redeemed by Alice.
	e.must("POST", api.PathActionCodes, b.AccessToken, api.ActionCodeRequest{Action: api.ActionClearVault}, nil)
	e.wantErr(400, api.CodeCodeExpired, "POST", api.PathActionTokens, a.AccessToken, api.ActionTokenRequest{Action: api.ActionClearVault, Code: e.lastCode("bob@example.com")})
	// Bob's two-step challenge cannot be confirmed by Alice.
	var ch api.SMSChallenge
	e.must("POST", api.PathTwoStep, b.AccessToken, api.TwoStepRequest{Phone: testPhone, Password: testPassword}, &ch)
	e.wantErr(400, api.CodeCodeExpired, "POST", api.PathTwoStepConfirm, a.AccessToken, api.SMSCodeRequest{ChallengeID: ch.ChallengeID, Code: e.lastCode(testPhone)})
	// Subscriptions and settings touch only the caller.
	if err := e.srv.AddActivationCode("ISO-1", "personal", 30); err != nil {
		t.Fatal(err)
	}
	e.must("POST", api.PathActivate, b.AccessToken, api.ActivateRequest{Code: "iso-1"}, nil)
	var subs api.SubscriptionsResponse
	e.must("GET", api.PathSubscriptions, a.AccessToken, nil, &subs)
	if len(subs.Licences) != 0 {
		t.Fatalf("alice got bob's licence: %+v", subs)
	}
	yes := true
	e.must("POST", api.PathAccountSettings, b.AccessToken, api.SettingsRequest{MarketingConsent: &yes}, nil)
	e.must("GET", api.PathAccount, a.AccessToken, nil, &acct)
	if acct.MarketingConsent {
		t.Fatal("bob's settings changed alice")
	}
	// Deleting Bob's account leaves Alice's vault.
	e.must("DELETE", api.PathAccount, b.AccessToken, api.DeleteAccountRequest{Password: testPassword}, nil)
	var pr api.PullResponse
	e.must("GET", api.PathVaultChanges, a.AccessToken, nil, &pr)
	if len(pr.Items) != 1 || string(pr.Items[0].Blob) != "alice-blob" {
		t.Fatalf("alice's vault after bob left: %+v", pr)
	}
	e.wantErr(401, api.CodeUnauthorized, "GET", api.PathAccount, b.AccessToken, nil)
}

func TestMalformedRequests(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.MaxBodyBytes = 1024 })
	tok := e.newAccount("m@example.com").AccessToken
	posts := []string{api.PathAccounts, api.PathSessions, api.PathSessionsSMS, api.PathSessionsResend, api.PathSessionsRefresh,
		api.PathPasswordForgot, api.PathPasswordReset, api.PathOAuthToken, api.PathIncludedCheck,
		api.PathAccountSettings, api.PathAccountPassword, api.PathTwoStep, api.PathTwoStepConfirm,
		api.PathActionCodes, api.PathActionTokens, api.PathActionReauth, api.PathActivate, api.PathVaultPush, api.PathVaultReplace}
	bodies := map[string]string{
		"not json":       `{"email": `,
		"unknown field":  `{"emial":"x@example.com"}`,
		"wrong type":     `{"email": 42}`,
		"two values":     `{} {}`,
		"array":          `[1,2,3]`,
		"oversize":       `{"email":"` + strings.Repeat("a", 2000) + `"}`,
		"oversize vault": `{"items":[` + strings.Repeat(`{"id":"x","blob":"AAAA"},`, 2_000_000/25) + `{"id":"y"}]}`,
	}
	for _, p := range posts {
		for name, b := range bodies {
			st, ae := e.call("POST", p, tok, b, nil)
			if ae == nil || st < 400 || st >= 500 {
				t.Errorf("POST %s with %s: %d %v", p, name, st, ae)
				continue
			}
			if strings.HasPrefix(name, "oversize") && p != api.PathVaultPush && p != api.PathVaultReplace && ae.Code != api.CodeBodyTooLarge {
				t.Errorf("POST %s oversize: %s", p, ae.Code)
			}
		}
	}
	e.wantErr(415, api.CodeBadRequest, "POST", api.PathSessions, "", "email=x", "Content-Type", "application/x-www-form-urlencoded")
}
