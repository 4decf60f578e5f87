package main

import (
	"errors"
	"io"
	"os"

	"golang.org/x/term"
)

// readTerminalPassword reads one line typed on the terminal f without echo. The
// terminal is put in raw mode (no echo, no line editing by the terminal) and the line
// is read by readSecretLine, so the only copy that outlives the call is the returned
// slice, which the caller wipes. The terminal's mode is restored before returning.
func readTerminalPassword(f *os.File) ([]byte, error) {
	old, err := term.MakeRaw(int(f.Fd()))
	if err != nil {
		return nil, err
	}
	pw, err := readSecretLine(f, true)
	if rerr := term.Restore(int(f.Fd()), old); rerr != nil && err == nil {
		err = rerr
	}
	if errors.Is(err, io.EOF) {
		err = errInterrupted
	}
	return pw, err
}
