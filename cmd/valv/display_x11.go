//go:build linux || freebsd || openbsd || netbsd

package main

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"time"
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
	host, num, ok := parseDisplay(d)
	if !ok {
		return nil // a form this check does not know: let GLFW try
	}
	var addrs [][2]string
	if host == "" || host == "unix" {
		sock := "/tmp/.X11-unix/X" + num
		addrs = [][2]string{{"unix", sock}, {"unix", "@" + sock}} // file, then Linux's abstract name
	} else {
		n, _ := strconv.Atoi(num)
		addrs = [][2]string{{"tcp", net.JoinHostPort(host, strconv.Itoa(6000+n))}}
	}
	for _, a := range addrs {
		if c, err := net.DialTimeout(a[0], a[1], 3*time.Second); err == nil {
			return c.Close()
		}
	}
	return fmt.Errorf("%w (the display %s cannot be opened)", errNoDisplay, d)
}

// parseDisplay splits an X display name, [host]:number[.screen].
func parseDisplay(d string) (host, num string, ok bool) {
	i := strings.LastIndexByte(d, ':')
	if i < 0 {
		return "", "", false
	}
	host, num = d[:i], d[i+1:]
	num, _, _ = strings.Cut(num, ".")
	if _, err := strconv.Atoi(num); err != nil {
		return "", "", false
	}
	return host, num, true
}
