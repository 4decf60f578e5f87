package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/valvpm/valv/internal/testenv"
	"github.com/valvpm/valv/vault"
)

// runningApp is the real valv binary running under its own Xvfb with a fresh
// VALV_HOME, driven with xdotool as a person would with the keyboard.
type runningApp struct {
	t       *testing.T
	tmp     string
	home    string
	env     []string
	xdotool string
	cmd     *exec.Cmd
	exited  chan error
	stderr  *syncBuffer
	win     string
}

// startApp builds valv, starts it and waits for its window, focused.
func startApp(t *testing.T) *runningApp {
	t.Helper()
	a := &runningApp{t: t, tmp: t.TempDir(), xdotool: testenv.LookPath(t, "xdotool"), stderr: &syncBuffer{}}
	bin := valvBinary(t)
	display := testenv.StartXvfb(t)
	a.home = filepath.Join(a.tmp, "home")
	a.env = append(os.Environ(),
		"DISPLAY="+display,
		vault.HomeEnv+"="+a.home,
		"XDG_CONFIG_HOME="+filepath.Join(a.tmp, "xdg"),
		// The browser socket stays in the test's folder.
		"XDG_RUNTIME_DIR="+filepath.Join(a.tmp, "run"),
		"LANG=C.UTF-8", "LC_ALL=", "LANGUAGE=", // an unparsable locale must give English quietly
	)
	a.cmd = exec.Command(bin)
	a.cmd.Env = a.env
	a.cmd.Stdout, a.cmd.Stderr = a.stderr, a.stderr
	if err := a.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	a.exited = make(chan error, 1)
	go func() { a.exited <- a.cmd.Wait() }()
	t.Cleanup(func() {
		_ = a.cmd.Process.Kill()
		<-a.exited
	})
	a.win = a.waitWindow()
	a.settle("drawing the first frame")
	a.x("mousemove", "--window", a.win, "50", "50")
	a.x("windowfocus", "--sync", a.win)
	return a
}

// x runs xdotool and returns its output ("search" exits 1 while nothing matches).
func (a *runningApp) x(args ...string) string {
	a.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, a.xdotool, args...)
	cmd.Env = a.env
	out, _ := cmd.Output()
	return strings.TrimSpace(string(out))
}

// alive fails the test if the app has exited.
func (a *runningApp) alive(step string) {
	a.t.Helper()
	select {
	case err := <-a.exited:
		a.exited <- err
		a.t.Fatalf("valv died %s: %v\n%s", step, err, a.stderr.String())
	default:
	}
}

// waitWindow waits for the app's window to be mapped.
func (a *runningApp) waitWindow() string {
	a.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		a.alive("starting")
		if id := a.x("search", "--onlyvisible", "--name", "^Valv$"); id != "" {
			return strings.Fields(id)[0]
		}
		time.Sleep(100 * time.Millisecond)
	}
	a.t.Fatalf("the window never appeared\n%s", a.stderr.String())
	return ""
}

// waitTitle waits for the window's title (which says when the vault is locked).
// getwindowname reads the UTF-8 title; search --name would need a regex on it.
func (a *runningApp) waitTitle(step, title string) {
	a.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	got := ""
	for time.Now().Before(deadline) {
		a.alive(step)
		if got = a.x("getwindowname", a.win); got == title {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	a.t.Fatalf("%s: the window title is %q, want %q\n%s", step, got, title, a.stderr.String())
}

func (a *runningApp) key(k ...string) {
	a.t.Helper()
	a.x(append([]string{"key", "--delay", "80"}, k...)...)
	a.settle("after the keys " + strings.Join(k, " "))
}

func (a *runningApp) typ(s string) {
	a.t.Helper()
	a.x("type", "--delay", "40", s)
	a.settle("after typing")
}

// settle waits until the app has handled what it was sent and drawn it (see settle).
func (a *runningApp) settle(step string) {
	a.t.Helper()
	a.alive(step)
	settle(a.t, a.cmd.Process.Pid, step)
}

// clipboard is the CLIPBOARD selection's text as another X client (xclip) reads it.
func (a *runningApp) clipboard() string {
	a.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, testenv.LookPath(a.t, "xclip"), "-o", "-selection", "clipboard")
	cmd.Env = a.env
	out, err := cmd.Output()
	if err != nil {
		a.t.Fatalf("reading the clipboard: %v", err)
	}
	return string(out)
}

// vaultPath is the default vault the app creates under its VALV_HOME.
func (a *runningApp) vaultPath() string { return filepath.Join(a.home, userName(a.t), "vault.db") }

// createVault goes from the welcome screen to an unlocked new vault with password.
func (a *runningApp) createVault(password string) {
	a.t.Helper()
	a.key("Tab", "Tab", "Tab", "space") // welcome: past Sign in and Create account to Run without connecting
	a.typ(password)                     // the create screen focuses the first field
	a.key("Return")
	a.typ(password)
	a.key("Return")
	// Wait for the vault file rather than a fixed time: the key derivation is
	// calibrated to ~0.5 s, but a busy machine (CI) can take several times that.
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if fi, err := os.Stat(a.vaultPath()); err == nil && fi.Size() > 0 {
			break
		}
		if time.Now().After(deadline) {
			a.t.Fatalf("creating the vault: no vault file after 60 s\n%s", a.stderr.String())
		}
		a.alive("creating the vault")
	}
	a.settle("the main window replacing the create screen")
}

// quit interrupts the app and waits for it to exit.
func (a *runningApp) quit() {
	_ = a.cmd.Process.Signal(os.Interrupt)
	select {
	case <-a.exited:
	case <-time.After(5 * time.Second):
		_ = a.cmd.Process.Kill()
		<-a.exited
	}
	a.exited <- nil
}

// openVault opens the vault the app made, unlocked with password.
func (a *runningApp) openVault(password string) *vault.Vault {
	a.t.Helper()
	v, err := vault.Open(a.vaultPath())
	if err != nil {
		a.t.Fatalf("opening the vault the app made: %v", err)
	}
	a.t.Cleanup(func() {
		if err := v.Close(); err != nil {
			a.t.Error(err)
		}
	})
	if err := v.Unlock([]byte(password)); err != nil {
		a.t.Fatalf("unlocking the vault the app made: %v", err)
	}
	return v
}
