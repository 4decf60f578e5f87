//go:build unix && !linux && !darwin

package harden

import "golang.org/x/sys/unix"

// apply turns off core files where the system has no finer control the package knows.
func apply() error {
	return unix.Setrlimit(unix.RLIMIT_CORE, &unix.Rlimit{Cur: 0, Max: 0})
}
