package cloudsync

import (
	"context"
	"errors"
	"time"

	"github.com/valvpm/valv/cloud/api"
)

// Waiter is the server's live-sync long poll (account.Client has it).
type Waiter interface {
	WaitVault(ctx context.Context, epoch, since uint64) (*api.VaultState, error)
}

// Back-off of Watch after a failed wait: from watchRetryMin doubling up to
// watchRetryMax, so a dead server or network costs a request now and then.
const (
	watchRetryMin = 500 * time.Millisecond
	watchRetryMax = time.Minute
)

// Watch waits on the server for changes of the cloud vault and calls changed for each,
// until ctx ends. known gives the latest change this device has seen, so a change it
// made or pulled itself does not count. A failed wait is retried with back-off (a
// replica that died: the next request reaches another); nothing runs between waits.
func Watch(ctx context.Context, w Waiter, known func() uint64, changed func()) {
	watch(ctx, w, known, func(uint64) { changed() }, time.After)
}

// forceSync is the latest change watch reports for a new key epoch: whatever this
// device knows, it must sync.
const forceSync = ^uint64(0)

// watch is Watch telling changed the server's latest change number (forceSync for a
// new key epoch).
func watch(ctx context.Context, w Waiter, known func() uint64, changed func(latest uint64), after func(time.Duration) <-chan time.Time) {
	var epoch, since uint64
	retry := time.Duration(0)
	behind := false // the server reported less than this device knows (a restored backup)
	for ctx.Err() == nil {
		if k := known(); k > since && !behind {
			since = k
		}
		st, err := w.WaitVault(ctx, epoch, since)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			retry = min(max(2*retry, watchRetryMin), watchRetryMax)
			if ra := retryAfter(err); ra > retry {
				retry = ra
			}
			select {
			case <-ctx.Done():
			case <-after(retry):
			}
			continue
		}
		retry, behind = 0, st.LatestChange < since
		switch {
		case epoch != 0 && st.KeyEpoch != epoch:
			changed(forceSync)
		case st.LatestChange != since:
			changed(st.LatestChange)
		}
		// Follow the server from here, so an answer that does not agree with this
		// device (the sync will say why) is not asked for again and again.
		epoch, since = st.KeyEpoch, st.LatestChange
	}
}

// retryAfter is the wait the server asked for (a 429's Retry-After), or 0.
func retryAfter(err error) time.Duration {
	var ae interface{ RetryIn() time.Duration }
	if errors.As(err, &ae) {
		return ae.RetryIn()
	}
	return 0
}

// Live keeps r in step with the server while ctx lasts: every change another device
// makes starts a sync within moments, instead of at the next Interval (which stays as
// the safety net).
func (r *Runner) Live(ctx context.Context, w Waiter) {
	watch(ctx, w, r.known, r.liveChange, time.After)
}

// known is the latest change this device has pushed or pulled.
func (r *Runner) known() uint64 {
	st, err := r.v.SyncState()
	if err != nil {
		return 0
	}
	return max(st.Cursor, st.LatestSeen)
}

// liveChange hands the server's latest change to the runner's loop, replacing one it
// has not read yet (the newer number covers the older).
func (r *Runner) liveChange(latest uint64) {
	for {
		select {
		case r.live <- latest:
			return
		default:
			select {
			case <-r.live:
			default:
			}
		}
	}
}
