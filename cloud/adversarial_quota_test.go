package cloud

import (
	"fmt"
	"testing"

	"github.com/valvpm/valv/cloud/api"
	"github.com/valvpm/valv/cloud/store"
)

// personal gives the account a plan without an entry limit.
func (e *env) personal(tok string) {
	e.t.Helper()
	code := fmt.Sprintf("PERSONAL-%d", len(e.outbox.Messages()))
	if err := e.srv.AddActivationCode(code, "personal", 365); err != nil {
		e.t.Fatal(err)
	}
	e.must("POST", api.PathActivate, tok, api.ActivateRequest{Code: code}, nil)
}

func items(prefix string, n int, blob []byte, deleted bool) []api.PushItem {
	out := make([]api.PushItem, n)
	for i := range out {
		out[i] = api.PushItem{ID: fmt.Sprintf("%s-%d", prefix, i), Blob: blob, Deleted: deleted}
	}
	return out
}

// TestAttackEmptyBlobsAreFree (Medium 4): items with an empty blob, and tombstones,
// count towards the vault's size with a fixed overhead each, so they cannot fill the
// database for free.
func TestAttackEmptyBlobsAreFree(t *testing.T) {
	e := newEnv(t, func(c *Config) {
		c.Limits = store.Limits{MaxItemBytes: 1000, MaxVaultBytes: 64 << 10, MaxPushItems: 1000}
	})
	s := e.newAccount("empty@example.com")
	e.personal(s.AccessToken)
	e.must("PUT", api.PathVault, s.AccessToken, api.PutHeaderRequest{Header: testHeader("empty", 1)}, nil)
	e.wantErr(413, api.CodeVaultTooLarge, "POST", api.PathVaultPush, s.AccessToken, api.PushRequest{KeyEpoch: 1, Items: items("e", 1000, nil, false)})
	e.wantErr(413, api.CodeVaultTooLarge, "POST", api.PathVaultPush, s.AccessToken, api.PushRequest{KeyEpoch: 1, Items: items("t", 300, nil, true)})
	// Up to the limit they are stored.
	n := (64 << 10) / api.ItemOverheadBytes
	e.must("POST", api.PathVaultPush, s.AccessToken, api.PushRequest{KeyEpoch: 1, Items: items("ok", n, nil, false)}, nil)
	e.wantErr(413, api.CodeVaultTooLarge, "POST", api.PathVaultPush, s.AccessToken, api.PushRequest{KeyEpoch: 1, Items: items("one-more", 1, nil, true)})
	// A replace counts the same way.
	tok := e.actionToken(s.AccessToken, "empty@example.com", api.ActionReplaceCloudVault)
	e.wantErr(413, api.CodeVaultTooLarge, "POST", api.PathVaultReplace, s.AccessToken,
		api.ReplaceRequest{Header: testHeader("empty2", 2), Items: items("r", n+1, nil, false)}, api.HeaderActionToken, tok)
}

// TestAttackFreePlanEntries (Medium 4): the Free plan keeps up to its max_entries live
// entries; a push that would keep more is refused with entry_limit, edits and deletions
// still go through, and a plan without a limit lifts it.
func TestAttackFreePlanEntries(t *testing.T) {
	e := newEnv(t)
	s := e.newAccount("free@example.com")
	if s.Account.Entitlements.MaxEntries != 15 {
		t.Fatalf("free plan allows %d entries", s.Account.Entitlements.MaxEntries)
	}
	e.must("PUT", api.PathVault, s.AccessToken, api.PutHeaderRequest{Header: testHeader("free", 1)}, nil)
	var pr api.PushResponse
	e.must("POST", api.PathVaultPush, s.AccessToken, api.PushRequest{KeyEpoch: 1, Items: items("f", 15, []byte("x"), false)}, &pr)
	ae := e.wantErr(403, api.CodeEntryLimit, "POST", api.PathVaultPush, s.AccessToken, api.PushRequest{KeyEpoch: 1, Items: items("g", 1, []byte("x"), false)})
	if ae.MaxEntries != 15 {
		t.Errorf("entry_limit says max_entries=%d", ae.MaxEntries)
	}
	// Editing and deleting what is there works; a deletion makes room.
	edit := api.PushItem{ID: "f-0", BaseChange: pr.Items[0].Change, Blob: []byte("edited")}
	del := api.PushItem{ID: "f-1", BaseChange: pr.Items[1].Change, Deleted: true}
	e.must("POST", api.PathVaultPush, s.AccessToken, api.PushRequest{KeyEpoch: 1, Items: []api.PushItem{edit, del}}, nil)
	e.must("POST", api.PathVaultPush, s.AccessToken, api.PushRequest{KeyEpoch: 1, Items: items("g", 1, []byte("x"), false)}, nil)
	e.wantErr(403, api.CodeEntryLimit, "POST", api.PathVaultPush, s.AccessToken, api.PushRequest{KeyEpoch: 1, Items: items("h", 1, []byte("x"), false)})
	// Replacing the vault with more entries than the plan keeps is refused too.
	tok := e.actionToken(s.AccessToken, "free@example.com", api.ActionReplaceCloudVault)
	e.wantErr(403, api.CodeEntryLimit, "POST", api.PathVaultReplace, s.AccessToken,
		api.ReplaceRequest{Header: testHeader("free2", 2), Items: items("r", 16, []byte("x"), false)}, api.HeaderActionToken, tok)
	// With a plan without a limit, the push goes through.
	e.personal(s.AccessToken)
	e.must("POST", api.PathVaultPush, s.AccessToken, api.PushRequest{KeyEpoch: 1, Items: items("h", 10, []byte("x"), false)}, nil)
}
