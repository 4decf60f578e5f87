//go:build !((linux || freebsd || openbsd || netbsd) && !wayland && !android)

package ui

import "fyne.io/fyne/v2"

// Fyne has no window-position API; on X11 winpos_x11.go asks the X server. Elsewhere
// the window manager places the window and only its size is remembered.

func windowPosition(fyne.Window) (x, y int, ok bool) { return 0, 0, false }

func moveWindow(fyne.Window, int, int) {}
