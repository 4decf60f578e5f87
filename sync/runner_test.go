package cloudsync

import (
	"context"
	"errors"
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

func TestRunnerSyncsChangesAndBacksOffOffline(t *testing.T) {
	env := cloudtest.Start(t)
	a := firstDevice(t, env, "run@example.com")
	b := nextDevice(t, env, "run@example.com", "d2")
	ch := make(chan Status, 100)
	r := NewRunner(a.e, func(s Status) { ch <- s })
	r.Debounce, r.Interval = 50*time.Millisecond, time.Hour
	ctx, cancel := context.WithCancel(bg)
	done := make(chan struct{})
	go func() { r.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })

	waitState(t, ch, StateSynced) // at start
	// A local change is pushed by itself, shortly after.
	a.v.Add(&vault.Item{Type: vault.TypeNote, Title: "pushed by the runner"})
	s := waitState(t, ch, StateSynced)
	if s.Pending != 0 || s.LastSync.IsZero() {
		t.Errorf("status after the change: %+v", s)
	}
	b.sync(t)
	if l, _ := b.v.Search("pushed by the runner", vault.Filter{}); len(l) != 1 {
		t.Error("the change did not reach the other device")
	}
	// The server goes away: offline, with the change kept pending.
	env.HTTP.Close()
	a.v.Add(&vault.Item{Type: vault.TypeNote, Title: "typed offline"})
	s = waitState(t, ch, StateOffline)
	if s.Pending != 1 || !errors.Is(s.Err, account.ErrServerUnreachable) {
		t.Errorf("offline status: %+v", s)
	}
	// Locked: the runner does nothing.
	a.v.Lock()
	r.SyncNow()
	select {
	case s := <-ch:
		if s.State == StateSyncing {
			t.Error("synced while locked")
		}
	case <-time.After(300 * time.Millisecond):
	}
}
