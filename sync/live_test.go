package cloudsync

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/valvpm/valv/cloud/api"
	"github.com/valvpm/valv/cloud/cloudtest"
	"github.com/valvpm/valv/vault"
)

// askingWaiter passes each wait to the real client and reports the change number it
// asked with, as it starts: the moment Watch has decided about the answer before.
type askingWaiter struct {
	Waiter
	asked chan uint64
}

func (w *askingWaiter) WaitVault(ctx context.Context, epoch, since uint64) (*api.VaultState, error) {
	w.asked <- since
	return w.Waiter.WaitVault(ctx, epoch, since)
}

// until returns once a wait asks with since, failing the test after 20 s.
func (w *askingWaiter) until(t *testing.T, since uint64) {
	t.Helper()
	timeout := time.After(20 * time.Second)
	for {
		select {
		case s := <-w.asked:
			if s == since {
				return
			}
		case <-timeout:
			t.Fatalf("no wait asked since=%d", since)
		}
	}
}

// Phases of TestLiveOwnPushNoPull, as recordingRemote records them.
const (
	phaseStart      = iota // initial syncs
	phaseAfterOwn          // the device's first push was answered
	phaseAfterOther        // the other device pushes
)

// recordingRemote is the real client, with a record of every pull and push: the phase
// the test was in, and the change numbers that came back. The first push answered
// moves it from phaseStart to phaseAfterOwn.
type recordingRemote struct {
	Remote
	phase atomic.Int32
	mu    sync.Mutex
	pulls []pulled
	own   []uint64 // change numbers the server gave this device's pushes
}

type pulled struct {
	phase   int32
	changes []uint64
}

func (c *recordingRemote) Pull(ctx context.Context, since uint64, limit int) (*api.PullResponse, error) {
	pr, err := c.Remote.Pull(ctx, since, limit)
	if err == nil {
		p := pulled{phase: c.phase.Load()}
		for _, it := range pr.Items {
			p.changes = append(p.changes, it.Change)
		}
		c.mu.Lock()
		c.pulls = append(c.pulls, p)
		c.mu.Unlock()
	}
	return pr, err
}

func (c *recordingRemote) Push(ctx context.Context, req api.PushRequest) (*api.PushResponse, error) {
	resp, err := c.Remote.Push(ctx, req)
	if err == nil {
		c.mu.Lock()
		for _, it := range resp.Items {
			c.own = append(c.own, it.Change)
		}
		c.mu.Unlock()
		c.phase.CompareAndSwap(phaseStart, phaseAfterOwn)
	}
	return resp, err
}

// TestWatchOwnPushIsNoNews: the notice of a device's own push, even when it arrives
// before the push's answer, tells that device nothing (its cursor moved past the push)
// and the next wait parks; another device's push is news, and pulled alone.
func TestWatchOwnPushIsNoNews(t *testing.T) {
	env := cloudtest.Start(t)
	a := firstDevice(t, env, "own@example.com", &vault.Item{Type: vault.TypeNote, Title: "first"})
	b := nextDevice(t, env, "own@example.com", "d2")
	w := &askingWaiter{Waiter: a.c, asked: make(chan uint64, 100)}
	told := make(chan struct{}, 10)
	ctx, cancel := context.WithCancel(bg)
	done := make(chan struct{})
	go func() {
		defer close(done)
		Watch(ctx, w, a.e.Cursor, func() { told <- struct{}{} })
	}()
	t.Cleanup(func() { cancel(); <-done })

	w.until(t, 1) // parked with what the upload left
	if _, err := a.v.Add(&vault.Item{Type: vault.TypeNote, Title: "from A"}); err != nil {
		t.Fatal(err)
	}
	if rep := a.sync(t); rep.Pushed != 1 || rep.Pulled != 0 {
		t.Fatalf("A's sync: %+v", rep)
	}
	if c := a.e.Cursor(); c != 2 {
		t.Fatalf("after its own push A's cursor is %d, want 2", c)
	}
	w.until(t, 2) // the answer to the wait under way came, and Watch decided about it
	if len(told) != 0 {
		t.Fatal("A was told of its own push")
	}
	if rep := a.sync(t); rep.Pulled != 0 {
		t.Fatalf("A pulled its own change back: %+v", rep)
	}

	if _, err := b.v.Add(&vault.Item{Type: vault.TypeNote, Title: "from B"}); err != nil {
		t.Fatal(err)
	}
	if rep := b.sync(t); rep.Pushed != 1 || rep.Pulled != 1 {
		t.Fatalf("B's sync: %+v", rep)
	}
	select {
	case <-told:
	case <-time.After(20 * time.Second):
		t.Fatal("A was not told of B's push")
	}
	w.until(t, 3)
	if len(told) != 0 {
		t.Fatal("A was told twice of one push")
	}
	if rep := a.sync(t); rep.Pulled != 1 {
		t.Fatalf("A's sync after B's push: %+v", rep)
	}
}

// TestLiveOwnPushNoPull: two devices with live sync on, each a Runner, through a real
// valv-cloud. A's push reaches B, and A makes no request for it afterwards; B's push
// reaches A, which pulls B's change and never one of its own.
func TestLiveOwnPushNoPull(t *testing.T) {
	env := cloudtest.Start(t)
	a := firstDevice(t, env, "live@example.com")
	b := nextDevice(t, env, "live@example.com", "d2")
	ra := &recordingRemote{Remote: a.c}
	wa := &askingWaiter{Waiter: a.c, asked: make(chan uint64, 100)}
	stA, stB := make(chan Status, 100), make(chan Status, 100)
	ctx, cancel := context.WithCancel(bg)
	var wg sync.WaitGroup
	for _, d := range []struct {
		e  *Engine
		w  Waiter
		ch chan Status
	}{{New(a.v, ra), wa, stA}, {b.e, b.c, stB}} {
		r := NewRunner(d.e, func(s Status) { d.ch <- s })
		r.Debounce, r.Interval = 10*time.Millisecond, time.Hour
		wg.Add(2)
		go func() { defer wg.Done(); r.Run(ctx) }()
		go func() { defer wg.Done(); r.Live(ctx, d.w) }()
	}
	stop := func() { cancel(); wg.Wait() }
	t.Cleanup(stop)
	waitState(t, stA, StateSynced)
	waitState(t, stB, StateSynced)

	if _, err := a.v.Add(&vault.Item{Type: vault.TypeNote, Title: "from A"}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, stB, b.v, "from A")
	wa.until(t, 1) // A's watch has had its own push's notice

	ra.phase.Store(phaseAfterOther)
	if _, err := b.v.Add(&vault.Item{Type: vault.TypeNote, Title: "from B"}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, stA, a.v, "from B")
	wa.until(t, 2)
	stop()

	ra.mu.Lock()
	defer ra.mu.Unlock()
	if !slices.Equal(ra.own, []uint64{1}) {
		t.Fatalf("A's push got change numbers %v, want [1]", ra.own)
	}
	var got []uint64
	for _, p := range ra.pulls {
		switch p.phase {
		case phaseAfterOwn:
			t.Errorf("A pulled (since its cursor, got %v) after its own push", p.changes)
		case phaseAfterOther:
			got = append(got, p.changes...)
		}
	}
	if !slices.Equal(got, []uint64{2}) {
		t.Errorf("after B's push A pulled changes %v, want B's [2] alone", got)
	}
}

// waitFor reads a runner's statuses until its vault holds an item titled title.
func waitFor(t *testing.T, ch <-chan Status, v *vault.Vault, title string) {
	t.Helper()
	for {
		waitState(t, ch, StateSynced)
		if l, _ := v.Search(title, vault.Filter{}); len(l) == 1 {
			return
		}
	}
}

// The cursor moves past a push only when the push's change numbers are exactly the
// ones after it.
func TestPastOwnPush(t *testing.T) {
	sent := map[string]uint64{"a": 1, "b": 1}
	res := func(latest uint64, changes ...uint64) *api.PushResponse {
		r := &api.PushResponse{LatestChange: latest}
		for i, c := range changes {
			r.Items = append(r.Items, api.PushResult{ID: string(rune('a' + i)), Change: c})
		}
		return r
	}
	for _, tc := range []struct {
		name   string
		cursor uint64
		resp   *api.PushResponse
		want   uint64
	}{
		{"right after the cursor", 5, res(7, 6, 7), 7},
		{"another device's change between", 5, res(8, 7, 8), 5},
		{"another device's change after", 5, res(8, 6, 7), 5},
		{"a number twice", 5, res(7, 6, 6), 5},
		{"a number at or before the cursor", 5, res(7, 5, 7), 5},
		{"nothing pushed", 5, res(5), 5},
		{"an item not sent", 5, &api.PushResponse{LatestChange: 6, Items: []api.PushResult{{ID: "x", Change: 6}}}, 5},
	} {
		if got := pastOwnPush(tc.cursor, tc.resp, sent); got != tc.want {
			t.Errorf("%s: cursor %d, want %d", tc.name, got, tc.want)
		}
	}
}
