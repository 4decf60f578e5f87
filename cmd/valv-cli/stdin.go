package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/valvpm/valv/internal/secret"
)

// maxStdinLine bounds one line of standard input: far above any password, and a fixed
// size lets the line be read into one locked buffer that never grows (growing would
// leave copies of the prefix behind).
const maxStdinLine = 4096

var errLineTooLong = fmt.Errorf("a line of standard input is longer than %d bytes", maxStdinLine)

// stdinLines reads standard input a line at a time for --password-stdin. A
// bufio.Reader would read ahead into a 4 KiB buffer that keeps the master password and
// every later line (export passwords, codes) for the life of the process; this reads
// one byte per call, so nothing past the current line leaves the pipe, and the line
// itself is read into locked memory that is wiped before returning.
type stdinLines struct{ r io.Reader }

// next returns the next line without its line end, in a new slice the caller wipes;
// io.EOF when input has ended before any byte of a line.
func (s *stdinLines) next() ([]byte, error) {
	buf := secret.NewLocked(maxStdinLine)
	defer buf.Destroy()
	b := buf.Bytes()
	n := 0
	for {
		if n == len(b) {
			return nil, errLineTooLong
		}
		k, err := s.r.Read(b[n : n+1])
		if k == 1 {
			if b[n] == '\n' {
				break
			}
			n++
			continue
		}
		if errors.Is(err, io.EOF) {
			if n == 0 {
				return nil, io.EOF
			}
			break
		}
		if err != nil {
			return nil, fmt.Errorf("reading standard input: %w", err)
		}
	}
	if n > 0 && b[n-1] == '\r' {
		n--
	}
	line := make([]byte, n)
	copy(line, b[:n])
	return line, nil
}
