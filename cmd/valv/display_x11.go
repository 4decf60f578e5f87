//go:build linux || freebsd || openbsd || netbsd

package main

import (
	"errors"
	"fmt"
	"net"
	"os"
	"time"

	"github.com/valvpm/valv/internal/x11clip"
)

// errNoDisplay is why Valv cannot start: it is a windowed app and no X display could be
// opened (over SSH, in a console, DISPLAY unset or wrong). GLFW would panic with a
// stack trace; the person gets this one sentence instead.
var errNoDisplay = errors.New("cannot start without a graphical session")

// checkDisplay makes sure the X server DISPLAY names accepts connections before Fyne
// asks GLFW to open a window.
func checkDisplay() error {
	d := os.Getenv("DISPLAY")
	if d == "" {
		return fmt.Errorf("%w (DISPLAY is not set)", errNoDisplay)
	}
	addrs, ok := x11clip.Addresses(d)
	if !ok {
		return nil // a form this check does not know: let GLFW try
	}
	for _, a := range addrs {
		if c, err := net.DialTimeout(a[0], a[1], 3*time.Second); err == nil {
			return c.Close()
		}
	}
	return fmt.Errorf("%w (the display %s cannot be opened)", errNoDisplay, d)
}
