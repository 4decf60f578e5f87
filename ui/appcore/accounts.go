package appcore

import (
	"context"
	"errors"
	"strings"
	"sync"

	"github.com/valvpm/valv/account"
)

// AccountOptions connect the app to Valv Accounts. cmd/valv fills them in for the real
// app; tests point them at a cloudtest server with a memory store.
type AccountOptions struct {
	// URL is the valv-cloud to use; "" means none is configured (the account windows
	// then say so and point to Settings → Account).
	URL string
	// FromEnv says URL came from account.CloudURLEnv: Settings shows it but cannot
	// change it, because the environment would win again at the next start.
	FromEnv bool
	// New makes a client of the server at url (a keyring store in the app).
	New func(url string) (*account.Client, error)
	// KeyringWarning reports, after a sign-in, whether the OS keyring failed so the
	// session lasts for this run only. nil: never.
	KeyringWarning func() error
	// OpenURL opens a page in the system browser (portal, statements, quick sign-in).
	// nil: there is no browser (ErrNoBrowser).
	OpenURL func(url string) error
	// Region is the region offered first on the sign-in and create windows; "" picks
	// one from the OS locale's country.
	Region string
}

// Errors of the app's account set-up, for the person to act on.
var (
	// ErrNoServer says no valv-cloud address is configured.
	ErrNoServer = errors.New("no Valv server is configured")
	// ErrNoBrowser says the app has no way to open a page.
	ErrNoBrowser = errors.New("no browser to open")
)

// Accounts is the app's link to the Valv Account: the options and the client of the
// configured server. The client is made once per URL; changing the server in Settings
// makes a new one. A nil *Accounts is an app with no account set-up (the vault tests):
// every method answers as if no server were configured.
type Accounts struct {
	mu        sync.Mutex
	opt       AccountOptions
	client    *account.Client
	clientErr error // why there is no client (an insecure or malformed URL)
	warned    bool  // the keyring notice was shown once this run
}

// NewAccounts connects to the server o names.
func NewAccounts(o AccountOptions) *Accounts {
	a := &Accounts{opt: o}
	a.connect(o.URL)
	return a
}

// connect makes the client for url. An empty URL leaves no client and no error.
func (a *Accounts) connect(url string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.client, a.clientErr = nil, nil
	a.opt.URL = url
	if strings.TrimSpace(url) == "" || a.opt.New == nil {
		return
	}
	a.client, a.clientErr = a.opt.New(url)
}

// Client returns the client of the configured server, or nil and why (ErrNoServer
// when none is configured).
func (a *Accounts) Client() (*account.Client, error) {
	if a == nil {
		return nil, ErrNoServer
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	switch {
	case a.client != nil:
		return a.client, nil
	case a.clientErr != nil:
		return nil, a.clientErr
	}
	return nil, ErrNoServer
}

// SignedInClient returns the client when a session is known, else nil.
func (a *Accounts) SignedInClient() *account.Client {
	cl, err := a.Client()
	if err != nil || !cl.SignedIn() {
		return nil
	}
	return cl
}

// Email is the signed-in account's e-mail, or "".
func (a *Accounts) Email() string {
	if cl := a.SignedInClient(); cl != nil {
		return cl.Email()
	}
	return ""
}

// URL returns the configured server address and whether the environment set it.
func (a *Accounts) URL() (url string, fromEnv bool) {
	if a == nil {
		return "", false
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.opt.URL, a.opt.FromEnv
}

// SetURL switches to another server (Settings → Account) and returns the address to
// save. It is checked first: HTTPS, or plain HTTP to this computer only.
func (a *Accounts) SetURL(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw != "" {
		u, err := account.CheckURL(raw)
		if err != nil {
			return "", err
		}
		raw = u.String()
	}
	if a == nil {
		return "", ErrNoServer
	}
	a.connect(raw)
	return raw, nil
}

// KeyringNotice returns the keyring's warning the first time it appears this run; the
// person is told once, not at every sign-in.
func (a *Accounts) KeyringNotice() error {
	if a == nil || a.opt.KeyringWarning == nil {
		return nil
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.warned {
		return nil
	}
	if err := a.opt.KeyringWarning(); err != nil {
		a.warned = true
		return err
	}
	return nil
}

// OpenURL opens a page in the browser through the configured opener.
func (a *Accounts) OpenURL(u string) error {
	if a == nil || a.opt.OpenURL == nil {
		return ErrNoBrowser
	}
	return a.opt.OpenURL(u)
}

// Region is the region offered first: the configured one, else the country of locale
// (the OS's, such as "sv-SE") where it maps to one of the server's regions, else
// "other".
func (a *Accounts) Region(locale string) string {
	if a != nil && a.opt.Region != "" {
		return a.opt.Region
	}
	return RegionForLocale(locale)
}

// LookForSignedInApps looks, in the background, for the accounts other Valv apps of
// this computer are signed in to (PRODUCT.md §1.1), and calls found with them on the UI
// goroutine when there are any. Nothing happens when this app is signed in itself, no
// server is configured or the server is away: the welcome window's buttons still work.
func (a *Accounts) LookForSignedInApps(run Scheduler, found func([]account.Candidate)) {
	c, err := a.Client()
	if err != nil || c.SignedIn() {
		return
	}
	var cands []account.Candidate
	run.Go(NetworkTimeout, func(ctx context.Context) {
		cands, err = c.AutoConnect(ctx)
	}, func() {
		if err == nil && len(cands) > 0 {
			found(cands)
		}
	})
}

// euCountries are the ISO 3166 codes of the European Union and its neighbours that
// share its rules (EEA, Switzerland, the UK): the server's "eu" region.
var euCountries = map[string]bool{
	"AT": true, "BE": true, "BG": true, "HR": true, "CY": true, "CZ": true, "DK": true, "EE": true,
	"FI": true, "FR": true, "DE": true, "GR": true, "HU": true, "IE": true, "IT": true, "LV": true,
	"LT": true, "LU": true, "MT": true, "NL": true, "PL": true, "PT": true, "RO": true, "SK": true,
	"SI": true, "ES": true, "SE": true, "IS": true, "LI": true, "NO": true, "CH": true, "GB": true,
}

// RegionForLocale maps a locale such as "sv-SE" to a server region code.
func RegionForLocale(locale string) string {
	parts := strings.FieldsFunc(locale, func(r rune) bool { return r == '-' || r == '_' || r == '.' })
	for _, p := range parts[min(1, len(parts)):] {
		cc := strings.ToUpper(p)
		switch {
		case cc == "RU":
			return "ru"
		case cc == "US":
			return "us"
		case euCountries[cc]:
			return "eu"
		}
	}
	return "other"
}
