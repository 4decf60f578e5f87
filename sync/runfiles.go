package cloudsync

import (
	"context"
	"time"

	"github.com/valvpm/valv/vault"
)

// The runner's file sync: a goroutine of its own, so a 100 MiB upload never holds up
// the items' sync (a password saved meanwhile still goes up within seconds). A round
// runs after every item sync that succeeded: deletions, uploads, then downloads of
// what this device lacks. A network failure is retried with the items' back-off.

// filesDue asks for a file round (after an item sync).
func (r *Runner) filesDue() {
	select {
	case r.files <- struct{}{}:
	default:
	}
}

func (r *Runner) runFiles(ctx context.Context) {
	backoff := time.Duration(0)
	var retry <-chan time.Time
	for {
		select {
		case <-ctx.Done():
			return
		case <-r.files:
		case <-retry:
		}
		retry = nil
		if r.v.Locked() {
			continue // the next item sync after unlocking asks again
		}
		rep, err := r.e.SyncFiles(ctx, true)
		if ctx.Err() != nil {
			return
		}
		r.set(func(s *Status) {
			s.Files = FileStatus{ToUpload: rep.ToUpload, ToDownload: rep.ToDownload, Err: err, Last: rep}
		})
		if err != nil && isNetwork(err) {
			backoff = nextBackoff(backoff)
			retry = r.after(backoff)
			continue
		}
		backoff = 0
	}
}

// Fetch downloads one file's missing chunks now, beside the background work: what
// opening a file waits for on a device that has its item but not yet its content.
// ErrFileNotInCloud when the device that added it has not uploaded it yet.
func (r *Runner) Fetch(ctx context.Context, att vault.AttachmentID) error {
	return r.e.Fetch(ctx, att)
}
