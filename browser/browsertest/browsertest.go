// Package browsertest starts the app's side of browser autofill for tests: a real
// vault in a temporary folder, the paired-browser file beside it and the socket
// server on a real Unix socket (named pipe on Windows), with the pairing dialog and
// the unlock window played by the test through channels.
package browsertest

import (
	"context"
	"errors"
	"net"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/valvpm/valv/browser"
	"github.com/valvpm/valv/vault"
)

// Password is the master password of the test vault.
const Password = "correct horse battery staple"

// App is a running app side.
type App struct {
	Vault    *vault.Vault
	Core     *browser.VaultCore
	Pairings *browser.Pairings
	Sites    *browser.Sites
	Server   *browser.Server
	Socket   string // where the server listens
	Dir      string // the OS user's Valv folder (vault, browsers.json)

	// Prompts receives every pairing dialog the app would show; answer with Answer.
	Prompts chan browser.PairingPrompt
	answers chan bool
	// Dismissed receives a value when a dialog closed because its browser went away.
	Dismissed chan struct{}
	// Unlocks counts how often the unlock window was brought to the front.
	Unlocks atomic.Int32
	// UnlockShown receives a value each time (buffered, never blocks the server).
	UnlockShown chan struct{}
}

// Start creates the vault (unlocked) and serves on socket, a path in a private folder
// (on Windows a pipe name). Each configure function may set up the core before the
// server starts. Everything stops at the test's end.
func Start(t testing.TB, socket string, configure ...func(*browser.VaultCore)) *App {
	t.Helper()
	dir := t.TempDir()
	kdf := vault.FloorKDF()
	v, err := vault.Create(filepath.Join(dir, "vault.db"), []byte(Password), vault.CreateOptions{KDF: &kdf})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := v.Close(); err != nil {
			t.Error(err)
		}
	})
	p, err := browser.OpenPairings(filepath.Join(dir, browser.PairingsFile))
	if err != nil {
		t.Fatal(err)
	}
	sites, err := browser.OpenSites(filepath.Join(dir, browser.SitesFile))
	if err != nil {
		t.Fatal(err)
	}
	a := &App{Vault: v, Pairings: p, Sites: sites, Socket: socket, Dir: dir,
		Prompts: make(chan browser.PairingPrompt, 1), answers: make(chan bool, 1), UnlockShown: make(chan struct{}, 16), Dismissed: make(chan struct{}, 1)}
	a.Core = &browser.VaultCore{V: v}
	for _, f := range configure {
		f(a.Core)
	}
	a.Server = browser.NewServer(browser.Options{
		Core: a.Core, Pairings: p, Sites: sites,
		Approve: func(ctx context.Context, pp browser.PairingPrompt) bool {
			a.Prompts <- pp
			select {
			case ok := <-a.answers:
				return ok
			case <-ctx.Done():
				a.Dismissed <- struct{}{}
				return false
			}
		},
		ShowUnlock: func() {
			a.Unlocks.Add(1)
			select {
			case a.UnlockShown <- struct{}{}:
			default:
			}
		},
	})
	l, err := browser.Listen(socket)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- a.Server.Serve(l) }()
	t.Cleanup(func() {
		if err := a.Server.Close(); err != nil && !errors.Is(err, net.ErrClosed) {
			t.Error(err)
		}
		if err := <-done; !errors.Is(err, browser.ErrServerClosed) {
			t.Errorf("Serve: %v", err)
		}
	})
	return a
}

// Answer answers the pairing dialog that is open.
func (a *App) Answer(approve bool) { a.answers <- approve }

// AddLogin stores a website login and returns its Ref.
func (a *App) AddLogin(t testing.TB, title, url, username, password string) string {
	t.Helper()
	it, err := a.Vault.Add(&vault.Item{Type: vault.TypeLogin, Title: title, URLs: []string{url}, Username: username, Password: password})
	if err != nil {
		t.Fatal(err)
	}
	return it.ID.String()
}

// Unlock unlocks the vault with Password.
func (a *App) Unlock(t testing.TB) {
	t.Helper()
	if err := a.Vault.Unlock([]byte(Password)); err != nil {
		t.Fatal(err)
	}
}
