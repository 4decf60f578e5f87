package appcore

import (
	"testing"
	"time"

	"github.com/valvpm/valv/vault"
)

// TestAutoLock: the vault locks after the configured inactivity, activity postpones
// it, locking drops the decrypted list and clears our secret from the clipboard, and
// "never" sets no timer at all.
func TestAutoLock(t *testing.T) {
	s := DefaultSettings()
	s.AutoLockSeconds = 60
	tc := newTestCore(t, s)
	locked := 0
	tc.OnLocked = func() { locked++ }
	tc.create(t)
	if _, err := tc.Save(&vault.Item{Type: vault.TypeNote, Title: "Wi-Fi"}); err != nil {
		t.Fatal(err)
	}
	tc.Copy("router password")

	tc.clock.Advance(59 * time.Second)
	tc.Touch()
	tc.clock.Advance(59 * time.Second)
	if tc.Locked() || locked != 0 {
		t.Fatal("the vault locked although the person was active 59 seconds ago")
	}
	tc.clock.Advance(time.Second)
	if !tc.Locked() || locked != 1 {
		t.Fatalf("after a minute of inactivity: locked %v, OnLocked called %d times", tc.Locked(), locked)
	}
	if tc.Items() != nil {
		t.Error("the locked controller still lists items")
	}
	if tc.cb.Content() != "" {
		t.Error("auto-lock left our copied secret on the clipboard")
	}
	if tc.clock.Pending() != 0 {
		t.Errorf("%d timers are still set after the lock", tc.clock.Pending())
	}

	var err error
	tc.Unlock([]byte(strongPassword), func(e error) { err = e })
	if err != nil || tc.Locked() {
		t.Fatalf("unlock: %v", err)
	}
	never := tc.Settings()
	never.AutoLockSeconds = 0
	if err := tc.UpdateSettings(never); err != nil {
		t.Fatal(err)
	}
	tc.clock.Advance(48 * time.Hour)
	if tc.Locked() {
		t.Error("auto-lock set to never locked the vault")
	}
}
