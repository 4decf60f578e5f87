package browser_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/valvpm/valv/browser"
)

// TestPairingsOnChange: each saved change is announced once, a last use only when it is
// written (once a minute), and a failed change not at all.
func TestPairingsOnChange(t *testing.T) {
	p, err := browser.OpenPairings(filepath.Join(t.TempDir(), browser.PairingsFile))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	p.OnChange(func() {
		n++
		p.List() // the list's lock is free while it runs
	})
	kp, err := browser.NewKeyPair()
	if err != nil {
		t.Fatal(err)
	}
	step := func(what string, err error, want int) {
		t.Helper()
		if n != want {
			t.Fatalf("after %s: %d announcements, want %d (err %v)", what, n, want, err)
		}
	}
	step("approve", p.Approve(kp.Public[:], "Brave", testNow), 1)
	step("first use", p.Touch(kp.Public[:], testNow), 2)
	step("use within the minute", p.Touch(kp.Public[:], testNow.Add(30*time.Second)), 2)
	step("use a minute later", p.Touch(kp.Public[:], testNow.Add(time.Minute)), 3)
	other, err := browser.NewKeyPair()
	if err != nil {
		t.Fatal(err)
	}
	step("use of an unknown key", p.Touch(other.Public[:], testNow), 3)
	step("revoke of an unknown ID", p.Revoke("nope"), 3)
	step("revoke", p.Revoke(browser.BrowserID(kp.Public[:])), 4)
	p.OnChange(nil)
	step("approve with no listener", p.Approve(kp.Public[:], "Brave", testNow), 4)
}
