package vault

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/blake2b"

	"github.com/valvpm/valv/internal/memscan"
	"github.com/valvpm/valv/internal/secret"
	"github.com/valvpm/valv/internal/testenv"
)

const kdfMemChildEnv = "VALV_KDFMEM_CHILD"

func init() { childModes[kdfMemChildEnv] = kdfMemChild }

// kdfMemChild unlocks the vault at path with the password on its first line of
// standard input, says "unlocked", and after the next line locks as the desktop app
// does (Lock, then debug.FreeOSMemory) and says "locked"; it exits when input ends.
func kdfMemChild(path string) {
	// One byte per read, straight into pw: a buffered reader would keep a copy.
	var pw [64]byte
	n := 0
	for n < len(pw) {
		if k, err := os.Stdin.Read(pw[n : n+1]); k != 1 || err != nil || pw[n] == '\n' {
			break
		}
		n++
	}
	pw[min(n, len(pw)-1)] = 0
	in := bufio.NewReader(os.Stdin)
	v, err := Open(path)
	if err == nil {
		err = v.Unlock(pw[:n])
	}
	secret.Wipe(pw[:])
	if err != nil {
		fmt.Println("child:", err)
		os.Exit(2)
	}
	fmt.Println("unlocked")
	if _, err := in.ReadString('\n'); err != nil {
		os.Exit(3)
	}
	v.Lock()
	runtime.GC()
	debug.FreeOSMemory()
	fmt.Println("locked")
	_, _ = io.Copy(io.Discard, in)
	if err := v.Close(); err != nil {
		os.Exit(4)
	}
}

// prehash is Argon2id's H0 (RFC 9106, section 3.2) for password and p: 64 bytes from
// which, with the parameters, the whole key derivation can be finished without the
// password, so a copy of it is as good as the password to an attacker.
func prehash(password []byte, p KDFParams) []byte {
	var b []byte
	for _, v := range []uint32{uint32(p.Threads), KeySize, p.Memory, p.Time, argon2.Version, 2} {
		b = binary.LittleEndian.AppendUint32(b, v)
	}
	b = binary.LittleEndian.AppendUint32(b, uint32(len(password)))
	b = append(b, password...)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(p.Salt)))
	b = append(b, p.Salt...)
	b = binary.LittleEndian.AppendUint32(b, 0) // no secret value K
	b = binary.LittleEndian.AppendUint32(b, 0) // no associated data X
	h := blake2b.Sum512(b)
	return h[:]
}

// TestKDFMemoryAfterUnlock measures what the key derivation leaves in the memory of a
// process that unlocked a vault: the master password, Argon2id's prehash H0 and the
// derived master key, each counted by memscan right after Unlock and after locking as
// the app does. The canaries come from x/crypto, so they do not depend on the Argon2
// under test. The figures are printed; what is asserted is said at the end.
func TestKDFMemoryAfterUnlock(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a child process through a full-size key derivation")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "v.db")
	master := "Kd" + strings.Repeat("W6-Cedar", 2) + "-Pier"
	floor := FloorKDF()
	v, err := Create(path, []byte(master), CreateOptions{KDF: &floor})
	if err != nil {
		t.Fatal(err)
	}
	h := v.Header()
	if err := v.Close(); err != nil {
		t.Fatal(err)
	}
	kdf := h.KDF
	mk := argon2.IDKey([]byte(master), kdf.Salt, kdf.Time, kdf.Memory, kdf.Threads, KeySize)
	vk, err := h.unwrap([]byte(master))
	if err != nil {
		t.Fatal(err)
	}
	canaries := map[string]string{"master": master, "H0": string(prehash([]byte(master), kdf)), "master key": string(mk), "vault key": string(vk)}

	child := testenv.Self(t, kdfMemChildEnv+"="+path)
	stdin, stdout := testenv.Start(t, child)
	out := bufio.NewReader(stdout)
	var stages []string
	var results []memscan.Result
	step := func(send, want string) {
		t.Helper()
		if _, err := io.WriteString(stdin, send); err != nil {
			t.Fatal(err)
		}
		if line, _ := out.ReadString('\n'); strings.TrimSpace(line) != want {
			t.Fatalf("child: %q, want %q", line, want)
		}
		r, err := memscan.Scan(child.Process.Pid, canaries)
		if err != nil {
			t.Skipf("cannot read the child's memory: %v", err)
		}
		stages, results = append(stages, want), append(results, r)
	}
	step(master+"\n", "unlocked")
	step("lock\n", "locked")
	if err := stdin.Close(); err != nil {
		t.Fatal(err)
	}
	if err := child.Wait(); err != nil {
		t.Fatalf("child: %v", err)
	}
	names := []string{"master", "H0", "master key", "vault key"}
	t.Logf("copies in the memory of a process that unlocked a vault (full/first %d characters; H0 and the keys are binary, only their UTF-8 full count means anything):\n%s",
		memscan.Partial, memscan.Table(stages, results, names))
	for _, name := range names {
		t.Logf("%-10s %d full copies after unlock, %d after lock", name+":", results[0][name]["UTF-8"].Full, results[1][name]["UTF-8"].Full)
	}
	// The vault key is Valv's own, in a Locked buffer: seen while unlocked (so the scan
	// reads the memory that matters), gone after Lock. The password and H0 are hashed in
	// states the own Argon2 wipes (internal/argon2), so neither may be found even while
	// the vault is open; the master key, once Lock has run. One copy of the master key
	// while unlocked is measured, not asserted: it sits in a hash state on a goroutine's
	// stack (SHA-256's Sum copies its state there), which later calls overwrite.
	for _, name := range []string{"master", "H0"} {
		for i, stage := range stages {
			if n := results[i][name]["UTF-8"].Full; n != 0 {
				t.Errorf("%d copies of %s %s", n, name, stage)
			}
		}
	}
	if n := results[1]["master key"]["UTF-8"].Full; n != 0 {
		t.Errorf("%d copies of the master key after Lock", n)
	}
	if n := results[0]["vault key"]["UTF-8"].Full; n == 0 {
		t.Error("the scan did not find the vault key of the unlocked vault: it is not reading the child's memory")
	}
	if n := results[1]["vault key"]["UTF-8"].Full; n != 0 {
		t.Errorf("%d copies of the vault key after Lock", n)
	}
}
