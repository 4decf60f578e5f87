package argon2

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"

	xargon2 "golang.org/x/crypto/argon2"
	xblake2b "golang.org/x/crypto/blake2b"

	"github.com/valvpm/valv/internal/memscan"
	"github.com/valvpm/valv/internal/testenv"
)

const residueChildEnv = "VALV_ARGON2_RESIDUE_CHILD"

// TestMain runs the child of TestKeyLeavesNoCopy when asked to.
func TestMain(m *testing.M) {
	if impl := os.Getenv(residueChildEnv); impl != "" {
		residueChild(impl)
		return
	}
	os.Exit(m.Run())
}

// childPassword is where the child reads the password into: a package variable,
// since an array on the stack could leave an old copy behind when the stack grows
// during the derivation.
var childPassword [64]byte

// kept is the "keep" child's deliberate copy of the password, which the scan must find.
var kept []byte

// residueChild reads a password from the first line of standard input one byte at a
// time (a buffered reader would keep a copy) and derives a key from it with impl:
// "valv" or "x-crypto"; "keep" derives nothing and keeps a copy. Then it wipes the
// password, says "derived" and waits for input to end.
func residueChild(impl string) {
	pw := &childPassword
	n := 0
	for n < len(pw) {
		if k, err := os.Stdin.Read(pw[n : n+1]); k != 1 || err != nil || pw[n] == '\n' {
			break
		}
		n++
	}
	salt := []byte("saltsaltsaltsalt")
	if impl == "valv" {
		IDKey(pw[:n], salt, 1, 1024, 1, 32)
	} else if impl == "x-crypto" {
		xargon2.IDKey(pw[:n], salt, 1, 1024, 1, 32)
	} else {
		kept = append([]byte(nil), pw[:n]...)
	}
	wipe(pw[:])
	fmt.Println("derived")
	_, _ = io.Copy(io.Discard, os.Stdin)
}

// TestKeyLeavesNoCopy derives a key in a child process, wipes the password there, and
// counts the password and H0 in the child's memory: with this package, none. The same
// run with x/crypto's IDKey is logged for comparison (its BLAKE2b state keeps the
// block that holds the password, on the heap or on an old goroutine stack); a child
// that keeps a copy on purpose shows that the scan finds one.
func TestKeyLeavesNoCopy(t *testing.T) {
	if testing.Short() {
		t.Skip("runs child processes")
	}
	master := "Kd" + strings.Repeat("W6-Cedar", 2) + "-Pier"
	canaries := map[string]string{"password": master, "H0": string(testH0(master))}
	for _, impl := range []string{"valv", "x-crypto", "keep"} {
		child := testenv.Self(t, residueChildEnv+"="+impl)
		stdin, stdout := testenv.Start(t, child)
		if _, err := io.WriteString(stdin, master+"\n"); err != nil {
			t.Fatal(err)
		}
		if line, _ := bufio.NewReader(stdout).ReadString('\n'); line != "derived\n" {
			t.Fatalf("%s child: %q", impl, line)
		}
		r, err := memscan.Scan(child.Process.Pid, canaries)
		if err != nil {
			t.Skipf("cannot read the child's memory: %v", err)
		}
		if err := stdin.Close(); err != nil {
			t.Fatal(err)
		}
		if err := child.Wait(); err != nil {
			t.Fatalf("%s child: %v", impl, err)
		}
		pw, h0 := r["password"]["UTF-8"].Full, r["H0"]["UTF-8"].Full
		t.Logf("%-8s after the derivation: password %d full copies, H0 %d", impl, pw, h0)
		if impl == "valv" && pw+h0 != 0 {
			t.Errorf("the password is left %d times and H0 %d times", pw, h0)
		}
		if impl == "keep" && pw == 0 {
			t.Error("the scan did not find the copy the child keeps: it is not reading the child's memory")
		}
	}
}

// testH0 is H0 for the child's parameters, through x/crypto's BLAKE2b.
func testH0(password string) []byte {
	var b []byte
	for _, v := range []uint32{1, 32, 1024, 1, version, uint32(ID), uint32(len(password))} {
		b = binary.LittleEndian.AppendUint32(b, v)
	}
	b = append(b, password...)
	b = binary.LittleEndian.AppendUint32(b, 16)
	b = append(b, "saltsaltsaltsalt"...)
	b = binary.LittleEndian.AppendUint32(b, 0)
	b = binary.LittleEndian.AppendUint32(b, 0)
	h := xblake2b.Sum512(b)
	return h[:]
}
