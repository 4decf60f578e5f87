package cloudsync

import (
	"context"
	"testing"
	"time"

	"github.com/valvpm/valv/cloud/cloudtest"
)

// waitFiles reads statuses until one satisfies ok.
func waitFiles(t *testing.T, ch <-chan Status, ok func(FileStatus) bool) FileStatus {
	t.Helper()
	timeout := time.After(60 * time.Second)
	for {
		select {
		case s := <-ch:
			if ok(s.Files) {
				return s.Files
			}
		case <-timeout:
			t.Fatal("the files did not sync in the background")
		}
	}
}

// runDevice runs a Runner for d until the test ends; its statuses come on the channel.
func runDevice(t *testing.T, d *device) (*Runner, <-chan Status) {
	t.Helper()
	ch := make(chan Status, 64)
	r := NewRunner(d.e, func(s Status) {
		select {
		case ch <- s:
		default: // the test reads the latest ones; a full channel drops the oldest news
		}
	})
	ctx, cancel := context.WithCancel(bg)
	done := make(chan struct{})
	go func() { defer close(done); r.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	return r, ch
}

// TestRunnerSyncsFiles: the runner uploads a new file after the items' sync, on its
// own goroutine, and a second device's runner downloads it without being asked; Fetch
// serves a file at once.
func TestRunnerSyncsFiles(t *testing.T) {
	env := cloudtest.Start(t)
	a := firstDevice(t, env, "runner-files@example.com", note("Card"))
	data := testFile(7, 3<<20+1)
	item, att := a.attach(t, "Card", "card.png", data)
	_, ach := runDevice(t, a)
	fs := waitFiles(t, ach, func(f FileStatus) bool { return f.Last.Uploaded > 0 })
	if fs.Err != nil || fs.Last.Uploaded != 4 || fs.ToUpload != 0 {
		t.Fatalf("A's background round: %+v", fs)
	}
	b := nextDevice(t, env, "runner-files@example.com", "d2")
	rb, bch := runDevice(t, b)
	if err := rb.Fetch(bg, att.ID); err != nil {
		t.Fatalf("fetch: %v", err)
	}
	got, err := b.readFile(item, att.ID)
	if err != nil {
		t.Fatal(err)
	}
	sameBytes(t, "the fetched file", got, data)
	fs = waitFiles(t, bch, func(f FileStatus) bool { return f.ToDownload == 0 && f.Err == nil })
	if fs.ToUpload != 0 {
		t.Fatalf("B's background round: %+v", fs)
	}
}
