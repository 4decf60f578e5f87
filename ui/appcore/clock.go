package appcore

import (
	"sort"
	"sync"
	"time"
)

// Clock tells the time and runs a function later. The app uses SystemClock; tests use a
// ManualClock and move it, so a countdown or a timer is tested without waiting for it.
type Clock interface {
	Now() time.Time
	// AfterFunc calls f on its own goroutine once d has passed (ManualClock: on the
	// goroutine that moves the clock past it).
	AfterFunc(d time.Duration, f func()) Timer
}

// Timer is a pending AfterFunc; *time.Timer is one.
type Timer interface {
	// Stop prevents the call if it has not happened yet, and reports whether it did.
	Stop() bool
	// Reset makes the call happen d from now instead, and reports whether it was
	// still pending.
	Reset(d time.Duration) bool
}

// SystemClock is the real time.
type SystemClock struct{}

// Now returns time.Now().
func (SystemClock) Now() time.Time { return time.Now() }

// AfterFunc is time.AfterFunc.
func (SystemClock) AfterFunc(d time.Duration, f func()) Timer { return time.AfterFunc(d, f) }

// ManualClock is a Clock that moves only when told. Advance runs every function that
// falls due, in the order of their times, on the calling goroutine, so when Advance
// returns, everything the elapsed time caused has happened.
type ManualClock struct {
	mu     sync.Mutex
	now    time.Time
	timers []*manualTimer
}

// NewManualClock starts a ManualClock at t.
func NewManualClock(t time.Time) *ManualClock { return &ManualClock{now: t} }

// Now returns the clock's time.
func (c *ManualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// AfterFunc schedules f at d after the clock's time.
func (c *ManualClock) AfterFunc(d time.Duration, f func()) Timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &manualTimer{c: c, when: c.now.Add(d), f: f}
	t.arm()
	return t
}

// Advance moves the clock forward by d, running what falls due on the way.
func (c *ManualClock) Advance(d time.Duration) {
	c.mu.Lock()
	end := c.now.Add(d)
	for {
		t := c.next(end)
		if t == nil {
			break
		}
		t.pending = false
		c.now = t.when
		c.mu.Unlock()
		t.f() // unlocked: f may read the clock or schedule again
		c.mu.Lock()
	}
	c.now = end
	c.mu.Unlock()
}

// Pending reports how many calls are scheduled and not yet due.
func (c *ManualClock) Pending() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, t := range c.timers {
		if t.pending {
			n++
		}
	}
	return n
}

// next returns the earliest pending timer due by end, dropping finished ones. c.mu is
// held.
func (c *ManualClock) next(end time.Time) *manualTimer {
	live := c.timers[:0]
	for _, t := range c.timers {
		if t.pending {
			live = append(live, t)
		} else {
			t.listed = false
		}
	}
	c.timers = live
	sort.SliceStable(live, func(i, j int) bool { return live[i].when.Before(live[j].when) })
	if len(live) == 0 || live[0].when.After(end) {
		return nil
	}
	return live[0]
}

type manualTimer struct {
	c       *ManualClock
	when    time.Time
	f       func()
	pending bool
	listed  bool // in c.timers (a stopped timer stays listed until next drops it)
}

// arm makes t pending; c.mu is held.
func (t *manualTimer) arm() {
	t.pending = true
	if !t.listed {
		t.listed = true
		t.c.timers = append(t.c.timers, t)
	}
}

func (t *manualTimer) Stop() bool {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	was := t.pending
	t.pending = false
	return was
}

func (t *manualTimer) Reset(d time.Duration) bool {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	was := t.pending
	t.when = t.c.now.Add(d)
	t.arm()
	return was
}
