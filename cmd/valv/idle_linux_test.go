package main

import (
	"testing"
	"time"
)

// TestIdlerPark: the loop is parked only when the window is still and the call runs on
// the UI thread; a wait that ends early (an event came) gives the loop time to draw.
func TestIdlerPark(t *testing.T) {
	cases := []struct {
		name          string
		quiet, onMain bool
		waited        time.Duration // how long the wait lasts before an event
		wantWait      bool
		wantParked    bool
	}{
		{"still, no event", true, true, idleWait, true, true},
		{"still, an event", true, true, idleWait / 3, true, false},
		{"something moves", false, true, idleWait, false, false},
		{"loop shut down", true, false, idleWait, false, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			now := time.Unix(0, 0)
			waits := 0
			i := &idler{
				quiet:  func() bool { return c.quiet },
				onUI:   func(f func()) { f() },
				wait:   func(d time.Duration) { waits++; now = now.Add(min(d, c.waited)) },
				pause:  func(time.Duration) { t.Fatal("park paused") },
				onMain: func() bool { return c.onMain },
				now:    func() time.Time { return now },
			}
			parked := i.park()
			if (waits > 0) != c.wantWait || parked != c.wantParked {
				t.Fatalf("waits=%d parked=%v, want wait=%v parked=%v", waits, parked, c.wantWait, c.wantParked)
			}
		})
	}
}
