package main

import (
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/valvpm/valv/internal/secret"
)

// maxStdinLine bounds one line of standard input: far above any password, and a fixed
// size lets the line be read into one locked buffer that never grows (growing would
// leave copies of the prefix behind).
const maxStdinLine = 4096

var (
	errLineTooLong = fmt.Errorf("a line of standard input is longer than %d bytes", maxStdinLine)
	errInterrupted = errors.New("interrupted")
)

// stdinLines reads standard input a line at a time for --password-stdin. A
// bufio.Reader would read ahead into a 4 KiB buffer that keeps the master password and
// every later line (export passwords, codes) for the life of the process; this reads
// one byte per call, so nothing past the current line leaves the pipe, and the line
// itself is read into locked memory that is wiped before returning.
type stdinLines struct{ r io.Reader }

// next returns the next line without its line end, in a new slice the caller wipes;
// io.EOF when input has ended before any byte of a line.
func (s *stdinLines) next() ([]byte, error) { return readSecretLine(s.r, false) }

// readSecretLine reads one line from r a byte at a time into a locked buffer and
// returns it in a new slice of exactly its length, which the caller wipes; the locked
// buffer is wiped before returning. A line ends at '\n' (a '\r' before it is dropped).
//
// raw is for a terminal in raw mode, where the terminal edits nothing: '\r' also ends
// the line, Backspace and Delete remove the last character, Ctrl-U the whole line,
// Ctrl-C interrupts, and Ctrl-D on an empty line is the end of input. Doing this here,
// not in golang.org/x/term's ReadPassword, keeps the password out of the slices that
// its append grows and abandons on the heap.
func readSecretLine(r io.Reader, raw bool) ([]byte, error) {
	buf := secret.NewLocked(maxStdinLine)
	defer buf.Destroy()
	b := buf.Bytes()
	n := 0
	for {
		if n == len(b) {
			return nil, errLineTooLong
		}
		k, err := r.Read(b[n : n+1])
		if k == 1 {
			c := b[n]
			switch {
			case c == '\n' || raw && c == '\r':
				b[n] = 0
				return finishLine(b, n), nil
			case raw && (c == 0x7f || c == '\b'):
				b[n] = 0
				n = dropLastRune(b, n)
				continue
			case raw && c == 0x15: // Ctrl-U
				secret.Wipe(b[:n+1])
				n = 0
				continue
			case raw && c == 0x03: // Ctrl-C
				return nil, errInterrupted
			case raw && c == 0x04: // Ctrl-D
				b[n] = 0
				if n == 0 {
					return nil, io.EOF
				}
				continue
			}
			n++
			continue
		}
		if errors.Is(err, io.EOF) {
			if n == 0 {
				return nil, io.EOF
			}
			return finishLine(b, n), nil
		}
		if err != nil {
			return nil, fmt.Errorf("reading standard input: %w", err)
		}
	}
}

// finishLine copies the first n bytes of b, without a trailing '\r', into a new slice.
func finishLine(b []byte, n int) []byte {
	if n > 0 && b[n-1] == '\r' {
		n--
	}
	line := make([]byte, n)
	copy(line, b[:n])
	return line
}

// dropLastRune wipes the last UTF-8 character of b[:n] and returns the new length.
func dropLastRune(b []byte, n int) int {
	if n == 0 {
		return 0
	}
	_, size := utf8.DecodeLastRune(b[:n])
	secret.Wipe(b[n-size : n])
	return n - size
}
