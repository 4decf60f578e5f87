package argon2

import (
	"syscall"
	"unsafe"
)

// newBlocks allocates the work area and asks Linux to back it with transparent huge
// pages. Argon2 touches all of its memory (64 MiB at Valv's floor); with 4 KiB pages
// that is 16,384 page faults, which on small machines cost more than the hashing.
// Most distributions set THP to "madvise", so the memory must ask, before it is first
// touched: a large allocation comes fresh from the OS, and Go does not zero it again.
// An error only means no huge pages, so a slower derivation.
func newBlocks(n int) []block {
	b := make([]block, n)
	const huge = 2 << 20
	raw := unsafe.Slice((*byte)(unsafe.Pointer(&b[0])), n*len(b[0])*8)
	base := uintptr(unsafe.Pointer(&raw[0]))
	off := int((base+huge-1)&^(huge-1) - base)
	if k := (len(raw) - off) &^ (huge - 1); k > 0 {
		_ = syscall.Madvise(raw[off:off+k], 14) // 14 = MADV_HUGEPAGE
	}
	return b
}
