//go:build !linux

package argon2

// newBlocks allocates the work area (transparent huge pages are a Linux feature; see
// hugepages_linux.go).
func newBlocks(n int) []block { return make([]block, n) }
