package browser

import (
	"errors"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/valvpm/valv/vault"
)

// Core is what the browser server needs from the desktop app: the vault as the app
// holds it (the app may open, lock and replace its vault; Core always speaks for the
// current one). Errors the server acts on are vault.ErrLocked and vault.ErrNotFound,
// wrapped or not.
type Core interface {
	// Locked reports whether the vault is locked (or not open).
	Locked() bool
	// Subscribe calls fn after the vault locks, unlocks or changes, until cancel.
	Subscribe(fn func()) (cancel func())
	// FindLogins returns the website logins that may fill pageURL, exact hosts first.
	FindLogins(pageURL string) ([]Login, error)
	// Credentials returns one login's secrets and the addresses it was saved for, which
	// the server checks against the page again before anything leaves the app.
	Credentials(ref string) (Credentials, error)
	// SaveLogin stores a new website login and returns its Ref.
	SaveLogin(title, url, username, password string) (string, error)
	// UpdatePassword replaces one login's password (the old one goes to its history).
	UpdatePassword(ref, password string) error
	// GeneratePassword makes a password with the app's generator settings.
	GeneratePassword() (string, error)
}

// Credentials are what a fill puts into a form.
type Credentials struct {
	URLs     []string
	Username string
	Password string
	TOTP     string // the current one-time code, "" when the login has no secret
}

// VaultCore implements Core over one open *vault.Vault, as valv-cli and the tests
// have it; the desktop app's core may use it for its current vault.
type VaultCore struct {
	V *vault.Vault
	// Gen is the generator setting for new-password fields (vault.DefaultGenOptions
	// when zero).
	Gen vault.GenOptions
	// TOTPCode turns a login's TOTP field into the code valid at now. Nil means Valv
	// has no authenticator: fills then carry no code.
	TOTPCode func(secret string, now time.Time) (string, error)
	// Now is the clock for TOTP codes (time.Now when nil).
	Now func() time.Time

	// sites caches parsed login addresses: parsing (IDNA, public suffix list) is most
	// of a search's time at 10k logins. The addresses are vault data, so the cache is
	// dropped when the vault locks.
	mu    sync.Mutex
	sites map[string]siteOK
	watch sync.Once
}

type siteOK struct {
	s  site
	ok bool
}

// maxCachedSites bounds the cache; past it, it starts over.
const maxCachedSites = 200_000

var _ Core = (*VaultCore)(nil)

// Locked implements Core.
func (c *VaultCore) Locked() bool { return c.V.Locked() }

// Subscribe implements Core.
func (c *VaultCore) Subscribe(fn func()) func() { return c.V.Subscribe(fn) }

// FindLogins implements Core: every website login with an address that matches
// pageURL, the exact ones first, each group by title.
func (c *VaultCore) FindLogins(pageURL string) ([]Login, error) {
	c.watch.Do(func() {
		c.V.Subscribe(func() {
			if c.V.Locked() {
				c.mu.Lock()
				c.sites = nil
				c.mu.Unlock()
			}
		})
	})
	items, err := c.V.List(vault.Filter{Type: vault.TypeLogin})
	if err != nil {
		return nil, err
	}
	page, ok := parseSite(pageURL, false)
	if !ok {
		return nil, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.sites == nil || len(c.sites) > maxCachedSites {
		c.sites = map[string]siteOK{}
	}
	var out []Login
	for _, it := range items {
		r := NoMatch
		for _, u := range it.URLs {
			l, hit := c.sites[u]
			if !hit {
				l.s, l.ok = parseSite(u, true)
				c.sites[u] = l
			}
			if l.ok {
				r = max(r, matchSite(l.s, page))
			}
		}
		if r == NoMatch {
			continue
		}
		out = append(out, Login{Ref: it.ID.String(), Title: it.Title, Username: it.Username, Exact: r == Exact})
	}
	slices.SortStableFunc(out, func(a, b Login) int {
		if a.Exact != b.Exact {
			if a.Exact {
				return -1
			}
			return 1
		}
		return strings.Compare(strings.ToLower(a.Title), strings.ToLower(b.Title))
	})
	return out, nil
}

// Credentials implements Core.
// The values are copied out while the vault cannot lock (vault.Reveal): a lock
// racing the fill would otherwise wipe them before the answer is written, and the
// page would be filled with zero bytes.
func (c *VaultCore) Credentials(ref string) (Credentials, error) {
	id, err := vault.ParseID(ref)
	if err != nil {
		return Credentials{}, vault.ErrNotFound
	}
	now := time.Now
	if c.Now != nil {
		now = c.Now
	}
	t := now()
	var cr Credentials
	login := false
	err = c.V.Reveal(id, func(it *vault.Item) {
		if login = it.Type == vault.TypeLogin; !login {
			return
		}
		// Only the password lies in the arena Lock wipes; addresses and user names do not.
		cr = Credentials{URLs: it.URLs, Username: it.Username, Password: strings.Clone(it.Password)}
		if it.TOTP != "" && c.TOTPCode != nil {
			if code, err := c.TOTPCode(it.TOTP, t); err == nil {
				cr.TOTP = code
			}
		}
	})
	if err != nil {
		return Credentials{}, err
	}
	if !login {
		return Credentials{}, vault.ErrNotFound
	}
	return cr, nil
}

func (c *VaultCore) get(ref string) (*vault.Item, error) {
	id, err := vault.ParseID(ref)
	if err != nil {
		return nil, vault.ErrNotFound
	}
	it, err := c.V.Get(id)
	if err != nil {
		return nil, err
	}
	if it.Type != vault.TypeLogin {
		return nil, vault.ErrNotFound
	}
	return it, nil
}

// SaveLogin implements Core.
func (c *VaultCore) SaveLogin(title, url, username, password string) (string, error) {
	it, err := c.V.Add(&vault.Item{Type: vault.TypeLogin, Title: title, URLs: []string{url}, Username: username, Password: password})
	if err != nil {
		return "", err
	}
	return it.ID.String(), nil
}

// UpdatePassword implements Core.
func (c *VaultCore) UpdatePassword(ref, password string) error {
	it, err := c.get(ref)
	if err != nil {
		return err
	}
	it.Password = password
	_, err = c.V.Update(it)
	return err
}

// GeneratePassword implements Core.
func (c *VaultCore) GeneratePassword() (string, error) {
	o := c.Gen
	if o == (vault.GenOptions{}) {
		o = vault.DefaultGenOptions
	}
	if c.V.Locked() {
		return "", vault.ErrLocked
	}
	return vault.Generate(o)
}

// errLocked reports whether err means the vault is locked.
func errLocked(err error) bool { return errors.Is(err, vault.ErrLocked) }
