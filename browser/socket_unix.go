//go:build !windows

package browser

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// SocketPath is where the app listens for the native host: a Unix socket in the OS
// user's runtime folder ($XDG_RUNTIME_DIR, private to the user by the XDG spec), or
// in a private folder of the temporary folder where there is none (macOS gives each
// user their own $TMPDIR).
func SocketPath() string {
	if d := os.Getenv("XDG_RUNTIME_DIR"); d != "" {
		return filepath.Join(d, "valv", "browser.sock")
	}
	return filepath.Join(os.TempDir(), fmt.Sprintf("valv-%d", os.Getuid()), "browser.sock")
}

// privateDir makes dir (0700) and checks that it is a real folder owned by this user
// and closed to everyone else, so nobody could have placed it there to catch the
// socket.
func privateDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("cannot create %s: %w", dir, err)
	}
	fi, err := os.Lstat(dir)
	if err != nil {
		return err
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !fi.IsDir() || !ok || int(st.Uid) != os.Getuid() || fi.Mode().Perm()&0o077 != 0 {
		return fmt.Errorf("%s must be a folder of this user that nobody else can open", dir)
	}
	return nil
}

// Listen opens the app's socket at path (SocketPath in the app), readable and
// writable by this OS user only. A socket left by a Valv that crashed is replaced; one
// that answers belongs to a running Valv (ErrAlreadyRunning).
func Listen(path string) (net.Listener, error) {
	if err := privateDir(filepath.Dir(path)); err != nil {
		return nil, err
	}
	if _, err := os.Lstat(path); err == nil {
		if c, err := net.DialTimeout("unix", path, time.Second); err == nil {
			_ = c.Close() // only probing whether someone listens
			return nil, ErrAlreadyRunning
		}
		if err := os.Remove(path); err != nil {
			return nil, fmt.Errorf("cannot replace the old socket %s: %w", path, err)
		}
	}
	l, err := net.Listen("unix", path)
	if err != nil {
		return nil, fmt.Errorf("cannot listen for the browser at %s: %w", path, err)
	}
	// The folder is already private; the mode is a second lock on the same door.
	if err := os.Chmod(path, 0o600); err != nil {
		_ = l.Close() // the chmod error is the one to report
		return nil, err
	}
	return l, nil
}

// Dial connects the native host to the app's socket; ErrNotRunning when no app
// listens there.
func Dial(path string) (net.Conn, error) {
	c, err := net.DialTimeout("unix", path, 2*time.Second)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ENOENT) {
			return nil, ErrNotRunning
		}
		return nil, fmt.Errorf("%w (%v)", ErrNotRunning, err)
	}
	return c, nil
}
