package e2e

import (
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/valvpm/valv/browser"
	"github.com/valvpm/valv/ui/appcore"
	"github.com/valvpm/valv/vault"
)

const appPassword = "correct horse battery staple"

// appSide is the desktop app's own controller (ui/appcore, as cmd/valv builds it but
// with the app's dialogs played by the test) over a vault file in a temporary folder.
type appSide struct {
	ctrl    *appcore.Controller
	prompts chan browser.PairingPrompt
	answers chan func(bool)
	unlocks chan struct{}
}

// serveApp creates and unlocks the vault and starts the controller's browser server
// on socket, the pairing and site files beside the vault.
func (a *appSide) serveApp(t *testing.T, socket string) {
	floor := vault.FloorKDF()
	a.ctrl = appcore.New(appcore.Options{Path: filepath.Join(t.TempDir(), "vault.db"), Settings: appcore.DefaultSettings(), KDF: vault.CreateOptions{KDF: &floor}})
	a.ctrl.Open()
	t.Cleanup(func() {
		if err := a.ctrl.Close(); err != nil {
			t.Errorf("closing the vault: %v", err)
		}
	})
	var created error
	a.ctrl.Create([]byte(appPassword), func(err error) { created = err }) // the inline scheduler has finished when Create returns
	if created != nil || a.ctrl.Stage() != appcore.StageUnlocked {
		t.Fatalf("creating the vault: %v (stage %v)", created, a.ctrl.Stage())
	}
	err := a.ctrl.StartBrowser(appcore.BrowserOptions{
		Socket: socket,
		AskPairing: func(p browser.PairingPrompt, answer func(bool)) func() {
			a.prompts <- p
			a.answers <- answer
			return func() {}
		},
		ShowUnlock: func() {
			select {
			case a.unlocks <- struct{}{}:
			default:
			}
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := a.ctrl.StopBrowser(); err != nil {
			t.Errorf("stopping the browser server: %v", err)
		}
	})
}

// TestBrowserAppCore: the extension in Chromium against the app's own controller and a
// real vault: pairing approved in the app's dialog, a fill, and a fill asked while the
// app is locked that goes on once the app unlocks.
func TestBrowserAppCore(t *testing.T) {
	a := &appSide{prompts: make(chan browser.PairingPrompt, 1), answers: make(chan func(bool), 1), unlocks: make(chan struct{}, 16)}
	e := launch(t, func(socket string) { a.serveApp(t, socket) })
	ctx := e.ctx
	v, err := a.ctrl.Unlocked()
	if err != nil {
		t.Fatal(err)
	}
	it, err := v.Add(&vault.Item{Type: vault.TypeLogin, Title: "Bank", URLs: []string{"https://bank.test"}, Username: "alice", Password: "bank-pw-1"})
	if err != nil {
		t.Fatal(err)
	}
	bank := `button[data-ref="` + it.ID.String() + `"]`

	step(t, ctx, "login page", chromedp.Navigate("https://bank.test/login"))
	openMark(t, ctx, "#username")
	inPanel(t, ctx, menu, `button[data-action="pair"]`, true)
	sameCode(t, ctx, <-a.prompts)
	(<-a.answers)(true)
	inPanel(t, ctx, menu, bank, true)
	waitValues(t, ctx, map[string]string{"#username": "alice", "#password": "bank-pw-1"})
	if l := a.ctrl.PairedBrowsers(); len(l) != 1 || l[0].LastUsed.IsZero() {
		t.Fatalf("the app lists the paired browsers as %+v", l)
	}

	a.ctrl.Lock()
	step(t, ctx, "login page again", chromedp.Navigate("https://bank.test/login"))
	openMark(t, ctx, "#username")
	inPanel(t, ctx, menu, `[data-message="locked"]`, false)
	empty(t, ctx, "#username", "#password")
	inPanel(t, ctx, menu, `button[data-action="unlock"]`, true)
	<-a.unlocks
	var unlocked error
	a.ctrl.Unlock([]byte(appPassword), func(err error) { unlocked = err })
	if unlocked != nil {
		t.Fatal(unlocked)
	}
	// Unlocked in the app: the open menu goes on by itself and lists the login.
	inPanel(t, ctx, menu, bank, true)
	waitValues(t, ctx, map[string]string{"#username": "alice", "#password": "bank-pw-1"})
}
