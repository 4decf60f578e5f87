package cloud

import (
	"context"
	"net/http"
	"sync"
	"time"

	"golang.org/x/sync/semaphore"

	"github.com/valvpm/valv/cloud/api"
)

// vaultGate bounds the memory vault requests hold at once: per account, a number of
// requests in flight; server-wide, the bytes of request bodies being read (each request
// reserves what it declared, or its limit when it declares nothing, before reading a
// byte). Memory is a process's own, so unlike the limits kept in the store these are
// per process: every replica protects itself.
type vaultGate struct {
	perAccount int
	wait       time.Duration
	bodies     *semaphore.Weighted
	bodyBytes  int64
	entered    func() // test hook

	mu       sync.Mutex
	accounts map[string]*accountTurns
}

// accountTurns is one account's requests in flight; users counts holders and waiters
// so the entry goes away with the last of them.
type accountTurns struct {
	slots chan struct{}
	users int
}

func newVaultGate(cfg Config) *vaultGate {
	return &vaultGate{perAccount: cfg.VaultConcurrency, wait: cfg.VaultWait, bodyBytes: cfg.MaxVaultMemory,
		bodies: semaphore.NewWeighted(cfg.MaxVaultMemory), entered: cfg.testHookVaultEntered, accounts: map[string]*accountTurns{}}
}

var errVaultBusy = func() *apiErr {
	e := errf(http.StatusTooManyRequests, api.CodeRateLimited, "Too many vault requests at once. Try again in a moment.")
	e.body.RetryAfter = 1
	return e
}()

// enter waits (at most the configured time) for the account's turn and for body bytes
// of memory; the returned function gives both back.
func (g *vaultGate) enter(ctx context.Context, accountID string, body int64) (func(), error) {
	ctx, cancel := context.WithTimeout(ctx, g.wait)
	defer cancel()
	g.mu.Lock()
	t := g.accounts[accountID]
	if t == nil {
		t = &accountTurns{slots: make(chan struct{}, g.perAccount)}
		g.accounts[accountID] = t
	}
	t.users++
	g.mu.Unlock()
	leave := func() {
		g.mu.Lock()
		if t.users--; t.users == 0 {
			delete(g.accounts, accountID)
		}
		g.mu.Unlock()
	}
	select {
	case t.slots <- struct{}{}:
	case <-ctx.Done():
		leave()
		return nil, errVaultBusy
	}
	body = min(body, g.bodyBytes)
	if body > 0 {
		if err := g.bodies.Acquire(ctx, body); err != nil {
			<-t.slots
			leave()
			return nil, errVaultBusy
		}
	}
	if g.entered != nil {
		g.entered()
	}
	return func() {
		if body > 0 {
			g.bodies.Release(body)
		}
		<-t.slots
		leave()
	}, nil
}
