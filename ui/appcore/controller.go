package appcore

import (
	"errors"
	"log"
	"runtime/debug"
	"sync"

	"github.com/valvpm/valv/internal/secret"
	"github.com/valvpm/valv/vault"
)

// Stage is where the app is in its life: which screen the window should show.
type Stage int

// Stages, in the order a new user meets them.
const (
	StageOpenFailed Stage = iota // the vault could not be opened (in use, damaged…)
	StageNoVault                 // no vault yet: create a master password
	StageLocked                  // a vault exists and is locked
	StageUnlocked                // the vault is open and decrypted
)

// Options are what a Controller is made of. cmd/valv fills them in for the app; tests
// pass an inline Scheduler, a ManualClock and the cheapest allowed key derivation.
type Options struct {
	Path      string    // the vault file
	Settings  Settings  // as loaded from settings.json
	Scheduler Scheduler // zero: Inline
	Clipboard Clipboard // nil: copying does nothing
	Clock     Clock     // nil: System
	// KDF is the key derivation of a new vault; the zero value calibrates it on this
	// device.
	KDF vault.CreateOptions
	// IgnoreVaultChanges leaves OnItemsChanged silent. Tests set it: they drive every
	// change themselves and would otherwise see the list rebuilt in the middle of a
	// step.
	IgnoreVaultChanges bool
	// Accounts connect the app to Valv Accounts; nil: none (Run without connecting).
	Accounts *AccountOptions
	// Sync tunes the background sync.
	Sync SyncOptions
	// OpenedDir is the folder of the decrypted copies of open files; "": OpenedDir of
	// Path.
	OpenedDir string
}

// Controller holds the app's state apart from any widget: the open vault, whether it is
// locked, what the list shows, the clipboard guard and the auto-lock timer. Views read
// from it and call into it; it calls back through the On* hooks, always on the UI
// goroutine.
type Controller struct {
	path     string
	run      Scheduler
	clock    Clock
	settings Settings
	kdf      vault.CreateOptions
	watch    bool

	mu       sync.Mutex
	v        *vault.Vault
	openErr  error
	category Category
	query    string
	items    []*vault.Item
	busy     bool
	cancel   func()
	// downloadOffered: the account's vault was offered to this device with none, this
	// run (AfterConnect).
	downloadOffered bool
	br              *browserLink // the browser server, while it runs (browser.go)

	lockTimer Timer
	clip      *clipboardGuard
	acct      *Accounts   // Valv Account; nil until SetAccounts
	cloud     cloudSync   // sync with the account's cloud vault (sync.go)
	opened    openedFiles // decrypted copies of open files (openedfiles.go)

	// OnLocked is called after the vault was locked (by the person or by auto-lock).
	OnLocked func()
	// OnItemsChanged is called when the vault changed behind the current screen (the
	// sync runner pulled a change).
	OnItemsChanged func()
}

// New prepares a controller for the vault file at o.Path; call Open next.
func New(o Options) *Controller {
	c := &Controller{
		path:     o.Path,
		run:      o.Scheduler.orInline(),
		clock:    o.Clock,
		settings: o.Settings,
		kdf:      o.KDF,
		watch:    !o.IgnoreVaultChanges,
	}
	if c.clock == nil {
		c.clock = System
	}
	c.cloud.opt = o.Sync
	c.opened.root = o.OpenedDir
	if c.opened.root == "" {
		c.opened.root = OpenedDir(o.Path)
	}
	c.clip = newClipboardGuard(o.Clipboard, c.run.OnUI, c.clock)
	if o.Accounts != nil {
		c.SetAccounts(*o.Accounts)
	}
	return c
}

// Path is the vault file the controller opens.
func (c *Controller) Path() string { return c.path }

// Clock is the controller's clock.
func (c *Controller) Clock() Clock { return c.clock }

// OnUI runs f on the UI goroutine (after the current event, in the app).
func (c *Controller) OnUI(f func()) { c.run.OnUI(f) }

// Open opens the vault file (locked). It never fails: a problem is kept and reported by
// Stage and OpenError so the window can say it in a sentence.
func (c *Controller) Open() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.v != nil {
		return
	}
	v, err := vault.Open(c.path)
	c.openErr = nil
	switch {
	case err == nil:
		c.v = v
		c.subscribe()
		c.clearOpened() // copies a crashed Valv left behind
	case errors.Is(err, vault.ErrNoVault):
	default:
		c.openErr = err
	}
}

func (c *Controller) subscribe() {
	c.br.vaultSet() // another vault is in place: the browsers hear of it (browser.go)
	if !c.watch || c.v == nil {
		return
	}
	c.cancel = c.v.Subscribe(func() {
		c.run.OnUI(func() {
			if c.OnItemsChanged != nil && !c.Locked() {
				c.refresh()
				c.OnItemsChanged()
			}
		})
	})
}

// Stage reports which screen the app should show.
func (c *Controller) Stage() Stage {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.openErr != nil:
		return StageOpenFailed
	case c.v == nil:
		return StageNoVault
	case c.v.Locked():
		return StageLocked
	}
	return StageUnlocked
}

// OpenError is why the vault could not be opened, or nil.
func (c *Controller) OpenError() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.openErr
}

// Locked reports whether there is no decrypted vault.
func (c *Controller) Locked() bool { return c.Stage() != StageUnlocked }

// Busy reports whether a key derivation is running.
func (c *Controller) Busy() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.busy
}

// Settings returns the current settings.
func (c *Controller) Settings() Settings {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.settings
}

// UpdateSettings applies and saves new settings.
func (c *Controller) UpdateSettings(s Settings) error {
	c.mu.Lock()
	c.settings = s
	c.mu.Unlock()
	c.Touch()
	return s.Save()
}

// vault returns the open vault (locked or not), or nil.
func (c *Controller) vault() *vault.Vault {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.v
}

// Unlocked returns the open, unlocked vault, or vault.ErrLocked.
func (c *Controller) Unlocked() (*vault.Vault, error) {
	v := c.vault()
	if v == nil || v.Locked() {
		return nil, vault.ErrLocked
	}
	return v, nil
}

// slow runs work in the background and done with its error on the UI goroutine,
// refusing to start a second key derivation while one runs.
func (c *Controller) slow(work func() error, done func(error)) {
	if !c.claim() {
		return
	}
	c.run.Background(func() {
		err := work()
		c.release()
		c.run.OnUI(func() { done(err) })
	})
}

// claim marks a key derivation as running; it reports false when one already runs.
func (c *Controller) claim() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.busy {
		return false
	}
	c.busy = true
	return true
}

// release ends what claim started. Argon2id just used 64 MiB or more that the Go
// runtime would otherwise keep for minutes; it goes back to the system first, so the
// app's footprint stays small while it runs.
func (c *Controller) release() {
	debug.FreeOSMemory()
	c.mu.Lock()
	c.busy = false
	c.mu.Unlock()
}

// Create makes a new vault protected by password, which is wiped afterwards. done is
// called on the UI goroutine; the vault is unlocked when err is nil.
func (c *Controller) Create(password []byte, done func(error)) {
	c.slow(func() error {
		defer secret.Wipe(password)
		v, err := vault.Create(c.path, password, c.kdf)
		if err != nil {
			return err
		}
		c.mu.Lock()
		c.v, c.openErr = v, nil
		c.subscribe()
		c.mu.Unlock()
		c.clearOpened()
		return nil
	}, func(err error) {
		if err == nil {
			c.afterUnlock()
		}
		done(err)
	})
}

// Unlock opens the vault with password, which is wiped afterwards.
func (c *Controller) Unlock(password []byte, done func(error)) {
	v := c.vault()
	if v == nil {
		secret.Wipe(password)
		done(vault.ErrNoVault)
		return
	}
	c.slow(func() error {
		defer secret.Wipe(password)
		return v.Unlock(password)
	}, func(err error) {
		if err == nil {
			c.afterUnlock()
		}
		done(err)
	})
}

// ChangeMasterPassword re-protects the vault; both passwords are wiped afterwards.
func (c *Controller) ChangeMasterPassword(oldPW, newPW []byte, done func(error)) {
	v := c.vault()
	if v == nil {
		secret.Wipe(oldPW)
		secret.Wipe(newPW)
		done(vault.ErrLocked)
		return
	}
	c.slow(func() error {
		defer secret.Wipe(oldPW)
		defer secret.Wipe(newPW)
		return v.ChangeMasterPassword(oldPW, newPW)
	}, done)
}

func (c *Controller) afterUnlock() {
	c.mu.Lock()
	c.category, c.query = CatAll, ""
	c.mu.Unlock()
	c.refresh()
	c.Touch()
	c.StartSync() // sync runs while the vault is unlocked
}

// Lock drops every decrypted item, clears the clipboard if it still holds a secret we
// put there, and tells the view.
func (c *Controller) Lock() {
	c.mu.Lock()
	v := c.v
	c.items = nil
	c.query = ""
	c.stopLockTimer()
	c.mu.Unlock()
	c.StopSync() // a locked vault has nothing to sync
	// Before the vault wipes its secrets: what was copied may be one of them, and the
	// clipboard is recognised as ours by its content.
	c.clip.clearIfOurs()
	if v != nil {
		v.Lock()
	}
	c.clearOpened()
	if c.OnLocked != nil {
		c.OnLocked()
	}
	// Decrypted items are Go strings, which cannot be wiped; once the views have
	// dropped them, a collection frees them and returning the free pages to the system
	// (MADV_DONTNEED: they read back as zeros) erases those that filled whole pages.
	debug.FreeOSMemory()
}

// Damaged reports how many items failed to decrypt at unlock (left untouched on disk).
func (c *Controller) Damaged() int {
	v := c.vault()
	if v == nil {
		return 0
	}
	return len(v.Damaged())
}

// Copy puts a value on the clipboard and arranges for it to be cleared after the
// configured delay, if the clipboard still holds it then.
func (c *Controller) Copy(value string) {
	c.Touch()
	c.clip.copy(value, c.Settings().ClipboardDelay())
}

// Close locks and closes the vault (on quit) and stops the timers.
func (c *Controller) Close() error {
	c.StopSync()
	c.mu.Lock()
	v := c.v
	c.v = nil
	c.stopLockTimer()
	if c.cancel != nil {
		c.cancel()
	}
	c.items = nil
	c.mu.Unlock()
	c.clip.clearIfOurs()
	if v == nil {
		// Never opened (a second Valv, refused): the copies are another Valv's.
		return nil
	}
	return errors.Join(c.opened.clear(), v.Close())
}

// clearOpened removes the decrypted copies of open files. A copy that cannot be
// removed (held open by a program on Windows) is logged, not fatal: the next lock or
// start tries again.
func (c *Controller) clearOpened() {
	if err := c.opened.clear(); err != nil {
		log.Printf("valv: removing the copies of opened files: %v", err)
	}
}
