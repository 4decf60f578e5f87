//go:build unix

package secret

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// mapLocked maps fresh anonymous pages for n bytes, excludes them from core dumps and
// locks them. When locking fails the pages are still returned, with the error.
func mapLocked(n int) ([]byte, error) {
	page := os.Getpagesize()
	size := (n + page - 1) / page * page
	region, err := unix.Mmap(-1, 0, size, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANON)
	if err != nil {
		return nil, fmt.Errorf("cannot map memory for a secret: %w", err)
	}
	// Before the first write, so no byte of the secret is ever in a dumpable page.
	dontDump(region)
	if err := unix.Mlock(region); err != nil {
		return region, fmt.Errorf("cannot lock memory for a secret (raise RLIMIT_MEMLOCK to fix): %w", err)
	}
	return region, nil
}

// unmapLocked gives region back; the kernel unlocks it with the mapping.
func unmapLocked(region []byte) {
	_ = unix.Munmap(region) // only fails for a region that is not a mapping
}
