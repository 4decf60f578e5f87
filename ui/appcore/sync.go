package appcore

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/valvpm/valv/account"
	cloudsync "github.com/valvpm/valv/sync"
	"github.com/valvpm/valv/vault"
)

// The controller's part of sync (PRODUCT.md §3): one cloudsync.Runner per unlocked,
// linked vault of a signed-in account, started at unlock and stopped at lock, sign-out
// and close. Every network call and key derivation runs off the UI goroutine; results
// come back on it. Linking a vault to the account's cloud vault is in link.go.

// Errors of the linking the person must act on. They are shown through Message and the
// status line; none carries a secret.
var (
	// ErrNeedMasterPassword: the account had a vault before (cleared or reset), so
	// linking this one re-protects its key for the account's next key epoch, which
	// needs the master password.
	ErrNeedMasterPassword = errors.New("linking this vault needs its master password")
	// ErrOtherAccount: the vault syncs with another Valv Account than the one signed in.
	ErrOtherAccount = errors.New("this vault syncs with another Valv Account")
)

// SyncOptions tune the background sync; the zero value is the app's.
type SyncOptions struct {
	// Debounce and Interval replace the runner's (cloudsync.Runner) when set.
	Debounce, Interval time.Duration
	// OnUI delivers the runner's news; nil: the Scheduler's OnUI. The runner lives on
	// its own goroutine, so tests that run everything else inline queue its news here
	// and run it on the test goroutine.
	OnUI func(func())
	// NoLive leaves out the live long poll. Tests that wait for the report of one
	// particular sync set it: the notice of the device's own push starts one more sync
	// (it pulls the push back, to move the cursor), whose report would replace it.
	NoLive bool
}

// cloudSync is the Controller's sync state. The zero value is ready: sync off.
type cloudSync struct {
	opt SyncOptions

	mu     sync.Mutex
	gen    int // bumped by every start and stop, so a stopped runner's news is dropped
	runner *cloudsync.Runner
	stop   context.CancelFunc
	status cloudsync.Status
	// listener is the status line of the main window (one at a time); it is called on
	// the UI goroutine after every change of status.
	listener func(cloudsync.Status)
	// opened is the problem whose dialog was opened last (ProblemToOpen).
	opened Problem
	// held are the entries the plan's entry limit keeps on this computer, as the last
	// finished sync said. They stay held while the next sync runs (its status carries
	// no error yet), and are let go when a sync succeeds or sync stops.
	held *cloudsync.LimitError
}

// SyncStatus returns what the status line shows.
func (c *Controller) SyncStatus() cloudsync.Status {
	c.cloud.mu.Lock()
	defer c.cloud.mu.Unlock()
	return c.cloud.status
}

// ListenSync makes f the receiver of status changes (nil: none) and returns the
// current status.
func (c *Controller) ListenSync(f func(cloudsync.Status)) cloudsync.Status {
	c.cloud.mu.Lock()
	defer c.cloud.mu.Unlock()
	c.cloud.listener = f
	return c.cloud.status
}

// syncGen is the current start/stop generation.
func (c *Controller) syncGen() int {
	c.cloud.mu.Lock()
	defer c.cloud.mu.Unlock()
	return c.cloud.gen
}

// setSyncStatus changes the status through f (unless gen is stale) and tells the
// status line. The news goes through OnUI even when no line listens, so whoever waits
// on the UI goroutine's queue learns of every change.
func (c *Controller) setSyncStatus(gen int, f func(*cloudsync.Status)) {
	c.cloud.mu.Lock()
	if gen != c.cloud.gen {
		c.cloud.mu.Unlock()
		return
	}
	f(&c.cloud.status)
	st, l, onUI := c.cloud.status, c.cloud.listener, c.cloud.opt.OnUI
	if le, ok := errors.AsType[*cloudsync.LimitError](st.Err); ok {
		c.cloud.held = le
	} else if st.State == cloudsync.StateSynced || st.State == cloudsync.StateOff {
		c.cloud.held = nil
	}
	c.cloud.mu.Unlock()
	if onUI == nil {
		onUI = c.run.OnUI
	}
	onUI(func() {
		if l != nil {
			l(st)
		}
	})
}

// SignedInClient returns the signed-in account client, or nil.
func (c *Controller) SignedInClient() *account.Client {
	cl, err := c.AccountClient()
	if err != nil || !cl.SignedIn() {
		return nil
	}
	return cl
}

// StopSync ends the runner (lock, sign-out, close, a vault swapped, a dangerous action
// under way) and shows sync off.
func (c *Controller) StopSync() {
	c.cloud.mu.Lock()
	if c.cloud.stop != nil {
		c.cloud.stop()
	}
	c.cloud.gen++
	c.cloud.stop, c.cloud.runner = nil, nil
	gen := c.cloud.gen
	c.cloud.mu.Unlock()
	c.setSyncStatus(gen, func(s *cloudsync.Status) { *s = cloudsync.Status{State: cloudsync.StateOff} })
}

// StartSync is called when the vault is unlocked (and after sign-in, sync turned on, a
// vault swapped, a dangerous action done): it starts the runner for a linked vault, or
// links an unlinked one (upload to an empty cloud; another vault in the cloud is
// reported as cloudsync.ErrOtherVault for the person to choose).
func (c *Controller) StartSync() {
	c.StopSync()
	v, _ := c.Unlocked()
	cl := c.SignedInClient()
	if v == nil || cl == nil {
		return
	}
	st, err := v.SyncState()
	switch {
	case err != nil:
		c.syncFailed(err)
	case st.Linked && !st.Enabled:
		// Turned off in Settings: stays off.
	case st.Linked && st.Account != "" && !strings.EqualFold(st.Account, cl.Email()):
		c.syncFailed(ErrOtherAccount)
	case st.Linked:
		c.runSync(v, cl)
	default:
		c.Link(nil, func(error) {})
	}
}

// syncFailed shows err on the status line without a runner.
func (c *Controller) syncFailed(err error) {
	state := cloudsync.StateError
	if IsOffline(err) {
		state = cloudsync.StateOffline
	}
	c.setSyncStatus(c.syncGen(), func(s *cloudsync.Status) { s.State, s.Err = state, err })
}

// IsOffline tells network trouble (retry later, quietly) from what a person must see.
func IsOffline(err error) bool {
	var r interface{ Retryable() bool }
	return errors.As(err, &r) && r.Retryable() || errors.Is(err, context.DeadlineExceeded) ||
		errors.Is(err, account.ErrOffline) || errors.Is(err, account.ErrServerUnreachable)
}

// runSync starts the background runner for a linked vault.
func (c *Controller) runSync(v *vault.Vault, cl *account.Client) {
	e := cloudsync.New(v, cl)
	ctx, cancel := context.WithCancel(context.Background())
	c.cloud.mu.Lock()
	if c.cloud.stop != nil {
		c.cloud.stop()
	}
	c.cloud.gen++
	gen := c.cloud.gen
	r := cloudsync.NewRunner(e, func(st cloudsync.Status) {
		c.setSyncStatus(gen, func(s *cloudsync.Status) { *s = st })
	})
	if c.cloud.opt.Debounce > 0 {
		r.Debounce = c.cloud.opt.Debounce
	}
	if c.cloud.opt.Interval > 0 {
		r.Interval = c.cloud.opt.Interval
	}
	c.cloud.runner, c.cloud.stop = r, cancel
	c.cloud.mu.Unlock()
	c.planRoom(v, cl)
	// The runner is a loop for the life of the unlock, not a piece of work: it gets its
	// own goroutine even where the Scheduler runs work inline (tests).
	go r.Run(ctx)
	if !c.cloud.opt.NoLive {
		go r.Live(ctx, cl) // a change on another device syncs at once; Interval stays the safety net
	}
}

// SyncNow is the status line's Sync now: a sync at once, or linking again when there
// is no runner (offline at unlock, or a problem the person has since solved).
func (c *Controller) SyncNow() {
	c.cloud.mu.Lock()
	r := c.cloud.runner
	c.cloud.mu.Unlock()
	if r != nil {
		if v, _ := c.Unlocked(); v != nil {
			if cl := c.SignedInClient(); cl != nil {
				c.planRoom(v, cl) // the person may have changed the plan
			}
		}
		r.SyncNow()
		return
	}
	c.StartSync()
}

// planRoom asks the cloud how many bytes of files the account's plan keeps
// (max_attachment_bytes) and gives it to the vault, which then refuses a file that
// would not fit as it is added, in a sentence naming the room, rather than at upload.
// Offline, the vault keeps what it was told last; the cloud still refuses what does
// not fit.
func (c *Controller) planRoom(v *vault.Vault, cl *account.Client) {
	var subs *account.Subscriptions
	var err error
	c.Background(func(ctx context.Context) {
		subs, err = cl.Subscriptions(ctx)
	}, func() {
		if err == nil {
			v.SetAttachmentLimit(subs.Effective.MaxAttachmentBytes)
		}
	})
}

// SetSyncEnabled turns sync on or off (Settings). Off keeps the link: turning it on
// again carries on from where it stopped.
func (c *Controller) SetSyncEnabled(on bool) error {
	v, err := c.Unlocked()
	if err != nil {
		return err
	}
	st, err := v.SyncState()
	if err != nil {
		return err
	}
	if st.Linked {
		st.Enabled = on
		if err := v.SetSyncState(st); err != nil {
			return err
		}
	}
	if on {
		c.StartSync()
	} else {
		c.StopSync()
	}
	return nil
}

// SyncInfo is what Settings shows of the vault's link.
func (c *Controller) SyncInfo() (st vault.SyncState, ok bool) {
	v, err := c.Unlocked()
	if err != nil {
		return st, false
	}
	st, err = v.SyncState()
	return st, err == nil
}
