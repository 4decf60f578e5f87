package appcore

import (
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/valvpm/valv/account"
)

// AccountOptions connect the app to Valv Accounts. cmd/valv fills them in for the real
// app; tests point them at a cloudtest server with a memory store and the server's
// clock.
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
	// nil: the Fyne app's OpenURL.
	OpenURL func(url string) error
	// Now is the clock of the SMS countdown; nil: time.Now. Tests pass the server's.
	Now func() time.Time
	// Tick calls f on the UI goroutine every interval until stop is called. nil: no
	// ticker (tests call the screen's tick themselves after moving the clock).
	Tick func(every time.Duration, f func()) (stop func())
	// Region is the region offered first on the sign-in and create windows; "" picks
	// one from the OS locale's country.
	Region string
}

// accounts is the controller's view of the Valv Account: the options and the client of
// the configured server. The client is made once per URL; changing the server in
// Settings makes a new one.
type accounts struct {
	opt AccountOptions

	mu        sync.Mutex
	client    *account.Client
	clientErr error // why there is no client (an insecure or malformed URL)
	warned    bool  // the keyring notice was shown once this run
}

// SetAccounts connects the controller to Valv Accounts. Without it (as in the vault
// tests) the app behaves as before: no account, Run without connecting.
func (c *Controller) SetAccounts(o AccountOptions) {
	a := &accounts{opt: o}
	a.connect(o.URL)
	c.mu.Lock()
	c.acct = a
	c.mu.Unlock()
}

// connect makes the client for url. An empty URL leaves no client and no error.
func (a *accounts) connect(url string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.client, a.clientErr = nil, nil
	a.opt.URL = url
	if strings.TrimSpace(url) == "" || a.opt.New == nil {
		return
	}
	a.client, a.clientErr = a.opt.New(url)
}

func (c *Controller) accounts() *accounts {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.acct
}

// AccountClient returns the client of the configured server, or nil and the reason
// (ErrNoServer when none is configured).
func (c *Controller) AccountClient() (*account.Client, error) {
	a := c.accounts()
	if a == nil {
		return nil, ErrNoServer
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.client == nil {
		if a.clientErr != nil {
			return nil, a.clientErr
		}
		return nil, ErrNoServer
	}
	return a.client, nil
}

// ErrNoServer says no valv-cloud address is configured.
var ErrNoServer = errors.New("no Valv server is configured")

// SignedIn reports whether a Valv Account session is known.
func (c *Controller) SignedIn() bool {
	cl, err := c.AccountClient()
	return err == nil && cl.SignedIn()
}

// CloudURL returns the configured server address and whether the environment set it.
func (c *Controller) CloudURL() (string, bool) {
	a := c.accounts()
	if a == nil {
		return "", false
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.opt.URL, a.opt.FromEnv
}

// SetCloudURL switches to another server (Settings → Account). The address is checked
// first (HTTPS, or plain HTTP to this computer only) and saved in the settings.
func (c *Controller) SetCloudURL(raw string) error {
	raw = strings.TrimSpace(raw)
	if raw != "" {
		u, err := account.CheckURL(raw)
		if err != nil {
			return err
		}
		raw = u.String()
	}
	a := c.accounts()
	if a == nil {
		return ErrNoServer
	}
	a.connect(raw)
	s := c.Settings()
	s.CloudURL = raw
	return c.UpdateSettings(s)
}

// KeyringNotice returns the keyring's warning the first time it appears this run.
func (c *Controller) KeyringNotice() error {
	a := c.accounts()
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

// Now is the clock of the SMS countdown.
func (c *Controller) Now() time.Time {
	if a := c.accounts(); a != nil && a.opt.Now != nil {
		return a.opt.Now()
	}
	return c.clock.Now()
}

// Ticker starts the countdown ticker, when the app has one.
func (c *Controller) Ticker(every time.Duration, f func()) (stop func()) {
	if a := c.accounts(); a != nil && a.opt.Tick != nil {
		return a.opt.Tick(every, f)
	}
	return func() {}
}

// OpenURL opens a page in the browser through the configured opener.
func (c *Controller) OpenURL(u string) error {
	if a := c.accounts(); a != nil && a.opt.OpenURL != nil {
		return a.opt.OpenURL(u)
	}
	return ErrNoBrowser
}

// ErrNoBrowser says the app has no way to open a page.
var ErrNoBrowser = errors.New("no browser to open")

// AccountRegion is the region offered first: the configured one, else the country of
// the OS locale (such as "sv-SE") where it maps to one of the server's regions, else
// "other".
func (c *Controller) AccountRegion(locale string) string {
	if a := c.accounts(); a != nil && a.opt.Region != "" {
		return a.opt.Region
	}
	return RegionForLocale(locale)
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

// AccountEmail is the signed-in account's e-mail, or "".
func (c *Controller) AccountEmail() string {
	cl, err := c.AccountClient()
	if err != nil {
		return ""
	}
	return cl.Email()
}
