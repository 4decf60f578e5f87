package cloud

import (
	"testing"
	"time"

	"github.com/valvpm/valv/cloud/api"
)

// TestVaultWait: a wait that knows less answers at once; one that is up to date is
// held and answers when another device pushes.
func TestVaultWait(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.WaitHold = time.Minute })
	tok := e.newAccount("w@example.com").AccessToken
	var st api.VaultState
	e.must("PUT", api.PathVault, tok, api.PutHeaderRequest{Header: testHeader("vault-1", 1)}, nil)
	e.must("POST", api.PathVaultPush, tok, api.PushRequest{KeyEpoch: 1, Items: []api.PushItem{{ID: "x", Blob: []byte("b")}}}, nil)
	e.must("GET", api.PathVaultWait+"?since=0&epoch=1", tok, nil, &st)
	if !st.Exists || st.LatestChange != 1 || st.KeyEpoch != 1 {
		t.Fatalf("behind: %+v", st)
	}

	got := make(chan api.VaultState, 1)
	go func() {
		var st api.VaultState
		if _, ae, err := e.try("GET", api.PathVaultWait+"?since=1&epoch=1", tok, nil, &st); err != nil || ae != nil {
			t.Errorf("held wait: %v %v", err, ae)
		}
		got <- st
	}()
	e.must("POST", api.PathVaultPush, tok, api.PushRequest{KeyEpoch: 1, Items: []api.PushItem{{ID: "y", Blob: []byte("b")}}}, nil)
	select {
	case st = <-got:
	case <-time.After(30 * time.Second):
		t.Fatal("the held wait was not told of the push")
	}
	if st.LatestChange != 2 {
		t.Fatalf("after the push: %+v", st)
	}
	e.wantErr(400, api.CodeBadRequest, "GET", api.PathVaultWait+"?since=-1", tok, nil)
	e.wantErr(401, api.CodeUnauthorized, "GET", api.PathVaultWait, "", nil)
}

// TestVaultWaitHold: with nothing new (no vault yet, or no change) the wait ends after
// the hold with the same state.
func TestVaultWaitHold(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.WaitHold = 50 * time.Millisecond })
	tok := e.newAccount("h@example.com").AccessToken
	var st api.VaultState
	e.must("GET", api.PathVaultWait+"?since=0", tok, nil, &st)
	if st.Exists || st.LatestChange != 0 {
		t.Fatalf("no vault yet: %+v", st)
	}
	e.must("PUT", api.PathVault, tok, api.PutHeaderRequest{Header: testHeader("vault-1", 1)}, nil)
	e.must("GET", api.PathVaultWait+"?since=0&epoch=1", tok, nil, &st)
	if !st.Exists || st.LatestChange != 0 || st.KeyEpoch != 1 {
		t.Fatalf("unchanged: %+v", st)
	}
}

// TestWaitSlots: an account cannot park more than maxWaitsPerAccount waits; another
// account is not held back by it, and a slot given back is free again.
func TestWaitSlots(t *testing.T) {
	var w waitSlots
	for i := range maxWaitsPerAccount {
		if !w.take("a") {
			t.Fatalf("slot %d refused", i)
		}
	}
	if w.take("a") || !w.take("b") {
		t.Fatal("the limit is per account")
	}
	w.give("a")
	if !w.take("a") {
		t.Fatal("a slot given back is not free")
	}
}
