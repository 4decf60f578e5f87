package main

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/valvpm/valv/internal/testenv"
	"github.com/valvpm/valv/vault"
)

var (
	buildOnce sync.Once
	builtBin  string
	buildErr  string
	buildDir  string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// valvBinary builds the real valv once for every test of the package that starts it.
func valvBinary(t *testing.T) string {
	t.Helper()
	gobin := testenv.LookPath(t, "go")
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "valv-bin")
		if err != nil {
			buildErr = err.Error()
			return
		}
		buildDir = dir
		bin := filepath.Join(dir, "valv")
		if out, err := exec.Command(gobin, "build", "-o", bin, ".").CombinedOutput(); err != nil {
			buildErr = err.Error() + "\n" + string(out)
			return
		}
		builtBin = bin
	})
	if builtBin == "" {
		t.Fatalf("building valv: %s", buildErr)
	}
	return builtBin
}

// checkLog fails on what a clean start must never log, in any language: a message
// missing from the translations, an error the message table lacks, a window hint GLFW
// refused (noDepthBuffer), a panic.
func checkLog(t *testing.T, code, out string) {
	t.Helper()
	for _, bad := range []string{"Translation failure", "unexpected error", "Fyne error", "GLFW window hints", "panic"} {
		if strings.Contains(out, bad) {
			t.Errorf("valv in %s logged %q:\n%s", code, bad, out)
		}
	}
}

// TestNoDisplay: started where no window can be opened (DISPLAY unset, or naming no X
// server), valv says so in one sentence and exits 1, without a GLFW panic.
func TestNoDisplay(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the real app")
	}
	bin := valvBinary(t)
	free := ""
	for n := 150; n < 400 && free == ""; n++ {
		sock := "/tmp/.X11-unix/X" + strconv.Itoa(n)
		if _, err := os.Stat(sock); err == nil {
			continue
		}
		if c, err := net.Dial("unix", "@"+sock); err == nil {
			c.Close()
			continue
		}
		free = ":" + strconv.Itoa(n)
	}
	for _, display := range []string{"", free} {
		cmd := exec.Command(bin)
		cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), vault.HomeEnv + "=" + t.TempDir()}
		if display != "" {
			cmd.Env = append(cmd.Env, "DISPLAY="+display)
		}
		done := make(chan struct{})
		var out []byte
		var err error
		go func() { out, err = cmd.CombinedOutput(); close(done) }()
		select {
		case <-done:
		case <-time.After(60 * time.Second):
			_ = cmd.Process.Kill()
			<-done
			t.Fatalf("DISPLAY=%q: valv did not exit", display)
		}
		text := strings.TrimSpace(string(out))
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
			t.Errorf("DISPLAY=%q: exit %v, want 1", display, err)
		}
		if strings.Count(text, "\n") != 0 || !strings.Contains(text, "graphical session") || strings.Contains(text, "panic") {
			t.Errorf("DISPLAY=%q: valv said\n%s", display, text)
		}
	}
}

// TestStartEachLanguage starts valv under Xvfb once per language other than English
// (TestSmoke covers English), moves from the welcome window to creating the master
// password, and fails on a translation-failure or unexpected-error log line.
func TestStartEachLanguage(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the real app")
	}
	xdotool := testenv.LookPath(t, "xdotool")
	bin := valvBinary(t)
	display := testenv.StartXvfb(t)
	for _, locale := range []string{"id_ID.UTF-8", "sv_SE.UTF-8", "vi_VN.UTF-8"} {
		code := locale[:2]
		env := append(os.Environ(), "DISPLAY="+display, vault.HomeEnv+"="+t.TempDir(),
			"XDG_CONFIG_HOME="+t.TempDir(), "XDG_RUNTIME_DIR="+t.TempDir(), "LANG="+locale, "LC_ALL=", "LANGUAGE=")
		app := exec.Command(bin)
		app.Env = env
		var log syncBuffer
		app.Stdout, app.Stderr = &log, &log
		if err := app.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan error, 1)
		go func() { exited <- app.Wait() }()
		x := func(args ...string) string {
			cmd := exec.Command(xdotool, args...)
			cmd.Env = env
			out, _ := cmd.Output()
			return strings.TrimSpace(string(out))
		}
		win := ""
		for deadline := time.Now().Add(30 * time.Second); win == "" && time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
			if id := x("search", "--onlyvisible", "--name", "^Valv$"); id != "" {
				win = strings.Fields(id)[0]
			}
		}
		if win == "" {
			_ = app.Process.Kill()
			<-exited
			t.Fatalf("%s: the window never appeared\n%s", code, log.String())
		}
		settle(t, app.Process.Pid, code+": the first frame")
		x("windowfocus", "--sync", win)
		x("key", "--delay", "80", "Tab", "Tab", "Tab", "space") // Run without connecting
		settle(t, app.Process.Pid, code+": the create screen")
		_ = app.Process.Signal(os.Interrupt)
		select {
		case err := <-exited:
			if err != nil {
				t.Errorf("%s: valv ended on Ctrl+C with %v, want exit status 0", code, err)
			}
		case <-time.After(10 * time.Second):
			_ = app.Process.Kill()
			<-exited
			t.Errorf("%s: valv did not end within 10 s of Ctrl+C", code)
		}
		checkLog(t, code, log.String())
	}
}
