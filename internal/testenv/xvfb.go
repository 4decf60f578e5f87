package testenv

import (
	"bufio"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// StartXvfb starts Xvfb on a free display it picks itself, stops it when the test
// ends, and returns the display (":N"). Without Xvfb it skips or fails as
// Unavailable does.
func StartXvfb(t *testing.T) string {
	t.Helper()
	xvfb := LookPath(t, "Xvfb")
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
