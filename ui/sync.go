package ui

import (
	"context"
	"errors"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/valvpm/valv/account"
	"github.com/valvpm/valv/cloud/api"
	cloudsync "github.com/valvpm/valv/sync"
	"github.com/valvpm/valv/vault"
)

// The controller's part of sync (issue 6, PRODUCT.md §3): one cloudsync.Runner per
// unlocked, linked vault of a signed-in account, started at unlock and stopped at lock,
// sign-out and close; and the linking of a vault to the account's cloud vault. Every
// network call and key derivation runs off the UI goroutine; results come back on it.

// syncTimeout bounds one linking or dangerous action. It is longer than networkTimeout
// because a first upload or download may move thousands of items.
const syncTimeout = 10 * time.Minute

// Errors of the linking the person must act on. They are shown through errorText and
// the status line; none carries a secret.
var (
	// errNeedMasterPassword: the account had a vault before (cleared or reset), so
	// linking this one re-protects its key for the account's next key epoch, which
	// needs the master password.
	errNeedMasterPassword = errors.New("linking this vault needs its master password")
	// errOtherAccount: the vault syncs with another Valv Account than the one signed in.
	errOtherAccount = errors.New("this vault syncs with another Valv Account")
)

// cloudSync is the Controller's sync state. The zero value is ready: sync off.
type cloudSync struct {
	mu     sync.Mutex
	gen    int // bumped by every start and stop, so a stopped runner's news is dropped
	runner *cloudsync.Runner
	engine *cloudsync.Engine
	stop   context.CancelFunc
	status cloudsync.Status
	// listener is the status line of the main window (one at a time); it is called on
	// the UI goroutine after every change of status.
	listener func(cloudsync.Status)

	// Test knobs: onUI replaces the controller's OnUI for the runner's news (tests queue
	// it and run it on the test goroutine); debounce and interval shorten the runner's.
	onUI               func(func())
	debounce, interval time.Duration
}

// SyncStatus returns what the status line shows.
func (c *Controller) SyncStatus() cloudsync.Status {
	c.cloud.mu.Lock()
	defer c.cloud.mu.Unlock()
	return c.cloud.status
}

// listenSync makes f the receiver of status changes (nil: none) and returns the
// current status.
func (c *Controller) listenSync(f func(cloudsync.Status)) cloudsync.Status {
	c.cloud.mu.Lock()
	defer c.cloud.mu.Unlock()
	c.cloud.listener = f
	return c.cloud.status
}

// setSyncStatus records st (unless gen is stale) and tells the status line.
func (c *Controller) setSyncStatus(gen int, f func(*cloudsync.Status)) {
	c.cloud.mu.Lock()
	if gen != c.cloud.gen {
		c.cloud.mu.Unlock()
		return
	}
	f(&c.cloud.status)
	st, l, onUI := c.cloud.status, c.cloud.listener, c.cloud.onUI
	c.cloud.mu.Unlock()
	if onUI == nil {
		onUI = c.run.OnUI
	}
	if l != nil {
		onUI(func() { l(st) })
	}
}

// openVault returns the vault when it is open and unlocked.
func (c *Controller) openVault() *vault.Vault {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.v == nil || c.v.Locked() {
		return nil
	}
	return c.v
}

// signedInClient returns the signed-in account client, or nil.
func (c *Controller) signedInClient() *account.Client {
	cl, err := c.AccountClient()
	if err != nil || !cl.SignedIn() {
		return nil
	}
	return cl
}

// stopSync ends the runner (lock, sign-out, close, a vault swapped) and shows sync off.
func (c *Controller) stopSync() {
	c.cloud.mu.Lock()
	if c.cloud.stop != nil {
		c.cloud.stop()
	}
	c.cloud.gen++
	c.cloud.stop, c.cloud.runner, c.cloud.engine = nil, nil, nil
	gen := c.cloud.gen
	c.cloud.mu.Unlock()
	c.setSyncStatus(gen, func(s *cloudsync.Status) { *s = cloudsync.Status{State: cloudsync.StateOff} })
}

// startSync is called when the vault is unlocked (and after sign-in, sync turned on, a
// vault swapped): it starts the runner for a linked vault, or links an unlinked one
// (linking case a: upload to an empty cloud; case c is reported as ErrOtherVault).
func (c *Controller) startSync() {
	c.stopSync()
	v, cl := c.openVault(), c.signedInClient()
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
		c.syncFailed(errOtherAccount)
	case st.Linked:
		c.runSync(v, cl)
	default:
		c.link(nil, func(error) {})
	}
}

// syncFailed shows err on the status line without a runner.
func (c *Controller) syncFailed(err error) {
	c.cloud.mu.Lock()
	gen := c.cloud.gen
	c.cloud.mu.Unlock()
	state := cloudsync.StateError
	if isOffline(err) {
		state = cloudsync.StateOffline
	}
	c.setSyncStatus(gen, func(s *cloudsync.Status) { s.State, s.Err = state, err })
}

// isOffline tells network trouble (retry later, quietly) from what a person must see.
func isOffline(err error) bool {
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
	if c.cloud.debounce > 0 {
		r.Debounce = c.cloud.debounce
	}
	if c.cloud.interval > 0 {
		r.Interval = c.cloud.interval
	}
	c.cloud.runner, c.cloud.engine, c.cloud.stop = r, e, cancel
	c.cloud.mu.Unlock()
	// The runner is a loop for the life of the unlock, not a piece of work: it gets its
	// own goroutine even where the app's Runner runs work inline (tests).
	go r.Run(ctx)
}

// SyncNow is the status line's Sync now: a sync at once, or linking again when there
// is no runner (offline at unlock, or a problem the person has since solved).
func (c *Controller) SyncNow() {
	c.cloud.mu.Lock()
	r := c.cloud.runner
	c.cloud.mu.Unlock()
	if r != nil {
		r.SyncNow()
		return
	}
	c.startSync()
}

// syncWork runs a sync step (network and key derivation) in the background and done
// with its error on the UI goroutine. Like slow, it refuses to start while another key
// derivation runs, and hands Argon2id's memory back afterwards.
func (c *Controller) syncWork(work func(ctx context.Context) error, done func(error)) {
	c.mu.Lock()
	if c.busy {
		c.mu.Unlock()
		done(errBusy)
		return
	}
	c.busy = true
	c.mu.Unlock()
	var err error
	c.backgroundFor(syncTimeout, func(ctx context.Context) {
		err = work(ctx)
		debug.FreeOSMemory()
		c.mu.Lock()
		c.busy = false
		c.mu.Unlock()
	}, func() { done(err) })
}

// errBusy: a second long step was asked for while one runs (a double click).
var errBusy = errors.New("another step is still running")

// link links the unlocked vault to the signed-in account: SyncOnce first (nothing to do
// if it is already the cloud's vault), else Upload to an empty cloud (case a). password
// is needed only when the account had a vault before; without it link reports
// errNeedMasterPassword. ErrOtherVault (case c) is reported for the person to choose.
func (c *Controller) link(password []byte, done func(error)) {
	v, cl := c.openVault(), c.signedInClient()
	if v == nil || cl == nil {
		wipe(password)
		done(account.ErrNotSignedIn)
		return
	}
	c.cloud.mu.Lock()
	gen := c.cloud.gen
	c.cloud.mu.Unlock()
	c.setSyncStatus(gen, func(s *cloudsync.Status) { s.State, s.Err = cloudsync.StateSyncing, nil })
	c.syncWork(func(ctx context.Context) error {
		defer wipe(password)
		e := cloudsync.New(v, cl)
		_, err := e.SyncOnce(ctx)
		if errors.Is(err, cloudsync.ErrNotLinked) {
			_, err = e.Upload(ctx, password)
			if errors.Is(err, vault.ErrWrongPassword) && len(password) == 0 {
				err = errNeedMasterPassword
			}
		}
		if err != nil {
			return err
		}
		return c.rememberAccount(v, cl)
	}, func(err error) {
		switch {
		case err == nil:
			c.runSync(v, cl)
		case isOffline(err):
			c.syncFailed(err)
			c.retryLink()
		default:
			c.syncFailed(err)
		}
		done(err)
	})
}

// linkRetry is how long a vault unlocked while offline waits before linking again (the
// runner has its own backoff once linked).
const linkRetry = time.Minute

// retryLink tries linking again after linkRetry, unless sync was stopped or started
// meanwhile (a lock, sign-out or Sync now).
func (c *Controller) retryLink() {
	c.cloud.mu.Lock()
	gen := c.cloud.gen
	c.cloud.mu.Unlock()
	time.AfterFunc(linkRetry, func() {
		c.run.OnUI(func() {
			c.cloud.mu.Lock()
			same := c.cloud.gen == gen && c.cloud.runner == nil
			c.cloud.mu.Unlock()
			if same {
				c.startSync()
			}
		})
	})
}

// rememberAccount notes which account and server the vault syncs with, for the status
// line and for noticing a different account later.
func (c *Controller) rememberAccount(v *vault.Vault, cl *account.Client) error {
	st, err := v.SyncState()
	if err != nil {
		return err
	}
	st.Server, st.Account = cl.BaseURL(), cl.Email()
	return v.SetSyncState(st)
}

// SetSyncEnabled turns sync on or off (Settings). Off keeps the link: turning it on
// again carries on from where it stopped.
func (c *Controller) SetSyncEnabled(on bool) error {
	v := c.openVault()
	if v == nil {
		return vault.ErrLocked
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
		c.startSync()
	} else {
		c.stopSync()
	}
	return nil
}

// SyncInfo is what Settings shows of the vault's link.
func (c *Controller) SyncInfo() (st vault.SyncState, ok bool) {
	v := c.openVault()
	if v == nil {
		return st, false
	}
	st, err := v.SyncState()
	return st, err == nil
}

// swapVault puts nv in place of the vault a sync action closed (the cloud's vault was
// downloaded, merged into, or reset) and starts syncing it.
func (c *Controller) swapVault(nv *vault.Vault) {
	c.mu.Lock()
	if c.cancel != nil {
		c.cancel()
		c.cancel = nil
	}
	c.v, c.openErr = nv, nil
	c.subscribe()
	c.mu.Unlock()
	if nv != nil && !nv.Locked() {
		c.afterUnlock()
	}
}

// CloudVaultExists reports, in the background, whether the signed-in account has a
// vault in the cloud (after sign-in on a device with no vault: download or create?).
func (c *Controller) CloudVaultExists(done func(bool, error)) {
	cl := c.signedInClient()
	if cl == nil {
		done(false, account.ErrNotSignedIn)
		return
	}
	var exists bool
	var err error
	c.backgroundFor(networkTimeout, func(ctx context.Context) {
		_, err = cl.VaultHeader(ctx)
		if apiCodeOf(err) == api.CodeVaultNotFound {
			err = nil
			return
		}
		exists = err == nil
	}, func() { done(exists, err) })
}

// apiCodeOf returns the server's error code in err, if any.
func apiCodeOf(err error) api.Code {
	var c interface{ APICode() api.Code }
	if errors.As(err, &c) {
		return c.APICode()
	}
	return ""
}

// DownloadVault is linking case b: this device has no vault; the account's comes down
// and is unlocked with its master password (wiped afterwards).
func (c *Controller) DownloadVault(password []byte, done func(error)) {
	cl := c.signedInClient()
	if cl == nil {
		wipe(password)
		done(account.ErrNotSignedIn)
		return
	}
	var nv *vault.Vault
	c.syncWork(func(ctx context.Context) error {
		defer wipe(password)
		var err error
		// A vault that came down part way is kept: the next sync completes it.
		nv, _, err = cloudsync.Download(ctx, cl, c.path, password, cl.BaseURL(), cl.Email())
		if nv != nil && !isOffline(err) {
			return nil
		}
		return err
	}, func(err error) {
		if nv != nil {
			c.swapVault(nv)
		}
		done(err)
	})
}

// checkCloudPassword reports whether password opens the account's cloud vault, before
// a step that would otherwise close the local vault on a typo (KeepCloud reopens it
// locked when the download fails).
func checkCloudPassword(ctx context.Context, cl *account.Client, password []byte) error {
	return cloudsync.CheckCloudPassword(ctx, cl, password)
}

// KeepCloud is linking case c's "keep the cloud vault", and the way on after the cloud
// vault was replaced or reset elsewhere: this vault becomes a backup, the cloud's comes
// down. done gets the backup's path.
func (c *Controller) KeepCloud(cloudPassword []byte, done func(backup string, err error)) {
	c.resolve(cloudPassword, func(ctx context.Context, v *vault.Vault, cl *account.Client, dir string) (*vault.Vault, string, error) {
		return cloudsync.KeepCloud(ctx, v, cl, cloudPassword, dir, cl.BaseURL(), cl.Email())
	}, func(backup string, _ int, err error) { done(backup, err) })
}

// Merge is linking case c's "merge": this vault's items go into the cloud vault, this
// vault is kept as a backup. done gets the backup's path and how many items were added.
func (c *Controller) Merge(cloudPassword []byte, done func(backup string, added int, err error)) {
	var added int
	c.resolve(cloudPassword, func(ctx context.Context, v *vault.Vault, cl *account.Client, dir string) (*vault.Vault, string, error) {
		nv, backup, n, err := cloudsync.Merge(ctx, v, cl, cloudPassword, dir, cl.BaseURL(), cl.Email())
		added = n
		return nv, backup, err
	}, func(backup string, _ int, err error) { done(backup, added, err) })
}

// resolve runs KeepCloud or Merge: the cloud password is checked first, so a typo
// changes nothing; the vault that comes back takes the old one's place.
func (c *Controller) resolve(cloudPassword []byte, act func(ctx context.Context, v *vault.Vault, cl *account.Client, dir string) (*vault.Vault, string, error), done func(string, int, error)) {
	v, cl := c.openVault(), c.signedInClient()
	if v == nil || cl == nil {
		wipe(cloudPassword)
		done("", 0, account.ErrNotSignedIn)
		return
	}
	c.stopSync()
	var nv *vault.Vault
	var backup string
	c.syncWork(func(ctx context.Context) error {
		defer wipe(cloudPassword)
		if err := checkCloudPassword(ctx, cl, cloudPassword); err != nil {
			return err
		}
		dir, err := vault.BackupDir()
		if err != nil {
			return err
		}
		nv, backup, err = act(ctx, v, cl, dir)
		return err
	}, func(err error) {
		if nv != nil {
			c.swapVault(nv)
		} else if err != nil {
			c.startSync() // nothing changed: the status line shows the problem again
		}
		done(backup, 0, err)
	})
}

// AdoptPassword takes the master password changed on another device (wiped after).
func (c *Controller) AdoptPassword(password []byte, done func(error)) {
	v, cl := c.openVault(), c.signedInClient()
	if v == nil || cl == nil {
		wipe(password)
		done(account.ErrNotSignedIn)
		return
	}
	c.syncWork(func(ctx context.Context) error {
		defer wipe(password)
		return cloudsync.New(v, cl).AdoptPassword(ctx, password)
	}, func(err error) {
		if err == nil {
			c.startSync()
		}
		done(err)
	})
}
