// Command valv-browser-host is Valv's native messaging host. The browser starts it
// when Valv's extension connects (the host manifests that `valv-cli browser install`
// writes name it) and talks to it over stdin and stdout in native messaging frames;
// the host relays them to the running Valv app over the app's local socket (a Unix
// socket in $XDG_RUNTIME_DIR, a named pipe on Windows). It holds no secrets: the
// messages about logins are sealed between the extension and the app. When Valv is
// not running it says so, as a message the extension shows.
//
// The host is hardened like valv itself (internal/harden): no core file, and no other
// program of the same user may read its memory, which holds the frames in flight.
package main

import (
	"fmt"
	"net"
	"os"

	"github.com/valvpm/valv/browser"
	"github.com/valvpm/valv/internal/harden"
)

func main() {
	if err := harden.Process(); err != nil {
		fmt.Fprintln(os.Stderr, "valv-browser-host: warning:", err)
	}
	// The browser passes the caller's origin (and on Windows a window handle) as
	// arguments; the manifest already limits who may start the host, so they are not
	// needed here.
	path := browser.SocketPath()
	err := browser.RunHost(os.Stdin, os.Stdout, func() (net.Conn, error) { return browser.Dial(path) })
	if err != nil {
		// stderr goes to the browser's log, never to the page.
		fmt.Fprintln(os.Stderr, "valv-browser-host:", err)
		os.Exit(1)
	}
}
