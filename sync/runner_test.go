package cloudsync

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/valvpm/valv/account"
	"github.com/valvpm/valv/cloud/cloudtest"
	"github.com/valvpm/valv/vault"
)

func waitState(t *testing.T, ch <-chan Status, want State) Status {
	t.Helper()
	timeout := time.After(20 * time.Second)
	for {
		select {
		case s := <-ch:
			if s.State == want {
				return s
			}
		case <-timeout:
			t.Fatalf("no %s status", want)
		}
	}
}

// waits stands in for the runner's clock: every wait the runner starts is reported on
// asked, and ends when the test fires it. Debounce waits end at once.
type waits struct {
	debounce  time.Duration
	asked     chan wait
	debounced chan struct{} // if set, told of every debounce wait
}

type wait struct {
	d    time.Duration
	fire chan time.Time
}

func (w *waits) after(d time.Duration) <-chan time.Time {
	c := make(chan time.Time, 1)
	if d == w.debounce {
		if w.debounced != nil {
			w.debounced <- struct{}{}
		}
		c <- time.Time{}
		return c
	}
	w.asked <- wait{d, c}
	return c
}

// next returns the runner's next wait.
func (w *waits) next(t *testing.T) wait {
	t.Helper()
	select {
	case x := <-w.asked:
		return x
	case <-time.After(20 * time.Second):
		t.Fatal("the runner started no wait")
		return wait{}
	}
}

func TestRunnerSyncsChangesAndBacksOffOffline(t *testing.T) {
	env := cloudtest.Start(t)
	a := firstDevice(t, env, "run@example.com")
	b := nextDevice(t, env, "run@example.com", "d2")
	ch := make(chan Status, 100)
	r := NewRunner(a.e, func(s Status) { ch <- s })
	r.Debounce, r.Interval = 50*time.Millisecond, time.Hour
	clock := &waits{debounce: r.Debounce, asked: make(chan wait, 10)}
	r.after = clock.after
	ctx, cancel := context.WithCancel(bg)
	done := make(chan struct{})
	go func() { r.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })

	waitState(t, ch, StateSynced) // at start
	if w := clock.next(t); w.d != r.Interval {
		t.Errorf("after a sync the runner waits %v, want the interval %v", w.d, r.Interval)
	}
	// A local change is pushed by itself, shortly after.
	a.v.Add(&vault.Item{Type: vault.TypeNote, Title: "pushed by the runner"})
	s := waitState(t, ch, StateSynced)
	if s.Pending != 0 || s.LastSync.IsZero() {
		t.Errorf("status after the change: %+v", s)
	}
	clock.next(t)
	b.sync(t)
	if l, _ := b.v.Search("pushed by the runner", vault.Filter{}); len(l) != 1 {
		t.Error("the change did not reach the other device")
	}
	// The server goes away: offline, with the change kept pending, retried after waits
	// that double up to the cap.
	env.HTTP.Close()
	a.v.Add(&vault.Item{Type: vault.TypeNote, Title: "typed offline"})
	s = waitState(t, ch, StateOffline)
	if s.Pending != 1 || !errors.Is(s.Err, account.ErrServerUnreachable) {
		t.Errorf("offline status: %+v", s)
	}
	var got []time.Duration
	for range 8 {
		w := clock.next(t)
		got = append(got, w.d)
		w.fire <- time.Time{}
		waitState(t, ch, StateOffline)
	}
	want := []time.Duration{5 * time.Second, 10 * time.Second, 20 * time.Second, 40 * time.Second, 80 * time.Second,
		160 * time.Second, 5 * time.Minute, 5 * time.Minute}
	if !slices.Equal(got, want) {
		t.Errorf("back-off while offline: %v, want %v", got, want)
	}
	// Locked: the runner does nothing, and waits the interval.
	clock.next(t) // the wait after the last failure
	a.v.Lock()
	r.SyncNow()
	if w := clock.next(t); w.d != r.Interval {
		t.Errorf("locked, the runner waits %v", w.d)
	}
	for len(ch) > 0 {
		if s := <-ch; s.State == StateSyncing {
			t.Error("synced while locked")
		}
	}
}

// Changes a pull applies are no news for the cloud: the runner takes their notice and
// makes no sync for it, and the next request it makes is the next sync asked for.
func TestRunnerNoSyncForAPull(t *testing.T) {
	env := cloudtest.Start(t)
	a := firstDevice(t, env, "pulled@example.com")
	b := nextDevice(t, env, "pulled@example.com", "d2")
	ra := &recordingRemote{Remote: a.c}
	ch := make(chan Status, 100)
	r := NewRunner(New(a.v, ra), func(s Status) { ch <- s })
	r.Debounce, r.Interval = 50*time.Millisecond, time.Hour
	clock := &waits{debounce: r.Debounce, asked: make(chan wait, 10), debounced: make(chan struct{}, 10)}
	r.after = clock.after
	ctx, cancel := context.WithCancel(bg)
	done := make(chan struct{})
	go func() { r.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	waitState(t, ch, StateSynced) // at start

	for _, title := range []string{"from B", "B again"} {
		if _, err := b.v.Add(&vault.Item{Type: vault.TypeNote, Title: title}); err != nil {
			t.Fatal(err)
		}
		b.sync(t)
		r.SyncNow()
		waitFor(t, ch, a.v, title)
		select {
		case <-clock.debounced: // the runner has the pull's notice
		case <-time.After(20 * time.Second):
			t.Fatal("the pull's changes gave the runner no notice")
		}
	}
	cancel()
	<-done
	ra.mu.Lock()
	defer ra.mu.Unlock()
	var got [][]uint64
	for _, p := range ra.pulls[1:] { // after the one at start
		got = append(got, p.changes)
	}
	if want := [][]uint64{{1}, {2}}; !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("A's pulls brought changes %v, want %v: one pull per sync asked for", got, want)
	}
}

// The back-off doubles from its floor up to its cap.
func TestNextBackoff(t *testing.T) {
	for prev, want := range map[time.Duration]time.Duration{
		0: backoffMin, backoffMin: 2 * backoffMin, 2 * time.Minute: 4 * time.Minute,
		4 * time.Minute: backoffMax, backoffMax: backoffMax,
	} {
		if got := nextBackoff(prev); got != want {
			t.Errorf("after %v: %v, want %v", prev, got, want)
		}
	}
}
