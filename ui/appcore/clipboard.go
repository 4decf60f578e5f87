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

// Holder is a Clipboard that can tell whether the clipboard still holds what it was
// last given without reading it back, which would make one more copy of the secret
// as a string (Valv's own X11 selection owner asks the X server who owns the
// selection). known is false when it cannot tell, for a copy it had to hand to the
// toolkit; the guard then compares a hash of the content, as for a plain Clipboard.
type Holder interface {
	Holds() (held, known bool)
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
	if h, ok := g.cb.(Holder); ok {
		if held, known := h.Holds(); known {
			if held {
				g.cb.SetContent("")
			}
			return
		}
	}
	now := sha256.Sum256([]byte(g.cb.Content()))
	if subtle.ConstantTimeCompare(now[:], sum[:]) == 1 {
		g.cb.SetContent("")
	}
}
