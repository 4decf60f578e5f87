package memscan

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

// Scan reads every writable or anonymous mapping of process pid through
// /proc/PID/mem and counts the canaries (name → text) in it. Read-only file mappings
// (program text, libraries, fonts) hold no secret and are skipped. Reading another
// user's or a non-dumpable process needs CAP_SYS_PTRACE (root).
func Scan(pid int, canaries map[string]string) (Result, error) {
	maps, err := os.ReadFile(fmt.Sprintf("/proc/%d/maps", pid))
	if err != nil {
		return nil, fmt.Errorf("memscan: %w", err)
	}
	mem, err := os.Open(fmt.Sprintf("/proc/%d/mem", pid))
	if err != nil {
		return nil, fmt.Errorf("memscan: %w", err)
	}
	r := Result{}
	var buf []byte
	for line := range strings.Lines(string(maps)) {
		f := strings.Fields(line)
		if len(f) < 5 || !strings.HasPrefix(f[1], "r") {
			continue
		}
		path := ""
		if len(f) >= 6 {
			path = f[5]
		}
		if path == "[vvar]" || path == "[vsyscall]" || path == "[vvar_vclock]" || (f[1][1] != 'w' && path != "" && !strings.HasPrefix(path, "[")) {
			continue
		}
		lo, hi, _ := strings.Cut(f[0], "-")
		a, err1 := strconv.ParseUint(lo, 16, 64)
		b, err2 := strconv.ParseUint(hi, 16, 64)
		if err1 != nil || err2 != nil {
			continue
		}
		if uint64(cap(buf)) < b-a {
			buf = make([]byte, b-a)
		}
		n, _ := mem.ReadAt(buf[:b-a], int64(a)) // a mapping may vanish or be unreadable meanwhile
		r.count(buf[:n], canaries)
	}
	if err := mem.Close(); err != nil {
		return nil, fmt.Errorf("memscan: %w", err)
	}
	return r, nil
}
