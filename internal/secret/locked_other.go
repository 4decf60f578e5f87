//go:build !unix && !windows

package secret

import "errors"

// mapLocked cannot lock memory here; the buffer lives on the Go heap.
func mapLocked(int) ([]byte, error) {
	return nil, errors.New("this system cannot lock memory")
}

func unmapLocked([]byte) {}
