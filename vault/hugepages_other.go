//go:build !linux

package vault

// prepareKDFMemory is a no-op where transparent huge pages do not exist (see
// hugepages_linux.go).
func prepareKDFMemory(uint32) {}
