package secret

import "golang.org/x/sys/unix"

// dontDump keeps region out of core files and gcore dumps. Best effort: a kernel
// without MADV_DONTDUMP (before 3.4) dumps the pages, which the process's own
// RLIMIT_CORE 0 and non-dumpable flag already cover.
func dontDump(region []byte) { _ = unix.Madvise(region, unix.MADV_DONTDUMP) }
