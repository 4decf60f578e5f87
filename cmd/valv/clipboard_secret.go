//go:build linux || freebsd || openbsd || netbsd || windows

package main

import (
	"log"
	"sync"

	"fyne.io/fyne/v2"
)

// secretOwner writes copies with the system's secret marker and tells, without reading
// the copy back, whether the clipboard still holds it: x11clip.Owner, winclip.Clipboard.
type secretOwner interface {
	Offer(string) error
	Clear() error
	Holds() bool
}

// secretClipboard puts what Valv copies on the clipboard through Valv's own writer,
// which marks it as a secret so clipboard managers and history leave it out. Reading,
// and copies the writer cannot take, go through Fyne's clipboard.
type secretClipboard struct {
	fyne.Clipboard
	owner secretOwner

	mu      sync.Mutex
	viaFyne bool // the last copy went through Fyne, without the marker
}

// SetContent offers s with the secret marker; "" empties the clipboard if Valv's copy is
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
