// Package browser is the desktop app's side of browser autofill (PRODUCT.md §5,
// DESIGN.md "Browser"): a local socket server that Valv's native messaging host relays
// the extension's messages to, the NaCl-box encrypted and paired protocol spoken over
// it, the rules for which logins may fill which page, and the list of paired browsers.
//
//	page ─► extension ─(native messaging)─► valv-browser-host ─(socket 0600 / pipe)─► Server ─► Core ─► vault
//
// The host only relays (frame.go gives the framing both use). Everything else happens
// here: the extension and the app each have a key pair; a browser whose key is not
// paired can only say hello and ask to pair, which the person approves in the app after
// comparing a short code both sides show (crypto.go, pairings.go). Paired requests are
// sealed with nacl/box and bound to the connection, so another local program can
// neither read a fill nor replay one (session.go). Which login fills which page is
// decided here, never by the extension (match.go), and again at fill time.
//
// The package does not import Fyne: the desktop app's core implements Core and passes
// the callbacks that show the pairing dialog and the unlock window.
package browser
