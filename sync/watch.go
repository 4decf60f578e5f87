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
// until ctx ends. known gives the latest change up to which this device holds the
// vault (Engine.Cursor); it is asked again when an answer comes, so a change the
// device made itself, or pulled meanwhile, does not count. A failed wait is retried
// with back-off (a replica that died: the next request reaches another); nothing runs
// between waits.
func Watch(ctx context.Context, w Waiter, known func() uint64, changed func()) {
	watch(ctx, w, known, changed, time.After)
}

func watch(ctx context.Context, w Waiter, known func() uint64, changed func(), after func(time.Duration) <-chan time.Time) {
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
		k := known()
		newEpoch := epoch != 0 && st.KeyEpoch != epoch
		retry, behind = 0, st.LatestChange < k
		if newEpoch || st.LatestChange != since && st.LatestChange != k {
			changed()
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
	Watch(ctx, w, r.e.Cursor, r.SyncNow)
}
