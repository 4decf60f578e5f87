package breach

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"sync"
)

//go:generate go run ./internal/genbuiltin -list data/10-million-password-list-top-100000.txt -out builtin.bin

// builtin.bin is the filter of the 100,000 most common breached passwords (see the
// package documentation for the list and its licence).
//
//go:embed builtin.bin
var builtinFile []byte

var builtin = sync.OnceValues(func() (*Filter, error) {
	return Open(bytes.NewReader(builtinFile), int64(len(builtinFile)))
})

// Builtin is the filter that ships inside Valv: the 100,000 most common breached
// passwords, answered from memory with no file and no network.
func Builtin() (*Filter, error) { return builtin() }

// ListPasswords splits a password list, one a line (LF or CRLF), skipping blank lines.
// Passwords are kept byte for byte: breach lists are case-sensitive.
func ListPasswords(b []byte) []string {
	var out []string
	for l := range strings.SplitSeq(string(b), "\n") {
		if l = strings.TrimSuffix(l, "\r"); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// OpenFile opens a filter file, such as one `valv-cli breach-filter build` wrote.
// Close the filter when done with it.
func OpenFile(path string) (*Filter, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("there is no breach filter at %s", path)
	}
	if err != nil {
		return nil, fmt.Errorf("opening the breach filter: %w", err)
	}
	st, err := f.Stat()
	if err == nil {
		var flt *Filter
		if flt, err = Open(f, st.Size()); err == nil {
			flt.closer = f
			return flt, nil
		}
	}
	if cerr := f.Close(); cerr != nil {
		return nil, cerr
	}
	return nil, fmt.Errorf("%w: %s", err, path)
}

// Close closes the file a filter was opened from; it does nothing for the built-in one.
func (f *Filter) Close() error {
	if f.closer == nil {
		return nil
	}
	return f.closer.Close()
}
