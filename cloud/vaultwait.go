package cloud

import (
	"errors"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/valvpm/valv/cloud/api"
	"github.com/valvpm/valv/cloud/store"
)

// Live sync is a long poll (api.PathVaultWait) rather than a stream: the client says
// what it knows, so no change is lost between two requests; each request is a plain
// JSON call through the same client, tokens and proxies as every other; and an idle
// device costs one parked request, woken by the store's Watch, never a timer per
// device. It is outside the vault gate: a wait holds no body memory, and must not take
// the turn of the account's pushes.

// maxWaitsPerAccount bounds one account's parked waits in this process (a device
// needs one): a client cannot pin the server's memory with thousands.
const maxWaitsPerAccount = 16

// waitSlots counts the parked waits of each account.
type waitSlots struct {
	mu sync.Mutex
	n  map[string]int
}

func (w *waitSlots) take(accountID string) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.n == nil {
		w.n = map[string]int{}
	}
	if w.n[accountID] >= maxWaitsPerAccount {
		return false
	}
	w.n[accountID]++
	return true
}

func (w *waitSlots) give(accountID string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.n[accountID]--; w.n[accountID] <= 0 {
		delete(w.n, accountID)
	}
}

// vaultState is the account's vault as a wait reports it.
func (s *Server) vaultState(accountID string) (api.VaultState, error) {
	h, err := s.st.VaultHeader(accountID)
	if errors.Is(err, store.ErrVaultNotFound) {
		return api.VaultState{}, nil
	}
	if err != nil {
		return api.VaultState{}, err
	}
	return api.VaultState{Exists: true, KeyEpoch: h.KeyEpoch, LatestChange: h.LatestChange}, nil
}

func queryUint(r *http.Request, name string) (uint64, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseUint(v, 10, 64)
	if err != nil {
		return 0, errf(http.StatusBadRequest, api.CodeBadRequest, "%s must be a whole number.", name)
	}
	return n, nil
}

func (s *Server) handleVaultWait(w http.ResponseWriter, r *http.Request, a *authCtx) error {
	since, err := queryUint(r, "since")
	if err != nil {
		return err
	}
	epoch, err := queryUint(r, "epoch")
	if err != nil {
		return err
	}
	if !s.waits.take(a.acct.ID) {
		e := errf(http.StatusTooManyRequests, api.CodeRateLimited, "Too many devices are waiting for changes of this vault.")
		e.body.RetryAfter = 30
		return e
	}
	defer s.waits.give(a.acct.ID)
	// Watch before looking, so a change between the look and the wait is not missed.
	changed, stop := s.st.Watch(a.acct.ID)
	defer stop()
	hold := time.NewTimer(s.cfg.WaitHold)
	defer hold.Stop()
	for {
		st, err := s.vaultState(a.acct.ID)
		if err != nil {
			return err
		}
		if st.LatestChange != since || epoch != 0 && st.KeyEpoch != epoch {
			writeJSON(w, http.StatusOK, st)
			return nil
		}
		select {
		case <-changed:
		case <-hold.C:
			writeJSON(w, http.StatusOK, st)
			return nil
		case <-r.Context().Done():
			return nil // the client left; nobody reads an answer
		}
	}
}
