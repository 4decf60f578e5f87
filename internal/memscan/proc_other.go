//go:build !linux

package memscan

import "errors"

// Scan needs /proc; elsewhere it reports that it cannot.
func Scan(int, map[string]string) (Result, error) {
	return nil, errors.New("memscan: reading another process's memory is implemented for Linux only")
}
