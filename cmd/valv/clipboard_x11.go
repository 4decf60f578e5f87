//go:build linux || freebsd || openbsd || netbsd

package main

import (
	"log"
	"os"
	"sync"

	"fyne.io/fyne/v2"

	"github.com/valvpm/valv/internal/x11clip"
	"github.com/valvpm/valv/ui/appcore"
)

// secretClipboard puts what Valv copies on the X11 clipboard through Valv's own
// selection owner, which marks it with x-kde-passwordManagerHint=secret so clipboard
// managers leave it out of their history (GLFW's owner offers text only). Reading, and
// copies the owner cannot take (too long, no selection), go through Fyne's clipboard.
type secretClipboard struct {
	fyne.Clipboard
	owner *x11clip.Owner

	mu      sync.Mutex
	viaFyne bool // the last copy went through Fyne, without the hint
}

// appClipboard is the clipboard the controller copies secrets to: the X11 owner when
// the display can be reached, else Fyne's.
func appClipboard(fc fyne.Clipboard) appcore.Clipboard {
	o, err := x11clip.Dial(os.Getenv("DISPLAY"))
	if err != nil {
		log.Printf("valv: copies go to the clipboard without the secret marker: %v", err)
		return fc
	}
	return &secretClipboard{Clipboard: fc, owner: o}
}

// SetContent offers s with the secret hint; "" empties the clipboard if Valv's copy is
// still on it.
func (c *secretClipboard) SetContent(s string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if s == "" {
		if c.viaFyne {
			c.Clipboard.SetContent("")
		} else if err := c.owner.Clear(); err != nil {
			log.Printf("valv: clearing the clipboard: %v", err)
		}
		c.viaFyne = false
		return
	}
	if err := c.owner.Offer(s); err != nil {
		log.Printf("valv: copying without the secret marker: %v", err)
		c.Clipboard.SetContent(s)
		c.viaFyne = true
		return
	}
	c.viaFyne = false
}

// Holds tells the clipboard guard whether Valv's copy is still on the clipboard; for a
// copy made through Fyne it cannot tell.
func (c *secretClipboard) Holds() (held, known bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.viaFyne {
		return false, false
	}
	return c.owner.Holds(), true
}
