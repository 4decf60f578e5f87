package argon2

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"testing"

	xargon2 "golang.org/x/crypto/argon2"
	xblake2b "golang.org/x/crypto/blake2b"
)

// TestVectors: RFC 9106's test vectors for Argon2d and Argon2id (5.1, 5.3), which
// use a secret value and associated data.
func TestVectors(t *testing.T) {
	pw, salt := bytes.Repeat([]byte{1}, 32), bytes.Repeat([]byte{2}, 16)
	secret, ad := bytes.Repeat([]byte{3}, 8), bytes.Repeat([]byte{4}, 12)
	for _, c := range []struct {
		mode Mode
		want string
	}{
		{D, "512b391b6f1162975371d30919734294f868e3be3984f3c1a13a4db9fabe4acb"},
		{ID, "0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659"},
	} {
		got := hex.EncodeToString(Key(c.mode, pw, salt, secret, ad, 3, 32, 4, 32))
		if got != c.want {
			t.Errorf("mode %d: %s, want %s", c.mode, got, c.want)
		}
	}
}

// TestMatchesXCrypto: IDKey is x/crypto's IDKey, at costs that exercise several
// address blocks, lanes, passes, passwords longer than a BLAKE2b block and keys longer
// than one BLAKE2b output; so every existing vault opens as before.
func TestMatchesXCrypto(t *testing.T) {
	long := bytes.Repeat([]byte("mật khẩu "), 40) // 480 bytes: several BLAKE2b blocks
	for _, c := range []struct {
		pw        []byte
		time, mem uint32
		threads   uint8
		keyLen    uint32
	}{
		{[]byte("mật khẩu"), 1, 64, 1, 32}, {[]byte("pw"), 2, 1024, 2, 32}, {long, 3, 600, 3, 32},
		{nil, 1, 8, 1, 32}, {[]byte("pw"), 1, 64, 4, 64}, {[]byte("pw"), 1, 64, 4, 100}, {long, 3, 2048, 4, 4},
	} {
		want := xargon2.IDKey(c.pw, []byte("saltsaltsalt"), c.time, c.mem, c.threads, c.keyLen)
		got := IDKey(c.pw, []byte("saltsaltsalt"), c.time, c.mem, c.threads, c.keyLen)
		if !bytes.Equal(got, want) {
			t.Errorf("password of %d bytes, t=%d m=%d p=%d, %d-byte key: differs from x/crypto", len(c.pw), c.time, c.mem, c.threads, c.keyLen)
		}
	}
}

// TestBlake2bMatchesXCrypto: the own BLAKE2b at every output size and at input
// lengths around the block boundary, written in one piece and byte by byte.
func TestBlake2bMatchesXCrypto(t *testing.T) {
	in := make([]byte, 300)
	for i := range in {
		in[i] = byte(i * 7)
	}
	for size := 1; size <= 64; size++ {
		for _, n := range []int{0, 1, 127, 128, 129, 255, 256, 257, 300} {
			x, _ := xblake2b.New(size, nil)
			x.Write(in[:n])
			want := x.Sum(nil)
			var d blake2b
			d.reset(size)
			d.write(in[:n])
			got := make([]byte, size)
			d.sum(got)
			d.reset(size)
			for i := range n {
				d.write(in[i : i+1])
			}
			bytewise := make([]byte, size)
			d.sum(bytewise)
			if !bytes.Equal(got, want) || !bytes.Equal(bytewise, want) {
				t.Fatalf("size %d, %d bytes: %x / %x, want %x", size, n, got, bytewise, want)
			}
		}
	}
}

// TestSumWipesState: after sum, nothing of the input or the chain value is left in
// the state, which is what keeps the password out of memory.
func TestSumWipesState(t *testing.T) {
	var d blake2b
	d.reset(64)
	d.write([]byte("Kd-W6-Cedar-Pier, longer than nothing"))
	out := make([]byte, 64)
	d.sum(out)
	if d != (blake2b{size: 64}) {
		t.Errorf("state after sum: %+v", d)
	}
}

// TestKeyLeavesPasswordAlone: Key neither changes nor keeps its input slices.
func TestKeyLeavesPasswordAlone(t *testing.T) {
	pw := []byte("Kd-W6-Cedar-Pier")
	IDKey(pw, []byte("saltsaltsaltsalt"), 1, 64, 1, 32)
	if string(pw) != "Kd-W6-Cedar-Pier" {
		t.Errorf("password changed to %q", pw)
	}
}

func FuzzMatchesXCrypto(f *testing.F) {
	f.Add([]byte("pw"), []byte("saltsalt"), uint8(1), uint8(1), uint8(32))
	f.Fuzz(func(t *testing.T, pw, salt []byte, time, threads, keyLen uint8) {
		if len(salt) < 8 || keyLen < 4 {
			return
		}
		tm, th := uint32(time%3)+1, threads%4+1
		mem := uint32(8 * th)
		want := xargon2.IDKey(pw, salt, tm, mem, th, uint32(keyLen))
		if got := IDKey(pw, salt, tm, mem, th, uint32(keyLen)); !bytes.Equal(got, want) {
			t.Fatalf("differs from x/crypto")
		}
	})
}

// BenchmarkKey compares the derivation at Valv's floor (64 MiB, 3 passes, 4 lanes)
// with x/crypto's; compare the two as a ratio.
func BenchmarkKey(b *testing.B) {
	pw, salt := []byte("Kd-W6-Cedar-Pier"), []byte("saltsaltsaltsalt")
	b.Run("valv", func(b *testing.B) {
		for b.Loop() {
			IDKey(pw, salt, 3, 64*1024, 4, 32)
		}
	})
	b.Run("x-crypto", func(b *testing.B) {
		for b.Loop() {
			xargon2.IDKey(pw, salt, 3, 64*1024, 4, 32)
		}
	})
}

// TestBlockAVX2MatchesGo: the assembly compression gives the Go one's block for
// random inputs, in both modes and with out the same block as y (as nextAddresses
// calls it). On a machine without AVX2 both sides are the Go code.
func TestBlockAVX2MatchesGo(t *testing.T) {
	if !useAVX2 {
		t.Log("no AVX2 here: the assembly is not run")
	}
	seed, _ := xblake2b.NewXOF(xblake2b.OutputLengthUnknown, nil)
	random := func(b *block) {
		var buf [8]byte
		for i := range b {
			_, _ = seed.Read(buf[:])
			b[i] = binary.LittleEndian.Uint64(buf[:])
		}
	}
	for n := range 200 {
		var x, y, out block
		random(&x)
		random(&y)
		random(&out)
		xor := n%2 == 1
		want, got := out, out
		var q1, q2 block
		processBlockGo(&want, &x, &y, &q1, xor)
		processBlockAVX2(&got, &x, &y, &q2, xor)
		if got != want {
			t.Fatalf("case %d (xor %v): the blocks differ", n, xor)
		}
		// out is y.
		wantY, gotY := y, y
		processBlockGo(&wantY, &x, &wantY, &q1, xor)
		processBlockAVX2(&gotY, &x, &gotY, &q2, xor)
		if gotY != wantY {
			t.Fatalf("case %d (xor %v): the blocks differ when out is y", n, xor)
		}
	}
}
