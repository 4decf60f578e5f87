package cloud

import (
	"bufio"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/valvpm/valv/cloud/api"
)

// buildBinary builds the real valv-cloud into a temporary folder. (cloudtest has the
// same for other packages; this package's tests cannot import it.)
func buildBinary(t testing.TB) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "valv-cloud")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/valvpm/valv/cmd/valv-cloud").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

// TestBinaryDev builds the real valv-cloud, starts it with -dev -demo on a free
// loopback port and talks to it: health, a demo sign-in, the dev outbox, clean exit.
func TestBinaryDev(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary")
	}
	dir := t.TempDir()
	bin := buildBinary(t)
	// Plain HTTP off loopback is refused before anything starts.
	if out, err := exec.Command(bin, "-addr", "0.0.0.0:0", "-data", filepath.Join(dir, "x")).CombinedOutput(); err == nil || !strings.Contains(string(out), "refusing plain HTTP") {
		t.Fatalf("non-loopback without TLS: %v %s", err, out)
	}
	cmd := exec.Command(bin, "-dev", "-demo", "-addr", "127.0.0.1:0", "-data", filepath.Join(dir, "data"), "-argon2-memory", "64", "-argon2-time", "1")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	lines := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
		done <- cmd.Wait()
	}()
	t.Cleanup(func() { _ = cmd.Process.Kill() })

	listening := regexp.MustCompile(`listening on (http://127\.0\.0\.1:\d+)`)
	var base string
	var out []string
	timeout := time.After(30 * time.Second)
	for base == "" {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("valv-cloud exited early:\n%s", strings.Join(out, "\n"))
			}
			out = append(out, l)
			if m := listening.FindStringSubmatch(l); m != nil {
				base = m[1]
			}
		case <-timeout:
			t.Fatalf("valv-cloud did not start:\n%s", strings.Join(out, "\n"))
		}
	}
	if !strings.Contains(strings.Join(out, "\n"), "alice@example.com") {
		t.Fatalf("demo accounts not printed:\n%s", strings.Join(out, "\n"))
	}
	e := &env{t: t, base: base}
	var h api.Health
	e.must("GET", api.PathHealth, "", nil, &h)
	if !h.Dev {
		t.Fatal("not in dev mode")
	}
	var r api.SignInResponse
	e.must("POST", api.PathSessions, "", api.SignInRequest{Email: "bob@example.com", Password: "Bob-demo-1"}, &r)
	if r.SMS == nil {
		t.Fatal("bob has two-step on but got no SMS challenge")
	}
	req, _ := http.NewRequest("GET", base+api.PathDevOutbox, nil)
	req.Header.Set("Accept", api.ContentTypeJSON)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var ob api.OutboxResponse
	err = json.NewDecoder(resp.Body).Decode(&ob)
	resp.Body.Close()
	if err != nil || len(ob.Messages) != 1 || ob.Messages[0].Kind != "sms" || len(ob.Messages[0].Code) != 6 {
		t.Fatalf("outbox: %v %+v", err, ob)
	}
	e.must("POST", api.PathSessionsSMS, "", api.SMSCodeRequest{ChallengeID: r.SMS.ChallengeID, Code: ob.Messages[0].Code}, &r)
	if r.Session == nil {
		t.Fatal("no session")
	}
	// The fake provider is served too.
	resp, err = http.Get(base + DevOAuthPrefix + "google/.well-known/openid-configuration")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("fake provider: %v %v", err, resp)
	}
	resp.Body.Close()

	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	for range lines {
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("exit after SIGINT: %v", err)
		}
	case <-time.After(15 * time.Second):
		_ = cmd.Process.Signal(syscall.SIGKILL)
		t.Fatal("valv-cloud did not stop on SIGINT")
	}
}
