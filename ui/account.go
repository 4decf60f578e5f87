package ui

import (
	"context"
	"time"

	"github.com/valvpm/valv/account"
	"github.com/valvpm/valv/ui/appcore"
)

// The controller's link to the Valv Account lives in appcore.Accounts; these are the
// few calls the app's views and the sync code make through the controller.

// AccountOptions connect the app to Valv Accounts (appcore.AccountOptions).
type AccountOptions = appcore.AccountOptions

// networkTimeout bounds one account call (appcore.NetworkTimeout).
const networkTimeout = appcore.NetworkTimeout

// The account set-up's errors, under the names the error table gives them.
var (
	errNoServer  = appcore.ErrNoServer
	errNoBrowser = appcore.ErrNoBrowser
)

// SetAccounts connects the controller to Valv Accounts. Without it (as in the vault
// tests) the app behaves as before: no account, Run without connecting.
func (c *Controller) SetAccounts(o AccountOptions) {
	a := appcore.NewAccounts(o)
	c.mu.Lock()
	c.acct = a
	c.mu.Unlock()
}

// accounts is the app's account link; nil (no account set-up) answers as if no
// server were configured.
func (c *Controller) accounts() *appcore.Accounts {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.acct
}

// AccountClient returns the client of the configured server, or nil and the reason
// (errNoServer when none is configured).
func (c *Controller) AccountClient() (*account.Client, error) { return c.accounts().Client() }

// SignedIn reports whether a Valv Account session is known.
func (c *Controller) SignedIn() bool { return c.accounts().SignedInClient() != nil }

// accountEmail is the signed-in account's e-mail, or "".
func (c *Controller) accountEmail() string { return c.accounts().Email() }

// CloudURL returns the configured server address and whether the environment set it.
func (c *Controller) CloudURL() (string, bool) { return c.accounts().URL() }

// SetCloudURL switches to another server (Settings → Account). The address is checked
// first (HTTPS, or plain HTTP to this computer only) and saved in the settings.
func (c *Controller) SetCloudURL(raw string) error {
	url, err := c.accounts().SetURL(raw)
	if err != nil {
		return err
	}
	s := c.Settings()
	s.CloudURL = url
	return c.UpdateSettings(s)
}

// rememberConnection notes, once an account is connected, the licence the app runs on
// ("" on Free) and that the person no longer runs without an account.
func (c *Controller) rememberConnection(licence string) error {
	s := c.Settings()
	s.Licence = licence
	s.Offline = false
	return c.UpdateSettings(s)
}

// openURL opens a page in the browser through the configured opener.
func (c *Controller) openURL(u string) error { return c.accounts().OpenURL(u) }

// tasks is where the app's network calls run.
func (c *Controller) tasks() appcore.Tasks {
	return appcore.Tasks{Background: c.run.Background, OnUI: c.run.OnUI}
}

// background runs network work off the UI goroutine and done on it. ctx ends after
// networkTimeout; cancel lets a Cancel button stop it sooner.
func (c *Controller) background(work func(ctx context.Context), done func()) (cancel func()) {
	return c.backgroundFor(networkTimeout, work, done)
}

// backgroundFor is background with another time limit (a first upload may move
// thousands of items).
func (c *Controller) backgroundFor(timeout time.Duration, work func(ctx context.Context), done func()) (cancel func()) {
	return c.tasks().Go(timeout, work, done)
}
