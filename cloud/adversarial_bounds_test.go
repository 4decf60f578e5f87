package cloud

import (
	"fmt"
	"math"
	"net/http"
	"testing"

	"github.com/valvpm/valv/cloud/api"
)

// TestAttackKeyEpochWrap (Low): a header at key epoch 2^64−1 followed by a wipe must
// not wrap the epoch to 0 (which would let an old vault come back); epochs beyond what
// the header can hold are refused, and a vault at the last epoch cannot be wiped.
func TestAttackKeyEpochWrap(t *testing.T) {
	e := newEnv(t)
	s := e.newAccount("epoch@example.com")
	h := testHeader("epoch", 1)
	h.KeyEpoch = math.MaxUint64
	e.wantErr(400, api.CodeInvalidHeader, "PUT", api.PathVault, s.AccessToken, api.PutHeaderRequest{Header: h})
	e.must("PUT", api.PathVault, s.AccessToken, api.PutHeaderRequest{Header: testHeader("epoch", api.MaxKeyEpoch)}, nil)
	tok := e.actionToken(s.AccessToken, "epoch@example.com", api.ActionClearVault)
	e.wantErr(409, api.CodeKeyEpochLimit, "POST", api.PathVaultWipe, s.AccessToken, nil, api.HeaderActionToken, tok)
	var got api.VaultHeader
	e.must("GET", api.PathVault, s.AccessToken, nil, &got)
	if got.KeyEpoch != api.MaxKeyEpoch {
		t.Fatalf("epoch %d after the refused wipe", got.KeyEpoch)
	}
}

// TestAttackSinceWrap (Low): since=2^64−1 must not wrap around to a full pull.
func TestAttackSinceWrap(t *testing.T) {
	e := newEnv(t)
	s := e.newAccount("since@example.com")
	e.must("PUT", api.PathVault, s.AccessToken, api.PutHeaderRequest{Header: testHeader("since", 1)}, nil)
	e.must("POST", api.PathVaultPush, s.AccessToken, api.PushRequest{KeyEpoch: 1, Items: items("s", 3, []byte("x"), false)}, nil)
	for _, since := range []uint64{math.MaxUint64, 4} {
		st, ae := e.call("GET", fmt.Sprintf("%s?since=%d", api.PathVaultChanges, since), s.AccessToken, nil, nil)
		if ae == nil || st != http.StatusBadRequest || ae.Code != api.CodeBadRequest {
			t.Errorf("since=%d: %d %v", since, st, ae)
		}
	}
	var pr api.PullResponse
	e.must("GET", api.PathVaultChanges+"?since=3", s.AccessToken, nil, &pr)
	if len(pr.Items) != 0 || pr.More {
		t.Fatalf("since=latest: %+v", pr)
	}
}

// TestAttackRedirectPorts (Low): loopback redirects need a real port, 1–65535.
func TestAttackRedirectPorts(t *testing.T) {
	for _, u := range []string{"http://127.0.0.1:0/cb", "http://127.0.0.1:99999/cb", "http://[::1]:65536/cb", "http://127.0.0.1:00/cb", "http://127.0.0.1:-1/cb", "http://127.0.0.1:+80/cb"} {
		if checkLoopbackRedirect(u) == nil {
			t.Errorf("%s accepted", u)
		}
	}
	for _, u := range []string{"http://127.0.0.1:1/cb", "http://127.0.0.1:65535/cb", "http://[::1]:49152/"} {
		if err := checkLoopbackRedirect(u); err != nil {
			t.Errorf("%s refused: %v", u, err)
		}
	}
}
