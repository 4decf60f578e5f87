package harden

import (
	"errors"
	"fmt"

	"golang.org/x/sys/unix"
)

// apply denies debuggers and turns off core files. PT_DENY_ATTACH makes the kernel
// refuse any later ptrace attach (lldb, task_for_pid through the debugger path) and
// kill the process if it is already being traced; RLIMIT_CORE 0 keeps crashes from
// writing /cores/core.PID.
func apply() error {
	var errs []error
	if err := unix.PtraceDenyAttach(); err != nil {
		errs = append(errs, fmt.Errorf("cannot deny debugger attachment: %w", err))
	}
	if err := unix.Setrlimit(unix.RLIMIT_CORE, &unix.Rlimit{Cur: 0, Max: 0}); err != nil {
		errs = append(errs, fmt.Errorf("cannot turn off core files: %w", err))
	}
	return errors.Join(errs...)
}
