package appcore

import (
	"slices"
	"testing"
	"time"
)

// TestManualClock: calls fall due in time order, a call may schedule another within the
// same Advance, Stop cancels, and Reset moves a pending or finished call.
func TestManualClock(t *testing.T) {
	start := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	c := NewManualClock(start)
	var got []string
	at := func(name string) func() {
		return func() { got = append(got, name+"@"+c.Now().Sub(start).String()) }
	}
	c.AfterFunc(3*time.Second, at("c"))
	c.AfterFunc(time.Second, func() {
		at("a")()
		c.AfterFunc(time.Second, at("b")) // due at 2 s: inside the same Advance
	})
	stopped := c.AfterFunc(2*time.Second, at("stopped"))
	if !stopped.Stop() || stopped.Stop() {
		t.Error("Stop must report true once, then false")
	}
	moved := c.AfterFunc(time.Second, at("moved"))
	moved.Reset(10 * time.Second)
	c.Advance(5 * time.Second)
	if want := []string{"a@1s", "b@2s", "c@3s"}; !slices.Equal(got, want) {
		t.Errorf("after 5 s: %v, want %v", got, want)
	}
	if now := c.Now().Sub(start); now != 5*time.Second {
		t.Errorf("the clock is at %v, want 5s", now)
	}
	if c.Pending() != 1 {
		t.Errorf("%d calls pending, want 1 (moved)", c.Pending())
	}
	c.Advance(5 * time.Second)
	if got[len(got)-1] != "moved@10s" {
		t.Errorf("Reset call: %v", got)
	}
	// A finished timer can be armed again, once.
	if moved.Reset(time.Second) {
		t.Error("Reset of a finished timer must report false")
	}
	moved.Reset(time.Second)
	c.Advance(time.Second)
	if n := slices.Index(got, "moved@11s"); n < 0 || len(got) != 5 {
		t.Errorf("re-armed timer: %v", got)
	}
}

// TestSystemClock: the real clock's timer is a *time.Timer that can be stopped.
func TestSystemClock(t *testing.T) {
	var c Clock = SystemClock{}
	if d := time.Since(c.Now()); d < 0 || d > time.Minute {
		t.Errorf("SystemClock.Now is %v off", d)
	}
	tm := c.AfterFunc(time.Hour, func() { t.Error("ran") })
	if !tm.Stop() {
		t.Error("a pending system timer did not stop")
	}
}
