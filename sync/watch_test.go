package cloudsync

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/valvpm/valv/account"
)

// TestWatchBacksOff: with the server gone, Watch asks again after 0.5 s, then twice as
// long each time up to a minute, and stops when its context ends; it never calls
// changed without an answer.
func TestWatchBacksOff(t *testing.T) {
	c, err := account.New("http://"+freeAddr(t), account.Options{}) // nothing listens there
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(bg)
	defer cancel()
	var waits []time.Duration
	fired := make(chan time.Time)
	close(fired)
	after := func(d time.Duration) <-chan time.Time {
		if waits = append(waits, d); len(waits) == 10 {
			cancel()
		}
		return fired
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		watch(ctx, c, func() uint64 { return 0 }, func() { t.Error("told of a change by a server that is not there") }, after)
	}()
	select {
	case <-done:
	case <-time.After(time.Minute):
		t.Fatal("Watch did not stop with its context")
	}
	want := []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second,
		16 * time.Second, 32 * time.Second, time.Minute, time.Minute, time.Minute}
	if !slices.Equal(waits, want) {
		t.Fatalf("back-off %v, want %v", waits, want)
	}
}
