// Package secret holds what every part of Valv uses for passwords and keys: Wipe for
// bytes no longer needed, and Locked, memory kept out of swap and core dumps. It
// depends on nothing but the system-call package, so the vault, the terminal client
// and the desktop app can all use it.
package secret

// Wipe zeroes b. It is best effort: the Go runtime may have copied the bytes (a
// growing slice, a string conversion), so callers still keep secrets in as few
// places as they can.
func Wipe(b []byte) { clear(b) }
