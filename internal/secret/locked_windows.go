package secret

import (
	"fmt"
	"unsafe"

	"golang.org/x/sys/windows"
)

// mapLocked allocates fresh pages for n bytes with VirtualAlloc and locks them in the
// working set, so they are not written to the page file. Windows has no per-page
// exclusion from crash dumps; the process DACL keeps other programs from taking one.
func mapLocked(n int) ([]byte, error) {
	addr, err := windows.VirtualAlloc(0, uintptr(n), windows.MEM_COMMIT|windows.MEM_RESERVE, windows.PAGE_READWRITE)
	if err != nil {
		return nil, fmt.Errorf("cannot allocate memory for a secret: %w", err)
	}
	// The pages belong to the system, not the Go heap, so the collector neither moves
	// nor frees them and holding them through a pointer is safe; the indirection
	// reinterprets the address without a uintptr-to-pointer conversion.
	region := unsafe.Slice((*byte)(*(*unsafe.Pointer)(unsafe.Pointer(&addr))), n)
	if err := windows.VirtualLock(addr, uintptr(n)); err != nil {
		return region, fmt.Errorf("cannot lock memory for a secret: %w", err)
	}
	return region, nil
}

// unmapLocked releases region; freeing unlocks it.
func unmapLocked(region []byte) {
	_ = windows.VirtualFree(uintptr(unsafe.Pointer(&region[0])), 0, windows.MEM_RELEASE)
}
