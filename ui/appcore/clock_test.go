package appcore

import (
	"slices"
	"testing"
	"time"
)

// TestManualClock: timers run in deadline order while Advance passes them, a stopped
// timer never runs, and a timer set by a timer runs in the same Advance when it falls
// due before its end.
func TestManualClock(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := NewManualClock(start)
	var ran []string
	var at []time.Duration
	note := func(name string) func() {
		return func() { ran = append(ran, name); at = append(at, c.Now().Sub(start)) }
	}
	c.AfterFunc(3*time.Second, note("three"))
	c.AfterFunc(1*time.Second, note("one"))
	stopped := c.AfterFunc(2*time.Second, note("stopped"))
	c.AfterFunc(2*time.Second, func() {
		note("two")()
		c.AfterFunc(500*time.Millisecond, note("two and a half"))
	})
	if !stopped.Stop() {
		t.Error("Stop of a pending timer reports it was not pending")
	}
	if stopped.Stop() {
		t.Error("a second Stop reports the timer still pending")
	}
	c.Advance(2500 * time.Millisecond)
	want := []string{"one", "two", "two and a half"}
	if !slices.Equal(ran, want) {
		t.Fatalf("after 2.5 s ran %q, want %q", ran, want)
	}
	if !slices.Equal(at, []time.Duration{time.Second, 2 * time.Second, 2500 * time.Millisecond}) {
		t.Errorf("timers saw the clock at %v", at)
	}
	if got := c.Now().Sub(start); got != 2500*time.Millisecond {
		t.Errorf("the clock stands at +%v", got)
	}
	if c.Pending() != 1 {
		t.Errorf("%d timers pending, want the one at 3 s", c.Pending())
	}
	c.Advance(time.Second)
	if ran[len(ran)-1] != "three" || c.Pending() != 0 {
		t.Errorf("after 3.5 s ran %q with %d pending", ran, c.Pending())
	}
}

// TestSystemClock: the real clock's timer fires, and Stop prevents a later one.
func TestSystemClock(t *testing.T) {
	fired := make(chan struct{})
	System.AfterFunc(time.Millisecond, func() { close(fired) })
	<-fired
	never := System.AfterFunc(time.Hour, func() { t.Error("a stopped timer ran") })
	if !never.Stop() {
		t.Error("Stop of a pending real timer reports it was not pending")
	}
}
