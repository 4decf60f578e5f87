package appcore

import (
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/valvpm/valv/vault"
)

const strongPassword = "violet Harbour 73 lantern quietly"

// fakeClipboard stands in for the system clipboard.
type fakeClipboard struct {
	mu sync.Mutex // the app's UI goroutine and a test may both reach it
	s  string
}

func (c *fakeClipboard) Content() string     { c.mu.Lock(); defer c.mu.Unlock(); return c.s }
func (c *fakeClipboard) SetContent(s string) { c.mu.Lock(); defer c.mu.Unlock(); c.s = s }

// testCore is a controller over a real vault file in t.TempDir, with an inline
// scheduler and a manual clock.
type testCore struct {
	*Controller
	clock *ManualClock
	cb    *fakeClipboard
	dir   string
}

func newTestCore(t *testing.T, s Settings, setup ...func(*Options)) *testCore {
	t.Helper()
	dir := t.TempDir()
	t.Setenv(vault.HomeEnv, dir)
	tc := &testCore{clock: NewManualClock(time.Date(2026, 3, 4, 5, 6, 0, 0, time.UTC)), cb: &fakeClipboard{}, dir: dir}
	floor := vault.FloorKDF() // the cheapest allowed KDF keeps the tests fast
	o := Options{
		Path:               filepath.Join(dir, "vault.db"),
		Settings:           s,
		Clipboard:          tc.cb,
		Clock:              tc.clock,
		KDF:                vault.CreateOptions{KDF: &floor},
		IgnoreVaultChanges: true,
	}
	for _, f := range setup {
		f(&o)
	}
	tc.Controller = New(o)
	tc.Open()
	t.Cleanup(func() {
		if err := tc.Close(); err != nil {
			t.Errorf("closing the vault: %v", err)
		}
	})
	return tc
}

// create makes the vault and fails the test if that fails.
func (tc *testCore) create(t *testing.T) {
	t.Helper()
	var got error
	called := false
	tc.Create([]byte(strongPassword), func(err error) { got, called = err, true })
	if !called || got != nil {
		t.Fatalf("creating the vault: called %v, %v", called, got)
	}
	if tc.Stage() != StageUnlocked {
		t.Fatalf("after creating the vault the stage is %v", tc.Stage())
	}
}
