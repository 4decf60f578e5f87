//go:build windows

package browser

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"time"

	"github.com/Microsoft/go-winio"
	"golang.org/x/sys/windows"
)

// SocketPath is the app's named pipe for the native host, one per OS user:
// \\.\pipe\valv-browser-<user SID>.
func SocketPath() string {
	sid, err := userSID()
	if err != nil {
		sid = strings.ReplaceAll(os.Getenv("USERNAME"), `\`, "_")
	}
	return `\\.\pipe\valv-browser-` + sid
}

func userSID() (string, error) {
	u, err := windows.GetCurrentProcessToken().GetTokenUser()
	if err != nil {
		return "", err
	}
	return u.User.Sid.String(), nil
}

// Listen opens the app's named pipe, with a security descriptor that lets only this
// OS user (and nobody else, not even other users' administrators' processes by
// default) open it. A pipe already served by another Valv gives ErrAlreadyRunning.
func Listen(path string) (net.Listener, error) {
	sid, err := userSID()
	if err != nil {
		return nil, fmt.Errorf("cannot tell which user this is: %w", err)
	}
	l, err := winio.ListenPipe(path, &winio.PipeConfig{SecurityDescriptor: "D:P(A;;GA;;;" + sid + ")"})
	if err != nil {
		if errors.Is(err, windows.ERROR_ACCESS_DENIED) || errors.Is(err, windows.ERROR_PIPE_BUSY) {
			return nil, ErrAlreadyRunning
		}
		return nil, fmt.Errorf("cannot listen for the browser at %s: %w", path, err)
	}
	return l, nil
}

// Dial connects the native host to the app's pipe; ErrNotRunning when no app serves it.
func Dial(path string) (net.Conn, error) {
	timeout := 2 * time.Second
	c, err := winio.DialPipe(path, &timeout)
	if err != nil {
		return nil, fmt.Errorf("%w (%v)", ErrNotRunning, err)
	}
	return c, nil
}
