package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
	"golang.org/x/term"
)

// openPTY returns the two ends of a new pseudo-terminal: the side a person types into
// and the terminal valv-cli reads.
func openPTY(t *testing.T) (typist, tty *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	t.Cleanup(func() { m.Close() })
	rc, err := m.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var n int
	var ierr error
	if err := rc.Control(func(fd uintptr) {
		if ierr = unix.IoctlSetPointerInt(int(fd), unix.TIOCSPTLCK, 0); ierr == nil {
			n, ierr = unix.IoctlGetInt(int(fd), unix.TIOCGPTN)
		}
	}); err != nil || ierr != nil {
		t.Fatalf("unlocking the pseudo-terminal: %v %v", err, ierr)
	}
	s, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return m, s
}

// A master password typed on a terminal is read without x/term's growing slices, the
// terminal's mode is given back, and the one slice the command received is zero once
// the command has finished.
func TestTerminalPasswordIsWipedAfterUse(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "v.db")
	master := "Tp" + strings.Repeat("N3-Coral", 2) + "-Quay"
	if code, _, stderr := cli(t, master+"\n", "init", "--vault", p, "--password-stdin", "--kdf-target", "0"); code != 0 {
		t.Fatalf("init: %s", stderr)
	}
	typist, tty := openPTY(t)
	// Raw from the start, so what the typist sends is not edited or echoed by the
	// kernel before valv-cli switches the terminal itself.
	before, err := term.MakeRaw(int(tty.Fd()))
	if err != nil {
		t.Fatal(err)
	}
	want, err := unix.IoctlGetTermios(int(tty.Fd()), unix.TCGETS)
	if err != nil {
		t.Fatal(err)
	}
	var seen [][]byte
	secretRead = func(b []byte) { seen = append(seen, b) }
	t.Cleanup(func() { secretRead = func([]byte) {} })
	// A typo corrected with Backspace, then the password and Enter.
	if _, err := typist.WriteString("oops\x7f\x7f\x7f\x7f" + master + "\r"); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if code := run([]string{"ls", "--vault", p}, tty, &out, &errb); code != 0 {
		t.Fatalf("ls with the typed password: exit %d: %s", code, errb.String())
	}
	if len(seen) != 1 || len(seen[0]) != len(master) {
		t.Fatalf("the command received %d secrets, want the one master password", len(seen))
	}
	if !bytes.Equal(seen[0], make([]byte, len(master))) {
		t.Error("the master password typed on the terminal was not wiped after the command")
	}
	got, err := unix.IoctlGetTermios(int(tty.Fd()), unix.TCGETS)
	if err != nil {
		t.Fatal(err)
	}
	if *got != *want {
		t.Error("the terminal's mode was not restored after reading the password")
	}
	if err := term.Restore(int(tty.Fd()), before); err != nil {
		t.Fatal(err)
	}
}
