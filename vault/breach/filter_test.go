package breach

import (
	"bytes"
	"crypto/sha1"
	"encoding/binary"
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/FastFilter/xorfilter"
)

// randomSums returns n pseudo-random hashes, the same for the same seed.
func randomSums(n int, seed uint64) [][sha1.Size]byte {
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	out := make([][sha1.Size]byte, n)
	for i := range out {
		for j := 0; j < sha1.Size; j += 4 {
			binary.LittleEndian.PutUint32(out[i][j:], r.Uint32())
		}
	}
	return out
}

func keysOf(sums [][sha1.Size]byte) []uint64 {
	ks := make([]uint64, len(sums))
	for i, s := range sums {
		ks[i] = key(s)
	}
	return ks
}

// buildFilter builds an in-memory filter of sums with the given shard bits.
func buildFilter(t testing.TB, sums [][sha1.Size]byte, shardBits uint) (*Filter, []byte) {
	t.Helper()
	var b bytes.Buffer
	if _, err := buildKeys(&b, keysOf(sums), shardBits); err != nil {
		t.Fatal(err)
	}
	f, err := Open(bytes.NewReader(b.Bytes()), int64(b.Len()))
	if err != nil {
		t.Fatal(err)
	}
	return f, b.Bytes()
}

func contains(t testing.TB, f *Filter, s [sha1.Size]byte) bool {
	t.Helper()
	ok, err := f.Contains(s)
	if err != nil {
		t.Fatal(err)
	}
	return ok
}

// TestAgreesWithXorfilter: the lookup over the file answers exactly as xorfilter's own
// Contains on the filter it built, for members and for non-members.
func TestAgreesWithXorfilter(t *testing.T) {
	members := randomSums(30_000, 1)
	f, _ := buildFilter(t, members, 0)
	ref, err := xorfilter.NewBinaryFuse[uint16](keysOf(members))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range append(members, randomSums(200_000, 2)...) {
		if got, want := contains(t, f, s), ref.Contains(key(s)); got != want {
			t.Fatalf("key %x: file says %v, xorfilter %v", key(s), got, want)
		}
	}
}

// TestMembersAndFalsePositives: every member is found, through several shards, and
// non-members are reported at about the stated rate of 2⁻¹⁶ (4.6 expected of 300,000;
// an 8-bit fingerprint would give some 1,170).
func TestMembersAndFalsePositives(t *testing.T) {
	members := randomSums(100_000, 3)
	f, _ := buildFilter(t, members, 3)
	if f.Keys() != uint64(len(members)) {
		t.Errorf("Keys() = %d, want %d", f.Keys(), len(members))
	}
	for _, s := range members {
		if !contains(t, f, s) {
			t.Fatalf("member %x not found", s)
		}
	}
	fp := 0
	for _, s := range randomSums(300_000, 4) {
		if contains(t, f, s) {
			fp++
		}
	}
	if fp > 40 {
		t.Errorf("%d false positives in 300,000, want about 5", fp)
	}
}

// TestEmptyAndTinyShards: shards with no key, one key or a few, and duplicates.
func TestEmptyAndTinyShards(t *testing.T) {
	for _, n := range []int{1, 2, 3, 17} {
		sums := randomSums(n, uint64(n))
		f, _ := buildFilter(t, append(sums, sums...), 6) // 64 shards: most are empty
		if f.Keys() != uint64(n) {
			t.Errorf("%d keys given twice: Keys() = %d", n, f.Keys())
		}
		for _, s := range sums {
			if !contains(t, f, s) {
				t.Errorf("%d keys: member missing", n)
			}
		}
	}
	var b bytes.Buffer
	if _, err := buildKeys(&b, nil, 2); err != nil {
		t.Fatal(err)
	}
	f, err := Open(bytes.NewReader(b.Bytes()), int64(b.Len()))
	if err != nil {
		t.Fatal(err)
	}
	if contains(t, f, Hash("password")) {
		t.Error("an empty filter contains a password")
	}
}

// TestOpenRefusesDamage: every truncation and a set of crafted changes are refused
// with ErrFilter, never a panic or a lookup outside the file.
func TestOpenRefusesDamage(t *testing.T) {
	_, good := buildFilter(t, randomSums(500, 5), 1)
	for n := 0; n < len(good); n += 1 + n/8 {
		if _, err := Open(bytes.NewReader(good[:n]), int64(n)); !errors.Is(err, ErrFilter) {
			t.Fatalf("truncated to %d bytes: %v", n, err)
		}
	}
	tableAt := len(good) - trailerSize - 2*entrySize
	for name, change := range map[string]func(b []byte){
		"magic":          func(b []byte) { b[0] = 'X' },
		"shard bits":     func(b []byte) { b[8] = 2 },
		"too many bits":  func(b []byte) { b[8] = 40 },
		"fingerprints":   func(b []byte) { b[9] = 8 },
		"reserved":       func(b []byte) { b[12] = 1 },
		"table offset":   func(b []byte) { b[len(b)-8]++ },
		"segment length": func(b []byte) { binary.LittleEndian.PutUint32(b[tableAt+8:], 3) },
		"huge segment":   func(b []byte) { binary.LittleEndian.PutUint32(b[tableAt+8:], 1<<30) },
		"segment count":  func(b []byte) { binary.LittleEndian.PutUint32(b[tableAt+12:], 1<<31) },
		"zero count":     func(b []byte) { binary.LittleEndian.PutUint32(b[tableAt+12:], 0) },
		"shard offset":   func(b []byte) { b[tableAt+16] += 2 },
	} {
		b := bytes.Clone(good)
		change(b)
		if _, err := Open(bytes.NewReader(b), int64(len(b))); !errors.Is(err, ErrFilter) {
			t.Errorf("%s: %v, want ErrFilter", name, err)
		}
	}
}

// FuzzOpen: whatever Open accepts answers lookups without reading outside the file.
// Seeds in testdata/fuzz/FuzzOpen.
func FuzzOpen(f *testing.F) {
	var b bytes.Buffer
	if _, err := buildKeys(&b, keysOf(randomSums(40, 6)), 1); err != nil {
		f.Fatal(err)
	}
	f.Add(b.Bytes())
	f.Add([]byte(magic))
	probes := randomSums(64, 7)
	f.Fuzz(func(t *testing.T, data []byte) {
		flt, err := Open(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return
		}
		for _, s := range probes {
			if _, err := flt.Contains(s); err != nil {
				t.Fatalf("accepted a filter whose lookup fails: %v", err)
			}
		}
	})
}
