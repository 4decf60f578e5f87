//go:build (linux || freebsd || openbsd || netbsd) && !wayland && !android

package ui

/*
#cgo LDFLAGS: -lX11
#include <X11/Xlib.h>

// valv_get_pos reads where the window's content is on the screen.
static int valv_get_pos(unsigned long win, int *x, int *y) {
	Display *d = XOpenDisplay(NULL);
	if (!d) return 0;
	Window child;
	int ok = XTranslateCoordinates(d, (Window)win, DefaultRootWindow(d), 0, 0, x, y, &child);
	XCloseDisplay(d);
	return ok;
}

// valv_move moves the window so that its content lands at x, y. Window managers differ
// in whether XMoveWindow places the frame or the content, so it measures where the
// content went and corrects once by the difference (the title bar).
static void valv_move(unsigned long win, int x, int y) {
	Display *d = XOpenDisplay(NULL);
	if (!d) return;
	XMoveWindow(d, (Window)win, x, y);
	XSync(d, False);
	Window child;
	int gx, gy;
	if (XTranslateCoordinates(d, (Window)win, DefaultRootWindow(d), 0, 0, &gx, &gy, &child)) {
		if (gx != x || gy != y) {
			XMoveWindow(d, (Window)win, 2 * x - gx, 2 * y - gy);
		}
	}
	XSync(d, False);
	XCloseDisplay(d);
}
*/
import "C"

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver"
)

// x11Window returns the X11 handle of a real window, or 0 (test windows, Wayland).
func x11Window(w fyne.Window) uintptr {
	nw, ok := w.(driver.NativeWindow)
	if !ok {
		return 0
	}
	var h uintptr
	nw.RunNative(func(ctx any) {
		if x, ok := ctx.(driver.X11WindowContext); ok {
			h = x.WindowHandle
		}
	})
	return h
}

// windowPosition returns where the window's content is on the screen.
func windowPosition(w fyne.Window) (x, y int, ok bool) {
	h := x11Window(w)
	if h == 0 {
		return 0, 0, false
	}
	var cx, cy C.int
	if C.valv_get_pos(C.ulong(h), &cx, &cy) == 0 {
		return 0, 0, false
	}
	return int(cx), int(cy), true
}

// moveWindow puts the window's content at x, y.
func moveWindow(w fyne.Window, x, y int) {
	if h := x11Window(w); h != 0 {
		C.valv_move(C.ulong(h), C.int(x), C.int(y))
	}
}
