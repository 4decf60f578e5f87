package breach

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// hibpList writes passwords' hashes as the Pwned Passwords download does: upper-case
// SHA1HEX:COUNT lines, CRLF, sorted by hash.
func hibpList(passwords []string, count func(i int) int) []byte {
	var lines []string
	for i, p := range passwords {
		s := Hash(p)
		lines = append(lines, fmt.Sprintf("%s:%d", strings.ToUpper(hex.EncodeToString(s[:])), count(i)))
	}
	slices.Sort(lines)
	return []byte(strings.Join(lines, "\r\n") + "\r\n")
}

// TestBuildHIBP builds a filter file from a small generated list in the Have I Been
// Pwned format, with one and with several shards, and opens it as Settings would.
func TestBuildHIBP(t *testing.T) {
	var pws []string
	for i := range 5000 {
		pws = append(pws, fmt.Sprintf("breached-%d", i))
	}
	pws = append(pws, "password", "iloveyou1")
	list := hibpList(pws, func(i int) int { return 1 + i%1000 })
	// A padding row, as the range API sends, is not a breached password.
	padded := Hash("never-breached")
	list = append(list, []byte(strings.ToUpper(hex.EncodeToString(padded[:]))+":0\r\n\r\n")...)
	for _, bits := range []uint{ShardBitsFor(int64(len(list))), 4} {
		path := filepath.Join(t.TempDir(), "hibp.filter")
		var out bytes.Buffer
		n, err := BuildHIBP(&out, bytes.NewReader(list), bits)
		if err != nil {
			t.Fatal(err)
		}
		if n != uint64(len(pws)) {
			t.Errorf("%d shard bits: %d keys, want %d", bits, n, len(pws))
		}
		if err := os.WriteFile(path, out.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		f, err := OpenFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range pws {
			if !contains(t, f, Hash(p)) {
				t.Fatalf("%q is in the list but not the filter", p)
			}
		}
		if contains(t, f, padded) || contains(t, f, Hash("Tr0ub4dor&3-not-in-the-list")) {
			t.Error("a password not in the list is reported")
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if ShardBitsFor(int64(len(list))) != 0 || ShardBitsFor(40e9) != 8 || ShardBitsFor(0) != DefaultShardBits {
		t.Errorf("shard bits: %d for a small list, %d for 40 GB", ShardBitsFor(int64(len(list))), ShardBitsFor(40e9))
	}
}

func TestBuildHIBPRefuses(t *testing.T) {
	good := hibpList([]string{"a", "b", "c", "d", "e", "f"}, func(int) int { return 2 })
	lines := strings.Split(strings.TrimSpace(string(good)), "\r\n")
	reversed := slices.Clone(lines)
	slices.Reverse(reversed)
	h := lines[0][:40]
	for _, c := range []struct {
		name, list, says string
		bits             uint
	}{
		{"empty", "", "empty", 0},
		{"out of order", strings.Join(reversed, "\n"), "line 2 is out of order", 8},
		{"short hash", "ABCDEF:3\n", "line 1 does not start with a 40-digit SHA-1 hash", 0},
		{"not hex", strings.Repeat("Z", 40) + ":3\n", "line 1 has a hash with characters that are not hex", 0},
		{"bad count", lines[0] + "\n" + h + ":lots\n", "line 2 has a count that is not a whole number", 0},
		{"a password list", "password\n123456\n", "line 1 does not start", 0},
		{"too long", strings.Repeat("A", 10_000), "line 1 is far too long", 0},
	} {
		_, err := BuildHIBP(&bytes.Buffer{}, strings.NewReader(c.list), c.bits)
		if !errors.Is(err, ErrList) || !strings.Contains(err.Error(), c.says) {
			t.Errorf("%s: %v, want ErrList saying %q", c.name, err, c.says)
		}
	}
}

// FuzzHIBPLine: the line parser never panics, and a line it accepts holds the hash
// whose key it returns.
func FuzzHIBPLine(f *testing.F) {
	f.Add([]byte("000000005AD76BD555C1D6D771DE417A4B87E4B4:10"))
	f.Add([]byte("5baa61e4c9b93f3f0682250b6cf8331b7ee68fd8:0\r"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, l []byte) {
		k, ok, err := parseHIBPLine(l)
		if err != nil || !ok {
			return
		}
		h, _, _ := bytes.Cut(bytes.TrimSpace(l), []byte(":"))
		var sum [20]byte
		if _, err := hex.Decode(sum[:], h); err != nil || key(sum) != k {
			t.Fatalf("%q: key %x does not match its hash", l, k)
		}
	})
}
