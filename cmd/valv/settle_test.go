package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// settle waits until the process pid has used no CPU for quiet: it has handled the
// input sent to it and drawn the result. An app that draws nothing while nothing
// changes goes quiet as soon as its work is done, so this waits for a condition,
// not a guess at how long the work takes; on a slow machine it simply waits longer.
// It fails the test if the process is still busy after 30 s.
func settle(t *testing.T, pid int, step string) {
	t.Helper()
	const quiet, poll = 300 * time.Millisecond, 50 * time.Millisecond
	last, err := cpuTicks(pid)
	if err != nil {
		t.Fatalf("%s: %v", step, err)
	}
	since := time.Now()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); {
		time.Sleep(poll) // a polling interval; the condition is the unchanged CPU time
		now, err := cpuTicks(pid)
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		if now != last {
			last, since = now, time.Now()
			continue
		}
		if time.Since(since) >= quiet {
			return
		}
	}
	t.Fatalf("%s: valv was still busy after 30 s", step)
}

// cpuTicks is the user and system CPU time of pid in clock ticks, from
// /proc/PID/stat (fields 14 and 15, counted after the parenthesised name, which may
// hold spaces).
func cpuTicks(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 13 {
		return 0, fmt.Errorf("/proc/%d/stat: %q", pid, s)
	}
	u, err1 := strconv.ParseInt(f[11], 10, 64)
	k, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("/proc/%d/stat: %q", pid, s)
	}
	return u + k, nil
}
