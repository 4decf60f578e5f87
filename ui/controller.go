package ui

import (
	"errors"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/valvpm/valv/ui/appcore"
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

// Category is an entry of the sidebar.
type Category int

// Sidebar categories, in display order.
const (
	CatAll Category = iota
	CatLogin
	CatApp
	CatCard
	CatAddress
	CatNote
	CatFavourites
)

// Categories lists the sidebar in display order.
var Categories = []Category{CatAll, CatLogin, CatApp, CatCard, CatAddress, CatNote, CatFavourites}

// Filter returns the vault filter a category stands for.
func (c Category) Filter() vault.Filter {
	switch c {
	case CatLogin:
		return vault.Filter{Type: vault.TypeLogin}
	case CatApp:
		return vault.Filter{Type: vault.TypeApp}
	case CatCard:
		return vault.Filter{Type: vault.TypeCard}
	case CatAddress:
		return vault.Filter{Type: vault.TypeAddress}
	case CatNote:
		return vault.Filter{Type: vault.TypeNote}
	case CatFavourites:
		return vault.Filter{Favourites: true}
	}
	return vault.Filter{}
}

// Runner decides where work runs. The app runs slow work on a goroutine and brings
// results back with fyne.Do; tests run both inline so a flow is deterministic.
type Runner struct {
	Background func(func()) // runs slow work (key derivation) off the UI goroutine
	OnUI       func(func()) // runs a function on the UI goroutine
}

// Controller holds the app's state apart from any widget: the open vault, whether it is
// locked, what the list shows, the clipboard guard and the auto-lock timer. Views read
// from it and call into it; it calls back through the On* hooks, always on the UI
// goroutine.
type Controller struct {
	path     string
	run      Runner
	settings Settings
	kdf      vault.CreateOptions
	watch    bool // subscribe to vault changes (off in tests: they drive every change)

	mu       sync.Mutex
	v        *vault.Vault
	openErr  error
	category Category
	query    string
	items    []*vault.Item
	busy     bool
	cancel   func()

	lockTimer *time.Timer
	clip      *clipboardGuard
	acct      *appcore.Accounts // Valv Account; nil until SetAccounts
	cloud     cloudSync         // sync with the account's cloud vault (sync.go)

	// OnLocked is called after the vault was locked (by the person or by auto-lock).
	OnLocked func()
	// OnItemsChanged is called when the vault changed behind the current screen
	// (another part of the app, later the sync engine).
	OnItemsChanged func()
}

// NewController prepares a controller for the vault file at path; call Open next.
func NewController(path string, s Settings, run Runner, clip Clipboard) *Controller {
	c := &Controller{path: path, run: run, settings: s, watch: true}
	c.clip = newClipboardGuard(clip, run.OnUI)
	return c
}

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
	case errors.Is(err, vault.ErrNoVault):
	default:
		c.openErr = err
	}
}

func (c *Controller) subscribe() {
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

// slow runs work in the background and done with its error on the UI goroutine,
// refusing to start a second key derivation while one runs.
func (c *Controller) slow(work func() error, done func(error)) {
	c.mu.Lock()
	if c.busy {
		c.mu.Unlock()
		return
	}
	c.busy = true
	c.mu.Unlock()
	c.run.Background(func() {
		err := work()
		// Argon2id just used 64 MiB or more that the Go runtime would otherwise keep
		// for minutes; hand it back so the app's footprint stays small while it runs.
		debug.FreeOSMemory()
		c.mu.Lock()
		c.busy = false
		c.mu.Unlock()
		c.run.OnUI(func() { done(err) })
	})
}

// Create makes a new vault protected by password, which is wiped afterwards. done is
// called on the UI goroutine; the vault is unlocked when err is nil.
func (c *Controller) Create(password []byte, done func(error)) {
	c.slow(func() error {
		defer wipe(password)
		v, err := vault.Create(c.path, password, c.kdf)
		if err != nil {
			return err
		}
		c.mu.Lock()
		c.v, c.openErr = v, nil
		c.subscribe()
		c.mu.Unlock()
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
	c.mu.Lock()
	v := c.v
	c.mu.Unlock()
	if v == nil {
		wipe(password)
		done(vault.ErrNoVault)
		return
	}
	c.slow(func() error {
		defer wipe(password)
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
	c.mu.Lock()
	v := c.v
	c.mu.Unlock()
	if v == nil {
		wipe(oldPW)
		wipe(newPW)
		done(vault.ErrLocked)
		return
	}
	c.slow(func() error {
		defer wipe(oldPW)
		defer wipe(newPW)
		return v.ChangeMasterPassword(oldPW, newPW)
	}, done)
}

func (c *Controller) afterUnlock() {
	c.mu.Lock()
	c.category, c.query = CatAll, ""
	c.mu.Unlock()
	c.refresh()
	c.Touch()
	c.startSync() // sync runs while the vault is unlocked (sync.go)
}

// Lock drops every decrypted item, clears the clipboard if it still holds a secret we
// put there, and tells the view.
func (c *Controller) Lock() {
	c.mu.Lock()
	v := c.v
	c.items = nil
	c.query = ""
	if c.lockTimer != nil {
		c.lockTimer.Stop()
	}
	c.mu.Unlock()
	c.stopSync() // a locked vault has nothing to sync
	if v != nil {
		v.Lock()
	}
	c.clip.clearIfOurs()
	if c.OnLocked != nil {
		c.OnLocked()
	}
}

// Touch records activity: it restarts the auto-lock countdown.
func (c *Controller) Touch() {
	c.mu.Lock()
	defer c.mu.Unlock()
	d := c.settings.AutoLock()
	if c.v == nil || c.v.Locked() || d <= 0 {
		if c.lockTimer != nil {
			c.lockTimer.Stop()
		}
		return
	}
	if c.lockTimer == nil {
		c.lockTimer = time.AfterFunc(d, func() {
			c.run.OnUI(func() {
				if !c.Locked() {
					c.Lock()
				}
			})
		})
		return
	}
	c.lockTimer.Reset(d)
}

// SetCategory selects a sidebar category and refreshes the list.
func (c *Controller) SetCategory(cat Category) {
	c.mu.Lock()
	c.category = cat
	c.mu.Unlock()
	c.refresh()
}

// Category returns the selected sidebar category.
func (c *Controller) Category() Category {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.category
}

// SetQuery filters the list by the search text (every keystroke; the vault's index
// keeps this fast at 10k items).
func (c *Controller) SetQuery(q string) {
	c.mu.Lock()
	c.query = strings.TrimSpace(q)
	c.mu.Unlock()
	c.refresh()
}

// refresh rebuilds the visible list from the vault.
func (c *Controller) refresh() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.items = nil
	if c.v == nil || c.v.Locked() {
		return
	}
	var items []*vault.Item
	var err error
	if c.query == "" {
		items, err = c.v.List(c.category.Filter())
	} else {
		items, err = c.v.Search(c.query, c.category.Filter())
	}
	if err == nil {
		c.items = items
	}
}

// Items returns the visible list. The items are the vault's shared read-only
// snapshots: never modify them (Clone first).
func (c *Controller) Items() []*vault.Item {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.items
}

// Item returns a private copy of the item with the given ID.
func (c *Controller) Item(id vault.ID) (*vault.Item, error) {
	c.mu.Lock()
	v := c.v
	c.mu.Unlock()
	if v == nil {
		return nil, vault.ErrLocked
	}
	return v.Get(id)
}

// Save stores an edited copy: a new item when its ID is zero, else an update. It
// returns the stored item.
func (c *Controller) Save(it *vault.Item) (*vault.Item, error) {
	c.Touch()
	if err := it.Validate(); err != nil {
		return nil, err
	}
	c.mu.Lock()
	v := c.v
	c.mu.Unlock()
	if v == nil {
		return nil, vault.ErrLocked
	}
	var saved *vault.Item
	var err error
	if it.ID == (vault.ID{}) {
		saved, err = v.Add(it)
	} else {
		saved, err = v.Update(it)
	}
	if err != nil {
		return nil, err
	}
	c.refresh()
	return saved, nil
}

// Delete removes an item.
func (c *Controller) Delete(id vault.ID) error {
	c.Touch()
	c.mu.Lock()
	v := c.v
	c.mu.Unlock()
	if v == nil {
		return vault.ErrLocked
	}
	if err := v.Delete(id); err != nil {
		return err
	}
	c.refresh()
	return nil
}

// reminderEvery is how often an offline user is reminded that an account would sync
// their vault: "now and then, not nagging" (PRODUCT.md §1.5).
const reminderEvery = 7 * 24 * time.Hour

// ReminderDue reports whether the weekly connect reminder should show now.
func (c *Controller) ReminderDue(now time.Time) bool {
	s := c.Settings()
	return s.Offline && !s.Reminded.IsZero() && now.Sub(s.Reminded) >= reminderEvery
}

// DismissReminder starts the next week without reminders.
func (c *Controller) DismissReminder(now time.Time) error {
	s := c.Settings()
	s.Reminded = now
	return c.UpdateSettings(s)
}

// Damaged reports how many items failed to decrypt at unlock (left untouched on disk).
func (c *Controller) Damaged() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.v == nil {
		return 0
	}
	return len(c.v.Damaged())
}

// Copy puts a value on the clipboard and arranges for it to be cleared after the
// configured delay, if the clipboard still holds it then.
func (c *Controller) Copy(value string) {
	c.Touch()
	c.clip.copy(value, c.Settings().ClipboardDelay())
}

// Close locks and closes the vault (on quit) and stops the timers.
func (c *Controller) Close() error {
	c.stopSync()
	c.mu.Lock()
	v := c.v
	c.v = nil
	if c.lockTimer != nil {
		c.lockTimer.Stop()
	}
	if c.cancel != nil {
		c.cancel()
	}
	c.items = nil
	c.mu.Unlock()
	c.clip.clearIfOurs()
	if v == nil {
		return nil
	}
	return v.Close()
}

// wipe zeroes a secret we no longer need (best effort: Go may have copied it).
func wipe(b []byte) {
	for i := range b {
		b[i] = 0
	}
}
