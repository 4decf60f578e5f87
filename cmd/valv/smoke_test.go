package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/valvpm/valv/internal/testenv"
	"github.com/valvpm/valv/vault"
)

// TestSmoke builds the real valv binary, starts it under its own Xvfb with a fresh
// VALV_HOME, and drives it with xdotool as a person would with the keyboard: Run
// without connecting, create the vault, add an item (Ctrl+N), lock (Ctrl+L). It takes a
// screenshot, and fails if the window never appears, the process dies, or the vault
// does not hold the item afterwards.
func TestSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the real app")
	}
	importCmd := testenv.LookPath(t, "import")
	a := startApp(t)
	// The app answers the browser extension while it runs, on a socket only this user
	// may open.
	if fi, err := os.Stat(filepath.Join(a.tmp, "run", "valv", "browser.sock")); err != nil || fi.Mode()&os.ModeSocket == 0 || fi.Mode().Perm() != 0o600 {
		t.Errorf("no browser socket (0600) while the app runs: %v %v", fi, err)
	}
	const password = "violet Harbour 73 lantern quietly"
	a.createVault(password)
	a.key("ctrl+n")
	a.typ("Smoke item")
	a.key("Return")
	a.alive("adding an item")
	a.key("ctrl+l")
	a.waitTitle("locking", "Valv – locked")

	shot := filepath.Join(a.tmp, "smoke.png")
	imp := exec.Command(importCmd, "-window", "root", shot)
	imp.Env = a.env
	if out, err := imp.CombinedOutput(); err != nil {
		t.Fatalf("screenshot: %v\n%s", err, out)
	}
	if fi, err := os.Stat(shot); err != nil || fi.Size() == 0 {
		t.Fatalf("no screenshot: %v", err)
	}
	if dst := os.Getenv("VALV_SMOKE_SCREENSHOT"); dst != "" {
		b, _ := os.ReadFile(shot)
		if err := os.WriteFile(dst, b, 0o644); err != nil {
			t.Errorf("saving the screenshot: %v", err)
		}
	}
	a.alive("after locking")
	// Locking remembers the window's size and position for the next start.
	b, err := os.ReadFile(filepath.Join(a.home, userName(t), "settings.json"))
	if err != nil || !strings.Contains(string(b), `"hasPos": true`) || !strings.Contains(string(b), `"width": 960`) {
		t.Errorf("settings.json after locking does not hold the window geometry (%v):\n%s", err, b)
	}
	checkLog(t, "en", a.stderr.String())

	// Quit, then check the vault on disk really holds what was typed.
	a.quit()
	v := a.openVault(password)
	items, err := v.List(vault.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 1 || items[0].Title != "Smoke item" || items[0].Type != vault.TypeLogin {
		t.Fatalf("the vault holds %d items, want the one typed", len(items))
	}
}

// userName finds the per-user folder the app created under VALV_HOME.
func userName(t *testing.T) string {
	dir, err := vault.UserDir()
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Base(dir)
}

// syncBuffer collects the app's output from its two pipes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
