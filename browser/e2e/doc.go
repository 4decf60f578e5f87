// Package e2e is the end-to-end suite of browser autofill: Debian's Chromium in
// headless mode with the built extension loaded, the real valv-browser-host started
// by Chromium through the host manifest that `valv-cli browser install` writes, and
// the app's server over a real vault in a temporary folder. Login pages are served on
// loopback under several host names (Chromium maps *.test to 127.0.0.1), over https
// and http, so look-alike, cross-origin and http cases are real. Run it with
// `make test-browser`; it needs `make extension` first.
package e2e
