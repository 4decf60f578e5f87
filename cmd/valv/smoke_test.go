package main

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

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
	xvfb := testenv.LookPath(t, "Xvfb")
	xdotool := testenv.LookPath(t, "xdotool")
	importCmd := testenv.LookPath(t, "import")

	tmp := t.TempDir()
	bin := valvBinary(t)

	display := startXvfb(t, xvfb)
	home := filepath.Join(tmp, "home")
	env := append(os.Environ(),
		"DISPLAY="+display,
		vault.HomeEnv+"="+home,
		"XDG_CONFIG_HOME="+filepath.Join(tmp, "xdg"),
		// The browser socket stays in the test's folder.
		"XDG_RUNTIME_DIR="+filepath.Join(tmp, "run"),
		"LANG=C.UTF-8", "LC_ALL=", "LANGUAGE=", // an unparsable locale must give English quietly
	)
	app := exec.Command(bin)
	app.Env = env
	var stderr syncBuffer
	app.Stdout, app.Stderr = &stderr, &stderr
	if err := app.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- app.Wait() }()
	t.Cleanup(func() {
		_ = app.Process.Kill()
		<-exited
	})

	x := func(args ...string) string {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, xdotool, args...)
		cmd.Env = env
		out, _ := cmd.Output() // "search" exits 1 when nothing matches yet
		return strings.TrimSpace(string(out))
	}
	alive := func(step string) {
		t.Helper()
		select {
		case err := <-exited:
			exited <- err
			t.Fatalf("valv died %s: %v\n%s", step, err, stderr.String())
		default:
		}
	}
	// waitWindow waits for the app's window to be mapped.
	waitWindow := func() string {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for time.Now().Before(deadline) {
			alive("starting")
			if id := x("search", "--onlyvisible", "--name", "^Valv$"); id != "" {
				return strings.Fields(id)[0]
			}
			time.Sleep(100 * time.Millisecond)
		}
		t.Fatalf("the window never appeared\n%s", stderr.String())
		return ""
	}
	win := waitWindow()
	// The app answers the browser extension while it runs, on a socket only this user
	// may open.
	if fi, err := os.Stat(filepath.Join(tmp, "run", "valv", "browser.sock")); err != nil || fi.Mode()&os.ModeSocket == 0 || fi.Mode().Perm() != 0o600 {
		t.Errorf("no browser socket (0600) while the app runs: %v %v", fi, err)
	}
	// waitTitle waits for the window's title (which says when the vault is locked).
	// getwindowname reads the UTF-8 title; search --name would need a regex on it.
	waitTitle := func(step, title string) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		got := ""
		for time.Now().Before(deadline) {
			alive(step)
			if got = x("getwindowname", win); got == title {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
		t.Fatalf("%s: the window title is %q, want %q\n%s", step, got, title, stderr.String())
	}
	time.Sleep(time.Second) // let the first frame draw before typing
	x("mousemove", "--window", win, "50", "50")
	x("windowfocus", "--sync", win)
	key := func(k ...string) {
		t.Helper()
		x(append([]string{"key", "--delay", "80"}, k...)...)
		time.Sleep(300 * time.Millisecond)
	}
	typ := func(s string) {
		t.Helper()
		x("type", "--delay", "40", s)
		time.Sleep(200 * time.Millisecond)
	}

	const password = "violet Harbour 73 lantern quietly"
	key("Tab", "Tab", "Tab", "space") // welcome: past Sign in and Create account to Run without connecting
	typ(password)                     // the create screen focuses the first field
	key("Return")
	typ(password)
	key("Return")
	// Wait for the vault file rather than a fixed time: the key derivation is
	// calibrated to ~0.5 s, but a busy machine (CI) can take several times that.
	vaultFile := filepath.Join(home, userName(t), "vault.db")
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if fi, err := os.Stat(vaultFile); err == nil && fi.Size() > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("creating the vault: no vault file after 60 s\n%s", stderr.String())
		}
		alive("creating the vault")
	}
	time.Sleep(time.Second) // the main window replaces the create screen
	alive("creating the vault")
	key("ctrl+n")
	typ("Smoke item")
	key("Return")
	alive("adding an item")
	key("ctrl+l")
	waitTitle("locking", "Valv – locked")

	shot := filepath.Join(tmp, "smoke.png")
	imp := exec.Command(importCmd, "-window", "root", shot)
	imp.Env = env
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
	alive("after locking")
	// Locking remembers the window's size and position for the next start.
	b, err := os.ReadFile(filepath.Join(home, userName(t), "settings.json"))
	if err != nil || !strings.Contains(string(b), `"hasPos": true`) || !strings.Contains(string(b), `"width": 960`) {
		t.Errorf("settings.json after locking does not hold the window geometry (%v):\n%s", err, b)
	}
	checkLog(t, "en", stderr.String())

	// Quit, then check the vault on disk really holds what was typed.
	_ = app.Process.Signal(os.Interrupt)
	select {
	case <-exited:
	case <-time.After(5 * time.Second):
		_ = app.Process.Kill()
		<-exited
	}
	exited <- nil
	v, err := vault.Open(filepath.Join(home, userName(t), "vault.db"))
	if err != nil {
		t.Fatalf("opening the vault the app made: %v", err)
	}
	defer func() {
		if err := v.Close(); err != nil {
			t.Error(err)
		}
	}()
	if err := v.Unlock([]byte(password)); err != nil {
		t.Fatalf("unlocking the vault the app made: %v", err)
	}
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

// startXvfb starts Xvfb on a free display it picks itself and returns the display.
func startXvfb(t *testing.T, xvfb string) string {
	t.Helper()
	// -displayfd: Xvfb picks a free display itself and writes its number to the pipe
	// once it accepts connections, so there is neither a race for a number nor a
	// window of "socket exists, server not ready yet".
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	cmd := exec.Command(xvfb, "-displayfd", "3", "-screen", "0", "1280x800x24", "-nolisten", "tcp")
	cmd.ExtraFiles = []*os.File{w}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-done
	})
	got := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(r).ReadString('\n')
		got <- strings.TrimSpace(line)
	}()
	select {
	case n := <-got:
		if n == "" {
			t.Fatal("Xvfb did not report a display")
		}
		return ":" + n
	case <-done:
		t.Fatal("Xvfb exited before it was ready")
	case <-time.After(30 * time.Second):
		t.Fatal("Xvfb was not ready after 30 s")
	}
	return ""
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
