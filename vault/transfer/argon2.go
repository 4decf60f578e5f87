package transfer

import (
	"encoding/binary"
	"hash"
	"math/bits"
	"sync"

	"golang.org/x/crypto/blake2b"
)

// Argon2 (RFC 9106, version 0x13) for KeePass databases. golang.org/x/crypto/argon2
// offers Argon2i and Argon2id only, and neither with a secret key or associated data;
// KeePass's default KDF is Argon2d, and its parameters may carry both. This is the
// RFC's algorithm, checked against its test vectors and against x/crypto's Argon2id.

const (
	argon2d  = 0
	argon2id = 2

	argon2Version = 0x13
	blockWords    = 128 // a block is 1 KiB: 128 64-bit words
	syncPoints    = 4   // slices per pass
)

type argonBlock [blockWords]uint64

// argon2Key derives keyLen bytes. memory is in KiB; callers bound the costs first.
func argon2Key(mode int, password, salt, secret, data []byte, time, memory uint32, threads uint8, keyLen uint32) []byte {
	if time < 1 {
		time = 1
	}
	if threads < 1 {
		threads = 1
	}
	h0 := argon2H0(mode, password, salt, secret, data, time, memory, uint32(threads), keyLen)
	memory = memory / (syncPoints * uint32(threads)) * (syncPoints * uint32(threads))
	if memory < 2*syncPoints*uint32(threads) {
		memory = 2 * syncPoints * uint32(threads)
	}
	a := &argon2State{mode: mode, lanes: uint32(threads), laneLen: memory / uint32(threads), passes: time, memory: memory}
	a.segLen = a.laneLen / syncPoints
	a.b = make([]argonBlock, memory)
	a.init(h0)
	a.fill()
	return a.final(keyLen)
}

func argon2H0(mode int, password, salt, secret, data []byte, time, memory, threads, keyLen uint32) []byte {
	h, _ := blake2b.New512(nil) // no key: New512 cannot fail
	var buf [4]byte
	put := func(v uint32) {
		binary.LittleEndian.PutUint32(buf[:], v)
		h.Write(buf[:])
	}
	put(threads)
	put(keyLen)
	put(memory)
	put(time)
	put(argon2Version)
	put(uint32(mode))
	for _, b := range [][]byte{password, salt, secret, data} {
		put(uint32(len(b)))
		h.Write(b)
	}
	return h.Sum(make([]byte, 0, 72))
}

type argon2State struct {
	mode                                   int
	lanes, laneLen, segLen, passes, memory uint32
	b                                      []argonBlock
}

func (a *argon2State) at(lane, i uint32) *argonBlock { return &a.b[lane*a.laneLen+i] }

func (a *argon2State) init(h0 []byte) {
	in := make([]byte, len(h0)+8)
	copy(in, h0)
	out := make([]byte, 1024)
	for lane := range a.lanes {
		for i := range uint32(2) {
			binary.LittleEndian.PutUint32(in[len(h0):], i)
			binary.LittleEndian.PutUint32(in[len(h0)+4:], lane)
			blake2bLong(out, in)
			blk := a.at(lane, i)
			for w := range blk {
				blk[w] = binary.LittleEndian.Uint64(out[w*8:])
			}
		}
	}
}

func (a *argon2State) fill() {
	var wg sync.WaitGroup
	for pass := range a.passes {
		for slice := range uint32(syncPoints) {
			for lane := range a.lanes {
				wg.Add(1)
				go func() {
					defer wg.Done()
					a.segment(pass, slice, lane)
				}()
			}
			wg.Wait()
		}
	}
}

func (a *argon2State) segment(pass, slice, lane uint32) {
	var addr, zero, input argonBlock
	independent := a.mode == argon2id && pass == 0 && slice < syncPoints/2
	if independent {
		input[0], input[1], input[2] = uint64(pass), uint64(lane), uint64(slice)
		input[3], input[4], input[5] = uint64(a.memory), uint64(a.passes), uint64(a.mode)
	}
	start := uint32(0)
	if pass == 0 && slice == 0 {
		start = 2
		if independent {
			nextAddresses(&addr, &input, &zero)
		}
	}
	for idx := start; idx < a.segLen; idx++ {
		j := slice*a.segLen + idx
		prev := j - 1
		if j == 0 {
			prev = a.laneLen - 1
		}
		var rand uint64
		if independent {
			if idx%blockWords == 0 {
				nextAddresses(&addr, &input, &zero)
			}
			rand = addr[idx%blockWords]
		} else {
			rand = a.at(lane, prev)[0]
		}
		refLane := uint32(rand>>32) % a.lanes
		if pass == 0 && slice == 0 {
			refLane = lane
		}
		ref := a.refIndex(pass, slice, idx, uint32(rand), refLane == lane)
		processBlock(a.at(lane, j), a.at(lane, prev), a.at(refLane, ref), pass > 0)
	}
}

// refIndex maps J1 onto the blocks a new block may reference (RFC 9106, 3.4.1.2).
func (a *argon2State) refIndex(pass, slice, idx, j1 uint32, sameLane bool) uint32 {
	var area uint32
	switch {
	case pass == 0 && sameLane:
		area = slice*a.segLen + idx - 1
	case pass == 0:
		area = slice * a.segLen
		if idx == 0 {
			area--
		}
	case sameLane:
		area = a.laneLen - a.segLen + idx - 1
	default:
		area = a.laneLen - a.segLen
		if idx == 0 {
			area--
		}
	}
	x := uint64(j1) * uint64(j1) >> 32
	y := uint64(area) * x >> 32
	rel := uint64(area) - 1 - y
	startPos := uint64(0)
	if pass > 0 && slice != syncPoints-1 {
		startPos = uint64(slice+1) * uint64(a.segLen)
	}
	return uint32((startPos + rel) % uint64(a.laneLen))
}

func nextAddresses(addr, input, zero *argonBlock) {
	input[6]++
	processBlock(addr, zero, input, false)
	processBlock(addr, zero, addr, false)
}

func (a *argon2State) final(keyLen uint32) []byte {
	var c argonBlock
	for lane := range a.lanes {
		last := a.at(lane, a.laneLen-1)
		for w := range c {
			c[w] ^= last[w]
		}
	}
	buf := make([]byte, 1024)
	for w, v := range c {
		binary.LittleEndian.PutUint64(buf[w*8:], v)
	}
	out := make([]byte, keyLen)
	blake2bLong(out, buf)
	clear(a.b)
	return out
}

// processBlock sets out = G(x, y), or out ^= G(x, y) when xor (passes after the first).
func processBlock(out, x, y *argonBlock, xor bool) {
	var r, q argonBlock
	for i := range r {
		r[i] = x[i] ^ y[i]
	}
	q = r
	for i := 0; i < blockWords; i += 16 {
		permute(&q, i, i+1, i+2, i+3, i+4, i+5, i+6, i+7, i+8, i+9, i+10, i+11, i+12, i+13, i+14, i+15)
	}
	for i := 0; i < 16; i += 2 {
		permute(&q, i, i+1, i+16, i+17, i+32, i+33, i+48, i+49, i+64, i+65, i+80, i+81, i+96, i+97, i+112, i+113)
	}
	for i := range out {
		if xor {
			out[i] ^= q[i] ^ r[i]
		} else {
			out[i] = q[i] ^ r[i]
		}
	}
}

// permute is Argon2's P on the 16 words of b at the given positions.
func permute(b *argonBlock, i0, i1, i2, i3, i4, i5, i6, i7, i8, i9, i10, i11, i12, i13, i14, i15 int) {
	v := [16]*uint64{&b[i0], &b[i1], &b[i2], &b[i3], &b[i4], &b[i5], &b[i6], &b[i7], &b[i8], &b[i9], &b[i10], &b[i11], &b[i12], &b[i13], &b[i14], &b[i15]}
	gb(v[0], v[4], v[8], v[12])
	gb(v[1], v[5], v[9], v[13])
	gb(v[2], v[6], v[10], v[14])
	gb(v[3], v[7], v[11], v[15])
	gb(v[0], v[5], v[10], v[15])
	gb(v[1], v[6], v[11], v[12])
	gb(v[2], v[7], v[8], v[13])
	gb(v[3], v[4], v[9], v[14])
}

func gb(a, b, c, d *uint64) {
	fBlaMka := func(x, y uint64) uint64 { return x + y + 2*uint64(uint32(x))*uint64(uint32(y)) }
	*a = fBlaMka(*a, *b)
	*d = bits.RotateLeft64(*d^*a, -32)
	*c = fBlaMka(*c, *d)
	*b = bits.RotateLeft64(*b^*c, -24)
	*a = fBlaMka(*a, *b)
	*d = bits.RotateLeft64(*d^*a, -16)
	*c = fBlaMka(*c, *d)
	*b = bits.RotateLeft64(*b^*c, -63)
}

// blake2bLong is Argon2's variable-length hash H' (RFC 9106, 3.3).
func blake2bLong(out, in []byte) {
	var lenBuf [4]byte
	binary.LittleEndian.PutUint32(lenBuf[:], uint32(len(out)))
	if len(out) <= blake2b.Size {
		h := mustBlake(len(out))
		h.Write(lenBuf[:])
		h.Write(in)
		copy(out, h.Sum(nil))
		return
	}
	h := mustBlake(blake2b.Size)
	h.Write(lenBuf[:])
	h.Write(in)
	v := h.Sum(nil)
	n := copy(out, v[:32])
	for len(out)-n > blake2b.Size {
		h.Reset()
		h.Write(v)
		v = h.Sum(v[:0])
		n += copy(out[n:], v[:32])
	}
	last := mustBlake(len(out) - n)
	last.Write(v)
	copy(out[n:], last.Sum(nil))
}

func mustBlake(size int) hash.Hash {
	h, err := blake2b.New(size, nil)
	if err != nil {
		panic("blake2b: size out of range: " + err.Error()) // sizes here are 1..64 by construction
	}
	return h
}
