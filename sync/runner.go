package cloudsync

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/valvpm/valv/vault"
)

// State is what the status line shows.
type State int

// The states of a Runner.
const (
	StateOff     State = iota // sync turned off, or no account
	StateIdle                 // waiting; nothing known to be pending
	StateSyncing              // a sync is running
	StateSynced               // the last sync succeeded
	StateOffline              // the server cannot be reached; retrying with backoff
	StateError                // the last sync failed for a reason a person must see
)

var stateNames = [...]string{"off", "idle", "syncing", "synced", "offline", "error"}

func (s State) String() string {
	if int(s) < len(stateNames) {
		return stateNames[s]
	}
	return "unknown"
}

// Status is a snapshot for the UI and `valv-cli sync --status`.
type Status struct {
	State    State
	Err      error // StateOffline, StateError: why
	LastSync time.Time
	Pending  int
	// PasswordChanged: the master password was changed on another device.
	PasswordChanged bool
	Last            Report
	// Files is the background sync of attached files.
	Files FileStatus
}

// FileStatus is the state of the background file sync, in chunks (1 MiB each).
type FileStatus struct {
	ToUpload, ToDownload int
	Err                  error // the last round's failure (ErrFileLimit, offline, …), or nil
	Last                 FileReport
}

// Timing of a Runner. Debounce gathers a burst of edits into one push; Interval pulls
// others' changes now and then; backoff grows while offline so a dead network costs
// nothing.
const (
	Debounce   = 2 * time.Second
	Interval   = 5 * time.Minute
	backoffMin = 5 * time.Second
	backoffMax = 5 * time.Minute
)

// Runner runs an Engine in the background: at start (unlock), after local changes
// (debounced), on a timer, and on demand; it backs off while offline and never runs
// while the vault is locked.
type Runner struct {
	e      *Engine
	v      *vault.Vault
	notify func(Status)
	// Debounce and Interval default to the package constants; tests shorten them.
	Debounce, Interval time.Duration

	// after makes every wait of the runner (time.After; tests substitute a clock they
	// drive, so they measure the back-off instead of sleeping through it).
	after func(time.Duration) <-chan time.Time

	mu      sync.Mutex
	status  Status
	trigger chan struct{}
	files   chan struct{} // a file round is due (after an item sync)
}

// NewRunner returns a runner for e; notify (may be nil) is called after every change of
// status, on the runner's goroutine.
func NewRunner(e *Engine, notify func(Status)) *Runner {
	return &Runner{e: e, v: e.v, notify: notify, trigger: make(chan struct{}, 1), files: make(chan struct{}, 1),
		Debounce: Debounce, Interval: Interval, after: time.After}
}

// Status returns the current status.
func (r *Runner) Status() Status {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.status
}

// SyncNow asks for a sync as soon as possible (the "Sync now" button); entries held
// back for the plan's limit are offered to the cloud again, as the person may have
// changed the plan.
func (r *Runner) SyncNow() {
	r.e.RetryEntryLimit()
	select {
	case r.trigger <- struct{}{}:
	default:
	}
}

func (r *Runner) set(f func(*Status)) {
	r.mu.Lock()
	f(&r.status)
	s := r.status
	r.mu.Unlock()
	if r.notify != nil {
		r.notify(s)
	}
}

// Run syncs until ctx ends.
func (r *Runner) Run(ctx context.Context) {
	changed := make(chan struct{}, 1)
	cancel := r.v.Subscribe(func() {
		select {
		case changed <- struct{}{}:
		default:
		}
	})
	defer cancel()
	if _, err := r.e.chunkRemote(); err == nil {
		done := make(chan struct{})
		defer func() { <-done }()
		go func() {
			defer close(done)
			r.runFiles(ctx)
		}()
	}
	backoff := time.Duration(0)
	start := make(chan time.Time, 1)
	start <- time.Time{} // sync at start
	var wake <-chan time.Time = start
	skipped := false // the last turn did not sync: locked, or sync off
	for {
		select {
		case <-ctx.Done():
			return
		case <-r.trigger:
		case <-wake:
		case <-changed:
			// Debounce: wait for the burst of changes to end.
			select {
			case <-ctx.Done():
				return
			case <-r.after(r.Debounce):
			}
			select {
			case <-changed:
			default:
			}
			// A change with nothing to push (a pull applied) is no news for the cloud:
			// no sync for it. After a turn that did not sync (an unlock, sync turned
			// on) it syncs anyway; a lock goes on to note the turn skipped.
			if n, err := r.v.PendingCount(); err == nil && n == 0 && !skipped && !r.v.Locked() {
				continue
			}
		}
		next := r.Interval
		skipped = true
		if !r.v.Locked() {
			if st, err := r.v.SyncState(); err == nil && st.Linked && st.Enabled {
				next = r.once(ctx, &backoff)
				skipped = false
			} else {
				r.set(func(s *Status) { s.State = StateOff })
			}
		}
		wake = r.after(next)
	}
}

// once runs one sync and returns when to run the next.
func (r *Runner) once(ctx context.Context, backoff *time.Duration) time.Duration {
	r.set(func(s *Status) { s.State, s.Err = StateSyncing, nil })
	rep, err := r.e.SyncOnce(ctx)
	pending, _ := r.v.PendingCount()
	st, _ := r.v.SyncState()
	switch {
	case err == nil:
		*backoff = 0
		r.set(func(s *Status) {
			s.State, s.Err, s.LastSync, s.Pending, s.Last, s.PasswordChanged = StateSynced, nil, st.LastSync, pending, rep, rep.PasswordChanged
		})
		r.filesDue()
		return r.Interval
	case errors.Is(err, ErrEntryLimit):
		// Synced but for the new entries the plan has no room for: said, not retried
		// until something changes (the engine remembers the refusal).
		*backoff = 0
		r.set(func(s *Status) {
			s.State, s.Err, s.LastSync, s.Pending, s.Last = StateError, err, st.LastSync, pending, rep
		})
		r.filesDue()
		return r.Interval
	case isNetwork(err):
		*backoff = nextBackoff(*backoff)
		r.set(func(s *Status) { s.State, s.Err, s.Pending = StateOffline, err, pending })
		return *backoff
	default:
		r.set(func(s *Status) { s.State, s.Err, s.Pending = StateError, err, pending })
		return r.Interval
	}
}

// isNetwork tells failures worth retrying quietly (the client marks them Retryable)
// from ones a person must act on.
func isNetwork(err error) bool {
	var r interface{ Retryable() bool }
	return errors.As(err, &r) && r.Retryable() || errors.Is(err, context.DeadlineExceeded)
}

// nextBackoff is how long to wait after another failure while offline, having waited
// prev after the last: doubling from backoffMin up to backoffMax.
func nextBackoff(prev time.Duration) time.Duration {
	return min(max(prev*2, backoffMin), backoffMax)
}
