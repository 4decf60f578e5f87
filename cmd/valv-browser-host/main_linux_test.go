package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/valvpm/valv/browser"
	"github.com/valvpm/valv/internal/testenv"
)

// The host relays sealed logins and pairing messages, so it is hardened like valv:
// the real binary, started as the browser starts it, must be non-dumpable (the kernel
// then gives its /proc files to root, which shuts same-user readers out of
// /proc/PID/mem and ptrace) and must have a core-file limit of 0.
func TestHostIsHardened(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the real host")
	}
	// Not t.TempDir: its parent is closed to nobody, who must run the binary.
	dir, err := os.MkdirTemp("", "valv-host")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "valv-browser-host")
	if out, err := exec.Command(testenv.LookPath(t, "go"), "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("building the host: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "chrome-extension://test/")
	// No app: the socket's folder does not exist, so the host answers "not running".
	cmd.Env = append(os.Environ(), "XDG_RUNTIME_DIR="+filepath.Join(dir, "none"))
	if os.Geteuid() == 0 {
		// root's processes belong to root anyway; as nobody the ownership tells.
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	in, out := testenv.Start(t, cmd)
	// One round trip: the answer means main has run past its hardening.
	if err := browser.WriteMessage(in, []byte(`{"type":"hello","key":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}`)); err != nil {
		t.Fatal(err)
	}
	b, err := browser.ReadMessage(out)
	if err != nil {
		t.Fatalf("no answer from the host: %v (%s)", err, stderr.String())
	}
	if e, err := browser.DecodeEnvelope(b); err != nil || e.Code != browser.CodeNotRunning {
		t.Fatalf("the host answered %s (%v), want not running", b, err)
	}
	fi, err := os.Stat("/proc/" + strconv.Itoa(cmd.Process.Pid) + "/mem")
	if err != nil {
		t.Fatal(err)
	}
	if uid := fi.Sys().(*syscall.Stat_t).Uid; uid != 0 {
		t.Errorf("the host's /proc/PID/mem belongs to uid %d: it is dumpable, so same-user programs can read its memory", uid)
	}
	limits, err := os.ReadFile("/proc/" + strconv.Itoa(cmd.Process.Pid) + "/limits")
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.Lines(string(limits)) {
		if f := strings.Fields(strings.TrimPrefix(line, "Max core file size")); strings.HasPrefix(line, "Max core file size") && (len(f) < 2 || f[0] != "0" || f[1] != "0") {
			t.Errorf("the host may write core files: %q", strings.TrimSpace(line))
		}
	}
	if err := in.Close(); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("the host did not end cleanly when the browser closed its input: %v (%s)", err, stderr.String())
	}
	if strings.Contains(stderr.String(), "warning") {
		t.Errorf("the host could not harden itself: %s", stderr.String())
	}
}
