package appcore

import (
	"github.com/valvpm/valv/account"
)

// The controller's link to the Valv Account is an Accounts (accounts.go); these are the
// calls the views and the sync code make through the controller.

// SetAccounts connects the controller to Valv Accounts. Without it (as in the vault
// tests) the app behaves as before: no account, Run without connecting.
func (c *Controller) SetAccounts(o AccountOptions) {
	a := NewAccounts(o)
	c.mu.Lock()
	c.acct = a
	c.mu.Unlock()
}

// Accounts is the app's account link; nil (no account set-up) answers as if no server
// were configured.
func (c *Controller) Accounts() *Accounts {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.acct
}

// AccountClient returns the client of the configured server, or nil and the reason
// (ErrNoServer when none is configured).
func (c *Controller) AccountClient() (*account.Client, error) { return c.Accounts().Client() }

// SignedIn reports whether a Valv Account session is known.
func (c *Controller) SignedIn() bool { return c.Accounts().SignedInClient() != nil }

// AccountEmail is the signed-in account's e-mail, or "".
func (c *Controller) AccountEmail() string { return c.Accounts().Email() }

// CloudURL returns the configured server address and whether the environment set it.
func (c *Controller) CloudURL() (string, bool) { return c.Accounts().URL() }

// SetCloudURL switches to another server (Settings → Account). The address is checked
// first (HTTPS, or plain HTTP to this computer only) and saved in the settings.
func (c *Controller) SetCloudURL(raw string) error {
	url, err := c.Accounts().SetURL(raw)
	if err != nil {
		return err
	}
	s := c.Settings()
	s.CloudURL = url
	return c.UpdateSettings(s)
}

// OpenURL opens a page in the browser through the configured opener.
func (c *Controller) OpenURL(u string) error { return c.Accounts().OpenURL(u) }

// NewAccountFlow prepares the account windows, drawn by view; locale is the OS's (for
// the region offered first). It fails with ErrNoServer when no server is configured.
func (c *Controller) NewAccountFlow(view AccountView, locale string) (*AccountFlow, error) {
	return NewAccountFlow(AccountFlowConfig{
		Accounts:  c.Accounts(),
		Run:       c.run,
		Clock:     c.clock,
		View:      view,
		Locale:    locale,
		Connected: c.rememberConnection,
	})
}

// rememberConnection notes, once an account is connected, the licence the app runs on
// ("" on Free) and that the person no longer runs without an account.
func (c *Controller) rememberConnection(licence string) error {
	s := c.Settings()
	s.Licence = licence
	s.Offline = false
	return c.UpdateSettings(s)
}

// LookForSignedInApps looks for the accounts other Valv apps of this computer are
// signed in to (Accounts.LookForSignedInApps).
func (c *Controller) LookForSignedInApps(found func([]account.Candidate)) {
	c.Accounts().LookForSignedInApps(c.run, found)
}
