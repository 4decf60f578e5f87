package secret

import (
	"log"
	"sync"
)

// Locked is a fixed-size buffer for a key or password in memory the operating system
// keeps out of swap (mlock, VirtualLock) and, on Linux, out of core dumps
// (MADV_DONTDUMP). The pages are mapped apart from the Go heap, so the garbage
// collector never moves or copies them, and Destroy zeroes them before giving them
// back.
//
// Locking can fail: RLIMIT_MEMLOCK caps how much an unprivileged process may lock
// (often 64 KiB or 8 MiB). Then the buffer still works, in unlocked pages (or the Go
// heap where even mapping failed), and a notice is logged once.
type Locked struct {
	b      []byte // the caller's n bytes at the start of region
	region []byte // the whole mapping; nil when b is on the Go heap
}

// NewLocked returns a zeroed Locked of n bytes.
func NewLocked(n int) *Locked {
	if n <= 0 {
		return &Locked{}
	}
	region, err := mapLocked(n)
	if err != nil {
		notice(err)
	}
	if region == nil {
		return &Locked{b: make([]byte, n)}
	}
	return &Locked{b: region[:n:n], region: region}
}

// LockedCopy returns a Locked holding a copy of b (the caller wipes b).
func LockedCopy(b []byte) *Locked {
	l := NewLocked(len(b))
	copy(l.b, b)
	return l
}

// Bytes is the buffer itself; it is valid until Destroy. Slicing it is fine; appending
// beyond its length would move the bytes to the Go heap.
func (l *Locked) Bytes() []byte {
	if l == nil {
		return nil
	}
	return l.b
}

// Destroy zeroes the buffer and unmaps it. A Locked may be destroyed twice, and a nil
// one is already destroyed.
func (l *Locked) Destroy() {
	if l == nil {
		return
	}
	Wipe(l.b)
	if l.region != nil {
		Wipe(l.region)
		unmapLocked(l.region)
	}
	l.b, l.region = nil, nil
}

var noticeOnce sync.Once

// notice says once per process that secrets are not in locked memory, and why.
func notice(err error) {
	noticeOnce.Do(func() {
		log.Printf("valv: secrets are kept in ordinary memory, which the system may swap to disk: %v", err)
	})
}
