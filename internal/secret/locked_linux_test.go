package secret

import (
	"bytes"
	"fmt"
	"log"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"
)

const childEnv = "VALV_SECRET_CHILD"

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "memlock-0" {
		os.Exit(lockWithoutMemlock())
	}
	os.Exit(m.Run())
}

// mappingLine is the first line of a mapping's block in smaps: "start-end perms …".
var mappingLine = regexp.MustCompile(`^[0-9a-f]+-[0-9a-f]+ `)

// vmFlags returns the VmFlags line of the mapping that starts at addr in
// /proc/self/smaps ("" when there is none).
func vmFlags(t *testing.T, addr uintptr) string {
	t.Helper()
	b, err := os.ReadFile("/proc/self/smaps")
	if err != nil {
		t.Fatal(err)
	}
	start := fmt.Sprintf("%x-", addr)
	in := false
	for line := range strings.Lines(string(b)) {
		if mappingLine.MatchString(line) {
			in = strings.HasPrefix(line, start)
		}
		if in && strings.HasPrefix(line, "VmFlags:") {
			return line
		}
	}
	return ""
}

func TestLockedIsLockedAndNotDumped(t *testing.T) {
	l := NewLocked(100)
	b := l.Bytes()
	if len(b) != 100 || !bytes.Equal(b, make([]byte, 100)) {
		t.Fatalf("NewLocked(100) gave %d bytes, not all zero", len(b))
	}
	copy(b, "Locked-Canary")
	flags := vmFlags(t, uintptr(unsafe.Pointer(&b[0])))
	if !strings.Contains(flags, " dd") {
		t.Errorf("the secret's pages are not excluded from dumps: %q", flags)
	}
	var rl unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_MEMLOCK, &rl); err == nil && (rl.Cur >= 4096 || os.Geteuid() == 0) && !strings.Contains(flags, " lo") {
		t.Errorf("the secret's pages are not locked: %q", flags)
	}
	region := l.region
	l.Destroy()
	if l.Bytes() != nil {
		t.Error("Destroy left the buffer reachable")
	}
	if vmFlags(t, uintptr(unsafe.Pointer(&region[0]))) != "" {
		t.Error("Destroy left the mapping in place")
	}
	l.Destroy() // twice is fine
}

func TestLockedCopyWipesOnDestroy(t *testing.T) {
	l := LockedCopy([]byte("Kata$andi-2026"))
	b := l.Bytes()
	if string(b) != "Kata$andi-2026" {
		t.Fatalf("LockedCopy holds %q", b)
	}
	saved := l.region
	l.region = nil // keep the pages mapped so the wipe can be seen
	l.Destroy()
	if !bytes.Equal(saved[:14], make([]byte, 14)) {
		t.Errorf("Destroy left %q", saved[:14])
	}
	unmapLocked(saved)
}

// lockWithoutMemlock runs in a child with RLIMIT_MEMLOCK 0: the buffer must still
// work, and the notice be logged once.
func lockWithoutMemlock() int {
	if err := unix.Setrlimit(unix.RLIMIT_MEMLOCK, &unix.Rlimit{}); err != nil {
		fmt.Println("setrlimit:", err)
		return 1
	}
	var logged bytes.Buffer
	log.SetOutput(&logged)
	a, b := NewLocked(32), NewLocked(32)
	copy(a.Bytes(), "still works")
	ok := string(a.Bytes()[:11]) == "still works" && len(b.Bytes()) == 32
	a.Destroy()
	b.Destroy()
	fmt.Printf("works=%v notices=%d\n", ok, strings.Count(logged.String(), "ordinary memory"))
	return 0
}

func TestLockedFallsBackWithoutMemlock(t *testing.T) {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(self, "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"=memlock-0")
	if os.Geteuid() == 0 {
		// root may lock whatever the limit says (CAP_IPC_LOCK); nobody may not.
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
		cmd.Path = copyForNobody(t, self)
	}
	out, err := cmd.CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "works=true notices=1" {
		t.Fatalf("with RLIMIT_MEMLOCK 0: %v\n%s", err, out)
	}
}

func copyForNobody(t *testing.T, self string) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "secret")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	b, err := os.ReadFile(self)
	if err == nil {
		err = os.Chmod(dir, 0o755)
	}
	if err == nil {
		err = os.WriteFile(dir+"/secret.test", b, 0o755)
	}
	if err != nil {
		t.Fatal(err)
	}
	return dir + "/secret.test"
}
