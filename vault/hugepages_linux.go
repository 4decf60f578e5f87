package vault

import (
	"runtime"
	"syscall"
	"unsafe"
)

// prepareKDFMemory makes the Argon2id work area likely to be backed by transparent
// huge pages on Linux. Argon2id touches all of its memory (64 MiB at the floor); with
// 4 KiB pages that is 16,384 page faults, which on these machines cost three times
// the hashing itself (about 250 ms against 75 ms per unlock, measured with
// scripts/bench). Most distributions set THP to "madvise", so the memory must ask.
//
// argon2.IDKey allocates its own buffer, so this allocates one of the same size,
// advises MADV_HUGEPAGE on its range and frees it: Go's page allocator hands the next
// allocation of that size the same (lowest free) range, whose advice the kernel keeps.
// If that reuse does not happen, nothing breaks: the KDF is merely slower. The memory
// is never touched here, so this costs a system call and a GC cycle.
func prepareKDFMemory(kib uint32) {
	if kib == 0 {
		return
	}
	buf := make([]byte, int(kib)*1024)
	// Advise only whole 2 MiB pages inside buf.
	const huge = 2 << 20
	base := uintptr(unsafe.Pointer(&buf[0]))
	off := int((base+huge-1)&^(huge-1) - base)
	n := (len(buf) - off) &^ (huge - 1)
	if n > 0 {
		_ = syscall.Madvise(buf[off:off+n], 14) // 14 = MADV_HUGEPAGE; an error only means no huge pages
	}
	runtime.KeepAlive(buf)
	buf = nil
	runtime.GC()
}
