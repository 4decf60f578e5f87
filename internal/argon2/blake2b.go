package argon2

import (
	"encoding/binary"
	"math/bits"
)

// blake2b is BLAKE2b (RFC 7693) without a key, in a state the caller owns and wipes.
// golang.org/x/crypto/blake2b keeps the last partial block of its input in a state it
// never clears; here that block is the password (in H0) or H0 (in the first blocks),
// so Argon2's hashing runs on this small copy instead. Inputs here are short (the
// password, H0, one 1 KiB block), so it needs no assembly.
//
// Everything compress works on (the message words m, the working vector v) and
// hashLong's intermediate are fields, not local variables: the state lives on the heap
// (in Key's state), and a local array could be left behind on an old goroutine stack
// when the stack grows and is copied, out of reach of any wipe.
type blake2b struct {
	h    [8]uint64
	m, v [16]uint64
	t    uint64 // bytes hashed so far; Argon2's inputs stay far below 2^64
	buf  [128]byte
	long [64]byte // hashLong's chain of digests
	n    int      // bytes waiting in buf
	size int
}

var blake2bIV = [8]uint64{
	0x6a09e667f3bcc908, 0xbb67ae8584caa73b, 0x3c6ef372fe94f82b, 0xa54ff53a5f1d36f1,
	0x510e527fade682d1, 0x9b05688c2b3e6c1f, 0x1f83d9abfb41bd6b, 0x5be0cd19137e2179,
}

var blake2bSigma = [10][16]byte{
	{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
	{14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3},
	{11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4},
	{7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8},
	{9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13},
	{2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9},
	{12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11},
	{13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10},
	{6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5},
	{10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0},
}

// blake2bRounds is BLAKE2b's number of rounds; rounds 10 and 11 reuse the first two
// permutations.
const blake2bRounds = 12

// reset starts a hash of size bytes (1..64). What buf holds past n is never read:
// sum pads it with zeros.
func (d *blake2b) reset(size int) {
	d.h = blake2bIV
	d.h[0] ^= 0x01010000 | uint64(size)
	d.t, d.n, d.size = 0, 0, size
}

func (d *blake2b) write(p []byte) {
	for len(p) > 0 {
		if d.n == len(d.buf) {
			// A full block is compressed only once more input follows: the last block
			// must be compressed with the final flag.
			d.t += uint64(len(d.buf))
			d.compress(false)
			d.n = 0
		}
		k := copy(d.buf[d.n:], p)
		d.n += k
		p = p[k:]
	}
}

func (d *blake2b) writeUint32(v uint32) {
	var b [4]byte
	binary.LittleEndian.PutUint32(b[:], v)
	d.write(b[:])
}

// sum writes the digest into out (len(out) == d.size) and wipes the hash.
func (d *blake2b) sum(out []byte) {
	d.t += uint64(d.n)
	clear(d.buf[d.n:])
	d.compress(true)
	for i, v := range d.h { // through buf, which is wiped, not a local array
		binary.LittleEndian.PutUint64(d.buf[8*i:], v)
	}
	copy(out, d.buf[:d.size])
	d.wipeHash()
}

// wipeHash zeroes the hash in progress; out of sum may be long, which it keeps.
func (d *blake2b) wipeHash() {
	wipeWords(d.h[:])
	wipeWords(d.m[:])
	wipeWords(d.v[:])
	wipe(d.buf[:])
	d.t, d.n = 0, 0
}

// wipe zeroes the whole state, hashLong's digests included.
func (d *blake2b) wipe() {
	d.wipeHash()
	wipe(d.long[:])
}

func (d *blake2b) compress(last bool) {
	m, v := &d.m, &d.v
	for i := range m {
		m[i] = binary.LittleEndian.Uint64(d.buf[8*i:])
	}
	copy(v[:8], d.h[:])
	copy(v[8:], blake2bIV[:])
	v[12] ^= d.t
	if last {
		v[14] = ^v[14]
	}
	for r := range blake2bRounds {
		s := &blake2bSigma[r%len(blake2bSigma)]
		mix(v, 0, 4, 8, 12, m[s[0]], m[s[1]])
		mix(v, 1, 5, 9, 13, m[s[2]], m[s[3]])
		mix(v, 2, 6, 10, 14, m[s[4]], m[s[5]])
		mix(v, 3, 7, 11, 15, m[s[6]], m[s[7]])
		mix(v, 0, 5, 10, 15, m[s[8]], m[s[9]])
		mix(v, 1, 6, 11, 12, m[s[10]], m[s[11]])
		mix(v, 2, 7, 8, 13, m[s[12]], m[s[13]])
		mix(v, 3, 4, 9, 14, m[s[14]], m[s[15]])
	}
	for i := range d.h {
		d.h[i] ^= v[i] ^ v[i+8]
	}
}

func mix(v *[16]uint64, a, b, c, d int, x, y uint64) {
	v[a] += v[b] + x
	v[d] = bits.RotateLeft64(v[d]^v[a], -32)
	v[c] += v[d]
	v[b] = bits.RotateLeft64(v[b]^v[c], -24)
	v[a] += v[b] + y
	v[d] = bits.RotateLeft64(v[d]^v[a], -16)
	v[c] += v[d]
	v[b] = bits.RotateLeft64(v[b]^v[c], -63)
}

// hashLong is Argon2's variable-length hash H' (RFC 9106, section 3.3) of the
// concatenation of in, into out, hashed in d, which it leaves wiped.
func hashLong(d *blake2b, out []byte, in ...[]byte) {
	defer d.wipe()
	first := min(len(out), 64)
	d.reset(first)
	d.writeUint32(uint32(len(out)))
	for _, p := range in {
		d.write(p)
	}
	v := d.long[:] // wiped with d
	d.sum(v[:first])
	if len(out) <= 64 {
		copy(out, v[:len(out)])
		return
	}
	n := copy(out, v[:32])
	for len(out)-n > 64 {
		d.reset(64)
		d.write(v)
		d.sum(v)
		n += copy(out[n:], v[:32])
	}
	d.reset(len(out) - n)
	d.write(v)
	d.sum(out[n:])
}
