package appcore

import (
	"crypto/sha256"
	"crypto/subtle"
	"sync"
	"time"
)

// Clipboard is the part of fyne.Clipboard the app uses; tests pass a fake.
type Clipboard interface {
	Content() string
	SetContent(string)
}

// clipboardGuard clears a copied secret after a delay — but only if the clipboard
// still holds it, so it never wipes something the person copied since. It keeps a hash
// of what it copied rather than the secret itself.
type clipboardGuard struct {
	cb    Clipboard
	onUI  func(func())
	clock Clock

	mu    sync.Mutex
	sum   [sha256.Size]byte
	armed bool
	timer Timer
}

func newClipboardGuard(cb Clipboard, onUI func(func()), clock Clock) *clipboardGuard {
	return &clipboardGuard{cb: cb, onUI: onUI, clock: clock}
}

// copy puts value on the clipboard and clears it after the delay (0: never).
func (g *clipboardGuard) copy(value string, after time.Duration) {
	if g.cb == nil {
		return
	}
	g.cb.SetContent(value)
	g.mu.Lock()
	defer g.mu.Unlock()
	g.sum = sha256.Sum256([]byte(value))
	g.armed = true
	if g.timer != nil {
		g.timer.Stop()
		g.timer = nil
	}
	if after > 0 {
		g.timer = g.clock.AfterFunc(after, func() { g.onUI(g.clearIfOurs) })
	}
}

// clearIfOurs empties the clipboard if it still holds what we copied last.
func (g *clipboardGuard) clearIfOurs() {
	if g.cb == nil {
		return
	}
	g.mu.Lock()
	armed, sum := g.armed, g.sum
	g.armed = false
	g.sum = [sha256.Size]byte{}
	if g.timer != nil {
		g.timer.Stop()
		g.timer = nil
	}
	g.mu.Unlock()
	if !armed {
		return
	}
	now := sha256.Sum256([]byte(g.cb.Content()))
	if subtle.ConstantTimeCompare(now[:], sum[:]) == 1 {
		g.cb.SetContent("")
	}
}
