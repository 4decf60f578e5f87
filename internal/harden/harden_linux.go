package harden

import (
	"errors"
	"fmt"

	"golang.org/x/sys/unix"
)

// apply makes the process non-dumpable and sets its core-file limit to zero.
//
// PR_SET_DUMPABLE 0 does two things: the kernel writes no core file for the process,
// and ptrace attach and /proc/PID/mem, /proc/PID/environ and friends become
// root-only (the files are owned by root), so gdb, gcore or a memory scraper running
// as the same user is refused. The flag is reset by execve of another program, which
// valv does not do with secrets in memory. RLIMIT_CORE 0 backs it up for crash
// handlers that consult the limit rather than the flag (systemd-coredump honours both).
func apply() error {
	var errs []error
	if err := unix.Prctl(unix.PR_SET_DUMPABLE, 0, 0, 0, 0); err != nil {
		errs = append(errs, fmt.Errorf("cannot make the process non-dumpable: %w", err))
	}
	if err := unix.Setrlimit(unix.RLIMIT_CORE, &unix.Rlimit{Cur: 0, Max: 0}); err != nil {
		errs = append(errs, fmt.Errorf("cannot turn off core files: %w", err))
	}
	return errors.Join(errs...)
}
