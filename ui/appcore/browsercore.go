package appcore

import (
	"sync"
	"time"

	"github.com/valvpm/valv/browser"
	"github.com/valvpm/valv/vault"
	"github.com/valvpm/valv/vault/totp"
)

// TOTPCode is the one-time code a login's TOTP field gives at now, for fills.
func TOTPCode(secret string, now time.Time) (string, error) {
	k, err := totp.Parse(secret)
	if err != nil {
		return "", err
	}
	return k.At(now).Value, nil
}

// browserCore is the browser server's view of the controller's vault: a
// browser.VaultCore for whichever vault the controller holds, made again when that
// vault is replaced. Vault events reach the server's subscribers from one goroutine of
// its own, in order, so a slow browser never holds up the vault (or the UI goroutine
// that locked it) and the last state sent is always the current one.
type browserCore struct {
	c    *Controller
	kick chan struct{} // a vault event happened; buffered, so it never blocks
	done chan struct{} // closed by stop

	mu      sync.Mutex
	v       *vault.Vault
	vc      *browser.VaultCore
	unwatch func()
	subs    map[int]func()
	n       int
}

var _ browser.Core = (*browserCore)(nil)

func newBrowserCore(c *Controller) *browserCore {
	b := &browserCore{c: c, kick: make(chan struct{}, 1), done: make(chan struct{}), subs: map[int]func(){}}
	go b.loop()
	return b
}

// changed notes a vault event (lock, unlock, change, or another vault in place). Safe
// to call with the controller's lock held, and on a nil browserCore.
func (b *browserCore) changed() {
	if b == nil {
		return
	}
	select {
	case b.kick <- struct{}{}:
	default: // one is pending; its run sees this change too
	}
}

func (b *browserCore) loop() {
	for {
		select {
		case <-b.done:
			return
		case <-b.kick:
		}
		b.bind()
		b.mu.Lock()
		fns := make([]func(), 0, len(b.subs))
		for _, fn := range b.subs {
			fns = append(fns, fn)
		}
		b.mu.Unlock()
		for _, fn := range fns {
			fn()
		}
	}
}

func (b *browserCore) stop() {
	close(b.done)
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.unwatch != nil {
		b.unwatch()
		b.unwatch = nil
	}
}

// bind follows the controller's current vault and returns the core for it (nil when
// there is no vault).
func (b *browserCore) bind() *browser.VaultCore {
	v := b.c.vault()
	b.mu.Lock()
	defer b.mu.Unlock()
	if v == b.v {
		return b.vc
	}
	if b.unwatch != nil {
		b.unwatch()
		b.unwatch = nil
	}
	b.v, b.vc = v, nil
	if v != nil {
		b.vc = &browser.VaultCore{V: v, TOTPCode: TOTPCode, Now: b.c.clock.Now}
		b.unwatch = v.Subscribe(b.changed)
	}
	return b.vc
}

// unlocked returns the core of the unlocked vault, or vault.ErrLocked.
func (b *browserCore) unlocked() (*browser.VaultCore, error) {
	vc := b.bind()
	if vc == nil || b.c.Locked() {
		return nil, vault.ErrLocked
	}
	return vc, nil
}

// Locked implements browser.Core.
func (b *browserCore) Locked() bool { return b.c.Locked() }

// Subscribe implements browser.Core.
func (b *browserCore) Subscribe(fn func()) func() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.n++
	n := b.n
	b.subs[n] = fn
	return func() {
		b.mu.Lock()
		delete(b.subs, n)
		b.mu.Unlock()
	}
}

// FindLogins implements browser.Core.
func (b *browserCore) FindLogins(pageURL string) ([]browser.Login, error) {
	vc, err := b.unlocked()
	if err != nil {
		return nil, err
	}
	return vc.FindLogins(pageURL)
}

// Credentials implements browser.Core.
func (b *browserCore) Credentials(ref string) (browser.Credentials, error) {
	vc, err := b.unlocked()
	if err != nil {
		return browser.Credentials{}, err
	}
	return vc.Credentials(ref)
}

// SaveLogin implements browser.Core.
func (b *browserCore) SaveLogin(title, url, username, password string) (string, error) {
	vc, err := b.unlocked()
	if err != nil {
		return "", err
	}
	return vc.SaveLogin(title, url, username, password)
}

// UpdatePassword implements browser.Core.
func (b *browserCore) UpdatePassword(ref, password string) error {
	vc, err := b.unlocked()
	if err != nil {
		return err
	}
	return vc.UpdatePassword(ref, password)
}

// GeneratePassword implements browser.Core.
func (b *browserCore) GeneratePassword() (string, error) {
	vc, err := b.unlocked()
	if err != nil {
		return "", err
	}
	return vc.GeneratePassword()
}
