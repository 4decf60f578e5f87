// Package secret holds the one helper every part of Valv uses on passwords and keys
// it no longer needs. It imports nothing, so the vault, the terminal client and the
// desktop app can all use it.
package secret

// Wipe zeroes b. It is best effort: the Go runtime may have copied the bytes (a
// growing slice, a string conversion), so callers still keep secrets in as few
// places as they can.
func Wipe(b []byte) { clear(b) }
