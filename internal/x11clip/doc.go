// Package x11clip is a small X11 client that owns the CLIPBOARD selection for text
// Valv copies, so the text can be offered with the marker clipboard managers honour:
// the target x-kde-passwordManagerHint with the value "secret" (Klipper, GPaste,
// CopyQ, clipman and others skip such content, as they do for KeePassXC). GLFW, under
// Fyne, offers only the text targets and has no way to add one.
//
// It speaks the core X11 protocol over the display's socket (no Xlib, no cgo): connect
// and authenticate with the MIT-MAGIC-COOKIE-1 from $XAUTHORITY, create an input-only
// window, take the selection and answer each SelectionRequest. The text is kept in
// locked memory (internal/secret) and wiped when the selection is released or taken
// by another program.
package x11clip
