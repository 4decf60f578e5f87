package harden

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/valvpm/valv/internal/testenv"
)

// childEnv makes the test binary act as one of the processes of the attack test.
const childEnv = "VALV_HARDEN_CHILD"

func TestMain(m *testing.M) {
	switch mode := os.Getenv(childEnv); {
	case mode == "":
		os.Exit(m.Run())
	case mode == "target" || mode == "hardened-target":
		os.Exit(runTarget(mode == "hardened-target"))
	case strings.HasPrefix(mode, "read "):
		os.Exit(runReader(strings.TrimPrefix(mode, "read ")))
	}
	os.Exit(2)
}

// canary is built at run time so the test binary's own file holds no copy of it.
func canary() []byte { return []byte(strings.Repeat("Harden-Canary-", 2) + strconv.Itoa(42*1000+7)) }

// runTarget keeps a secret in its heap, says it is ready and waits for standard input
// to close.
func runTarget(hardened bool) int {
	if hardened {
		if err := Process(); err != nil {
			fmt.Println("harden:", err)
			return 1
		}
	}
	secretBytes := canary()
	fmt.Println("ready")
	_, _ = io.Copy(io.Discard, os.Stdin)
	runtime.KeepAlive(secretBytes)
	return 0
}

// runReader is the attacker: a program of the same user reading the target's memory
// through /proc/PID/mem, as a memory scraper does. It prints "found", "not found" or
// "denied".
func runReader(pid string) int {
	maps, err := os.ReadFile("/proc/" + pid + "/maps")
	if err != nil {
		fmt.Println("denied:", err)
		return 0
	}
	mem, err := os.Open("/proc/" + pid + "/mem")
	if err != nil {
		fmt.Println("denied:", err)
		return 0
	}
	defer mem.Close()
	want := canary()
	for line := range strings.Lines(string(maps)) {
		f := strings.Fields(line)
		if len(f) < 2 || !strings.HasPrefix(f[1], "rw") {
			continue
		}
		lo, hi, _ := strings.Cut(f[0], "-")
		a, _ := strconv.ParseUint(lo, 16, 64)
		b, _ := strconv.ParseUint(hi, 16, 64)
		buf := make([]byte, b-a)
		n, _ := mem.ReadAt(buf, int64(a))
		if bytes.Contains(buf[:n], want) {
			fmt.Println("found")
			return 0
		}
	}
	fmt.Println("not found")
	return 0
}

func TestProcessTurnsOffDumpsAndCores(t *testing.T) {
	if err := Process(); err != nil {
		t.Fatal(err)
	}
	if d, err := unix.PrctlRetInt(unix.PR_GET_DUMPABLE, 0, 0, 0, 0); err != nil || d != 0 {
		t.Errorf("dumpable = %d (%v), want 0", d, err)
	}
	var rl unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_CORE, &rl); err != nil || rl.Cur != 0 || rl.Max != 0 {
		t.Errorf("core limit = %+v (%v), want 0/0", rl, err)
	}
}

// TestSameUserCannotReadMemory performs the attack: a second process of the same user
// reads the target's memory through /proc. Without Process it finds the secret (so the
// attack is real here); with it the kernel refuses.
func TestSameUserCannotReadMemory(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to run both processes as one unprivileged user")
	}
	bin := unprivilegedCopy(t)
	if got := attack(t, bin, "target"); got != "found" {
		t.Skipf("this kernel already keeps same-user processes out (%s); nothing to compare", got)
	}
	if got := attack(t, bin, "hardened-target"); !strings.HasPrefix(got, "denied") {
		t.Fatalf("a same-user process read a hardened process's memory: %s", got)
	}
}

// nobody is the unprivileged user both processes run as.
var nobody = &syscall.Credential{Uid: 65534, Gid: 65534}

// attack starts a target in mode and a reader of its memory, both as nobody, and
// returns what the reader saw.
func attack(t *testing.T, bin, mode string) string {
	t.Helper()
	target := exec.Command(bin)
	target.Env = append(os.Environ(), childEnv+"="+mode)
	target.SysProcAttr = &syscall.SysProcAttr{Credential: nobody}
	in, out := testenv.Start(t, target)
	defer func() {
		in.Close()
		if err := target.Wait(); err != nil {
			t.Errorf("target %s: %v", mode, err)
		}
	}()
	if line, _ := bufio.NewReader(out).ReadString('\n'); line != "ready\n" {
		t.Fatalf("target %s: %q", mode, line)
	}
	reader := exec.Command(bin)
	reader.Env = append(os.Environ(), childEnv+"=read "+strconv.Itoa(target.Process.Pid))
	reader.SysProcAttr = &syscall.SysProcAttr{Credential: nobody}
	got, err := reader.Output()
	if err != nil {
		t.Fatalf("reader: %v", err)
	}
	return strings.TrimSpace(string(got))
}

// unprivilegedCopy copies the test binary where nobody may run it.
func unprivilegedCopy(t *testing.T) string {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "harden")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(self)
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "harden.test")
	if err := os.WriteFile(bin, b, 0o755); err != nil {
		t.Fatal(err)
	}
	return bin
}
