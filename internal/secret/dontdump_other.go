//go:build unix && !linux

package secret

// dontDump has no per-page equivalent on this system; the process's RLIMIT_CORE 0
// keeps core files from being written at all.
func dontDump([]byte) {}
