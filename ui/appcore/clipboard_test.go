package appcore

import (
	"testing"
	"time"
)

// TestClipboardGuard: a copied secret is cleared after the delay, but not if the person
// copied something else meanwhile; a delay of 0 keeps it.
func TestClipboardGuard(t *testing.T) {
	cb := &fakeClipboard{}
	clock := NewManualClock(time.Now())
	g := newClipboardGuard(cb, Inline.OnUI, clock)
	g.copy("s3cret", 30*time.Second)
	if cb.Content() != "s3cret" {
		t.Fatal("copy did not reach the clipboard")
	}
	clock.Advance(29 * time.Second)
	if cb.Content() != "s3cret" {
		t.Fatal("cleared before the delay")
	}
	clock.Advance(time.Second)
	if cb.Content() != "" {
		t.Fatal("the secret was not cleared after the delay")
	}

	g.copy("s3cret", 30*time.Second)
	cb.SetContent("my own text")
	clock.Advance(time.Minute)
	if cb.Content() != "my own text" {
		t.Errorf("the guard cleared what the person copied afterwards: %q", cb.Content())
	}

	g.copy("forever", 0)
	clock.Advance(24 * time.Hour)
	if cb.Content() != "forever" || clock.Pending() != 0 {
		t.Errorf("a delay of 0 (never) cleared the clipboard or set a timer: %q", cb.Content())
	}
	g.clearIfOurs() // locking clears it at once
	if cb.Content() != "" {
		t.Error("clearing on lock left the secret")
	}
}

// TestClipboardDelayFromSettings: the controller clears a copied secret after the delay
// Settings give, and a second copy restarts it.
func TestClipboardDelayFromSettings(t *testing.T) {
	s := DefaultSettings()
	s.ClipboardSeconds = 10
	tc := newTestCore(t, s)
	tc.Copy("top secret")
	tc.clock.Advance(9 * time.Second)
	if tc.cb.Content() != "top secret" {
		t.Fatal("cleared too early")
	}
	tc.Copy("second secret")
	tc.clock.Advance(9 * time.Second)
	if tc.cb.Content() != "second secret" {
		t.Fatal("the first copy's timer cleared the second")
	}
	tc.clock.Advance(time.Second)
	if tc.cb.Content() != "" {
		t.Fatal("not cleared after the configured 10 seconds")
	}
}

// holdingClipboard knows whether its copy is still on the clipboard, as Valv's X11
// selection owner does; reading the content back is a failure.
type holdingClipboard struct {
	fakeClipboard
	held, known  bool
	contentReads int
}

func (c *holdingClipboard) Holds() (bool, bool) { return c.held, c.known }
func (c *holdingClipboard) Content() string {
	c.contentReads++
	return c.fakeClipboard.Content()
}

// TestClipboardGuardAsksTheHolder: with a Holder the guard clears without reading the
// secret back, leaves another program's copy alone, and compares hashes when the
// holder cannot tell.
func TestClipboardGuardAsksTheHolder(t *testing.T) {
	clock := NewManualClock(time.Now())
	cb := &holdingClipboard{held: true, known: true}
	g := newClipboardGuard(cb, Inline.OnUI, clock)
	g.copy("s3cret", 30*time.Second)
	clock.Advance(30 * time.Second)
	if cb.fakeClipboard.Content() != "" || cb.contentReads != 0 {
		t.Errorf("held copy: clipboard %q after the delay, %d reads of the content", cb.fakeClipboard.Content(), cb.contentReads)
	}

	g.copy("s3cret", 30*time.Second)
	cb.held = false // another program copied; this fake still shows the old text
	clock.Advance(30 * time.Second)
	if cb.fakeClipboard.Content() != "s3cret" {
		t.Error("the guard cleared a clipboard Valv no longer owns")
	}

	cb.known = false
	g.copy("s3cret", 30*time.Second)
	clock.Advance(30 * time.Second)
	if cb.fakeClipboard.Content() != "" || cb.contentReads != 1 {
		t.Errorf("unknown holder: clipboard %q, %d reads; want cleared after one read", cb.fakeClipboard.Content(), cb.contentReads)
	}
}
