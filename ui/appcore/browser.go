package appcore

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/valvpm/valv/browser"
)

// The controller's part of browser autofill (PRODUCT.md §5): while the app runs it
// answers Valv's extension on the local socket, always for the vault the controller
// holds at that moment, which may be locked, created, or replaced by a sync action.
// The pairing dialog and the unlock window are the view's; the controller only asks
// for them, on the UI goroutine.

// BrowserOptions connect the browser server to the view.
type BrowserOptions struct {
	// Socket is where the native host finds the app: browser.SocketPath() in the app.
	Socket string
	// Pairings is the paired-browser file; "" keeps it beside the vault
	// (browser.PairingsFile).
	Pairings string
	// AskPairing shows the pairing dialog and returns a function that closes it
	// unanswered (the browser went away). answer may be called once; closing the
	// dialog without a choice is a refusal. Called on the UI goroutine; nil refuses
	// every pairing.
	AskPairing func(p browser.PairingPrompt, answer func(approved bool)) (dismiss func())
	// ShowUnlock brings the window forward on the unlock screen: a browser asked for a
	// fill while the vault is locked. Called on the UI goroutine; nil does nothing.
	ShowUnlock func()
	// BrowsersChanged is called after the paired list changed (a pairing, a revoke, a
	// last use) or a site's settings did (from the extension or Remove), so Settings →
	// Browsers can show it. On the UI goroutine; nil: none.
	BrowsersChanged func()
}

// browserLink is the running browser server and what it serves from.
type browserLink struct {
	server   *browser.Server
	pairings *browser.Pairings
	sites    *browser.Sites
	core     *browserCore
	served   chan error // Serve's result
	// problem is what stopped the server from starting, or that the paired-browser
	// file was damaged and put aside; Settings → Browsers says it.
	problem error
}

// ErrPairingsReset means the paired-browser file could not be read, was kept beside
// under another name, and a new empty list started: every browser must pair again.
var ErrPairingsReset = errors.New("the list of paired browsers was damaged and started again")

// ErrSitesReset means the per-site browser settings (fill on page load, allowed frames)
// could not be read, were kept beside under another name, and start again all off.
var ErrSitesReset = errors.New("the browser site settings were damaged and start again with everything off")

// StartBrowser opens the paired-browser list and starts answering the extension on
// o.Socket until StopBrowser. When another Valv already answers for this OS user
// (browser.ErrAlreadyRunning) or the socket cannot be opened, the app goes on without
// browser autofill and the error is returned (and kept for BrowserProblem). A damaged
// list is put aside and the server starts with an empty one; the returned error is then
// ErrPairingsReset.
func (c *Controller) StartBrowser(o BrowserOptions) error {
	c.mu.Lock()
	running := c.br != nil && c.br.server != nil
	c.mu.Unlock()
	if running {
		return nil
	}
	if o.Pairings == "" {
		o.Pairings = filepath.Join(filepath.Dir(c.path), browser.PairingsFile)
	}
	link := &browserLink{}
	p, err := openPairings(o.Pairings)
	if errors.Is(err, ErrPairingsReset) {
		link.problem = err
	} else if err != nil {
		return c.setBrowser(&browserLink{problem: err})
	}
	sites, err := openSites(filepath.Join(filepath.Dir(o.Pairings), browser.SitesFile))
	if errors.Is(err, ErrSitesReset) {
		link.problem = errors.Join(link.problem, err)
	} else if err != nil {
		return c.setBrowser(&browserLink{problem: err})
	}
	l, err := browser.Listen(o.Socket)
	if err != nil {
		return c.setBrowser(&browserLink{problem: err})
	}
	link.pairings, link.sites = p, sites
	if o.BrowsersChanged != nil {
		p.OnChange(func() { c.run.OnUI(o.BrowsersChanged) })
		sites.OnChange(func() { c.run.OnUI(o.BrowsersChanged) })
	}
	link.core = newBrowserCore(c)
	link.server = browser.NewServer(browser.Options{
		Core:       link.core,
		Pairings:   p,
		Sites:      sites,
		Approve:    c.approver(o.AskPairing),
		ShowUnlock: func() { c.run.OnUI(func() { showUnlock(o.ShowUnlock) }) },
		Now:        c.clock.Now,
	})
	link.served = make(chan error, 1)
	go func() { link.served <- link.server.Serve(l) }()
	c.setBrowser(link)
	// The controller may have a vault already: bind to it now, so its lock and unlock
	// reach the browsers from the start.
	link.core.changed()
	return link.problem
}

func showUnlock(f func()) {
	if f != nil {
		f()
	}
}

func (c *Controller) setBrowser(l *browserLink) error {
	c.mu.Lock()
	c.br = l
	c.mu.Unlock()
	return l.problem
}

// openPairings opens the paired-browser file; a damaged one is renamed aside (nothing
// is deleted) and an empty list started, which ErrPairingsReset reports.
func openPairings(path string) (*browser.Pairings, error) {
	return openAside(path, browser.OpenPairings, browser.ErrPairingsDamaged, ErrPairingsReset)
}

// openSites opens the per-site settings file the same way; ErrSitesReset reports a
// damaged one put aside. The vault is another file and is never touched.
func openSites(path string) (*browser.Sites, error) {
	return openAside(path, browser.OpenSites, browser.ErrSitesDamaged, ErrSitesReset)
}

// openAside opens path with open; when open reports damaged, the file is renamed
// aside and opened again empty, and reset (with the aside name) is returned with it.
func openAside[T any](path string, open func(string) (T, error), damaged, reset error) (T, error) {
	v, err := open(path)
	if !errors.Is(err, damaged) {
		return v, err
	}
	aside := path + ".damaged-" + time.Now().UTC().Format("20060102-150405")
	if rerr := os.Rename(path, aside); rerr != nil {
		return v, err
	}
	v, err = open(path)
	if err != nil {
		return v, err
	}
	return v, fmt.Errorf("%w (the old one is %s)", reset, aside)
}

// StopBrowser stops answering the extension (on quit): the socket is removed and every
// browser connection dropped, so the extension says Valv is not running.
func (c *Controller) StopBrowser() error {
	c.mu.Lock()
	l := c.br
	c.br = nil
	c.mu.Unlock()
	if l == nil || l.server == nil {
		return nil
	}
	err := l.server.Close()
	if serr := <-l.served; !errors.Is(serr, browser.ErrServerClosed) && err == nil {
		err = serr
	}
	l.core.stop()
	if errors.Is(err, net.ErrClosed) {
		err = nil // Serve had already closed the listener on its way out
	}
	return err
}

// vaultSet tells the browser server that the controller holds another vault. c.mu is
// held; a nil link (no server) does nothing.
func (l *browserLink) vaultSet() {
	if l != nil {
		l.core.changed()
	}
}

func (c *Controller) browserLink() *browserLink {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.br
}

// BrowserProblem is why browser autofill is not available (or the paired list was
// started again), for Settings → Browsers; nil when all is well or it was never
// started.
func (c *Controller) BrowserProblem() error {
	if l := c.browserLink(); l != nil {
		return l.problem
	}
	return nil
}

// BrowserRunning reports whether the app answers the extension.
func (c *Controller) BrowserRunning() bool {
	l := c.browserLink()
	return l != nil && l.server != nil
}

// PairedBrowsers lists the paired browsers, most recently used first; none while the
// server is not running.
func (c *Controller) PairedBrowsers() []browser.Browser {
	l := c.browserLink()
	if l == nil || l.pairings == nil {
		return nil
	}
	return l.pairings.List()
}

// RevokeBrowser unpairs a browser (Settings → Browsers → Revoke) and drops its
// connections at once.
func (c *Controller) RevokeBrowser(id string) error {
	l := c.browserLink()
	if l == nil || l.server == nil {
		return browser.ErrUnknownBrowser
	}
	return l.server.Revoke(id)
}

// approver turns the view's dialog into the server's blocking question: the dialog is
// shown on the UI goroutine and the server's goroutine waits for the answer, or for the
// browser to go away, which closes the dialog.
func (c *Controller) approver(ask func(browser.PairingPrompt, func(bool)) func()) func(context.Context, browser.PairingPrompt) bool {
	if ask == nil {
		return nil
	}
	return func(ctx context.Context, p browser.PairingPrompt) bool {
		answers := make(chan bool, 1)
		answer := func(ok bool) {
			select {
			case answers <- ok:
			default: // answered already; a second click changes nothing
			}
		}
		var mu sync.Mutex
		var dismiss func()
		c.run.OnUI(func() {
			d := ask(p, answer)
			mu.Lock()
			dismiss = d
			mu.Unlock()
		})
		select {
		case ok := <-answers:
			return ok
		case <-ctx.Done():
			c.run.OnUI(func() {
				mu.Lock()
				d := dismiss
				mu.Unlock()
				if d != nil {
					d()
				}
			})
			return false
		}
	}
}

// BrowserMessage says why browser autofill is not available: the table's sentence, or
// that the socket could not be opened and the system's reason (a path and an errno,
// never a secret).
func BrowserMessage(err error) Message {
	if m, ok := lookup(err); ok {
		return m
	}
	return Message{Key: "browser.error.listen", Args: map[string]any{"Reason": err.Error()}}
}
