package store

import (
	"context"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// hub fans vault-change notices out to the watchers of each account. A watcher's
// channel holds one notice, so a burst of changes costs one look, and a slow watcher
// never blocks the one announcing.
type hub struct {
	mu   sync.Mutex
	subs map[string]map[chan struct{}]struct{}
}

func (h *hub) watch(accountID string) (<-chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	h.mu.Lock()
	if h.subs == nil {
		h.subs = map[string]map[chan struct{}]struct{}{}
	}
	if h.subs[accountID] == nil {
		h.subs[accountID] = map[chan struct{}]struct{}{}
	}
	h.subs[accountID][ch] = struct{}{}
	h.mu.Unlock()
	var once sync.Once
	return ch, func() {
		once.Do(func() {
			h.mu.Lock()
			defer h.mu.Unlock()
			delete(h.subs[accountID], ch)
			if len(h.subs[accountID]) == 0 {
				delete(h.subs, accountID)
			}
		})
	}
}

func notify(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default: // a notice is already waiting: it covers this change too
	}
}

func (h *hub) publish(accountID string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range h.subs[accountID] {
		notify(ch)
	}
}

// publishAll wakes every watcher: after a lost connection, notices may have been missed.
func (h *hub) publishAll() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, subs := range h.subs {
		for ch := range subs {
			notify(ch)
		}
	}
}

// Watch implements Store: the process's own vault changes.
func (s *Bolt) Watch(accountID string) (<-chan struct{}, func()) { return s.hub.watch(accountID) }

// Watch implements Store: changes of every replica, through LISTEN/NOTIFY.
func (s *Postgres) Watch(accountID string) (<-chan struct{}, func()) { return s.hub.watch(accountID) }

// Listening back-off after the notice connection fails.
const (
	listenRetryMin = 100 * time.Millisecond
	listenRetryMax = 5 * time.Second
)

// listen keeps one connection of its own LISTENing to vault notices until ctx ends,
// reconnecting with back-off when it breaks.
func (s *Postgres) listen(ctx context.Context) {
	defer s.wg.Done()
	wait := listenRetryMin
	for ctx.Err() == nil {
		if s.listenOnce(ctx) {
			wait = listenRetryMin
		}
		select {
		case <-ctx.Done():
		case <-time.After(wait):
		}
		wait = min(2*wait, listenRetryMax)
	}
}

// listenOnce listens on one connection until it fails; it reports whether it got as
// far as listening.
func (s *Postgres) listenOnce(ctx context.Context) bool {
	conn, err := pgx.ConnectConfig(ctx, s.pool.Config().ConnConfig.Copy())
	if err != nil {
		s.logListen(ctx, "connect", err)
		return false
	}
	defer func() {
		cctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		if err := conn.Close(cctx); err != nil {
			s.logListen(ctx, "close", err)
		}
	}()
	if _, err := conn.Exec(ctx, "LISTEN "+vaultChannel); err != nil {
		s.logListen(ctx, "listen", err)
		return false
	}
	s.hub.publishAll()
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			s.logListen(ctx, "wait", err)
			return true
		}
		s.hub.publish(n.Payload)
	}
}

// logListen reports a failure of the notice connection, but not the one closing it.
func (s *Postgres) logListen(ctx context.Context, what string, err error) {
	if ctx.Err() == nil && s.logf != nil {
		s.logf("vault notices: %s: %v", what, err)
	}
}
