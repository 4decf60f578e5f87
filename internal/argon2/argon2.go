// Package argon2 is Argon2 (RFC 9106, version 0x13) that leaves no copy of its
// input behind: the password, the prehash H0 built from it, and the 64 MiB or more
// of blocks from which the key follows are wiped before Key returns.
//
// golang.org/x/crypto/argon2 hashes the password in a BLAKE2b state it allocates and
// never clears, leaves its blocks unwiped, and takes no secret value or associated
// data (KeePass's Argon2d uses both). A vault's password stayed in that state after
// unlock until the allocator happened to reuse the memory. This is the RFC's
// algorithm in Go, checked against the RFC's test vectors and against x/crypto. On
// amd64 with AVX2 its compression is assembly (block_amd64.s), four words at a time,
// and a derivation takes 0.6-0.8x the time of x/crypto's SSE4 one; elsewhere it is
// Go on local variables, at 1.2-1.5x (BenchmarkKey).
package argon2

import (
	"encoding/binary"
	"math/bits"
	"sync"
)

// Mode is the Argon2 variant.
type Mode int

// The variants Valv uses: Argon2id for its own vaults, Argon2d for KeePass files.
const (
	D  Mode = 0
	ID Mode = 2
)

const (
	version    = 0x13
	blockWords = 128 // a block is 1 KiB: 128 64-bit words
	syncPoints = 4   // slices per pass
)

type block [blockWords]uint64

// IDKey is Key(ID, password, salt, nil, nil, …): the same key as x/crypto's IDKey.
func IDKey(password, salt []byte, time, memory uint32, threads uint8, keyLen uint32) []byte {
	return Key(ID, password, salt, nil, nil, time, memory, threads, keyLen)
}

// Key derives keyLen bytes. memory is in KiB; callers bound the costs first. It
// reads password but neither keeps nor changes it.
func Key(mode Mode, password, salt, secret, data []byte, time, memory uint32, threads uint8, keyLen uint32) []byte {
	time, lanes := max(time, 1), uint32(max(threads, 1))
	a := &state{mode: mode, lanes: lanes, passes: time}
	defer a.wipe()
	a.prehash(password, salt, secret, data, memory, keyLen)
	a.memory = max(memory/(syncPoints*lanes)*(syncPoints*lanes), 2*syncPoints*lanes)
	a.laneLen = a.memory / lanes
	a.segLen = a.laneLen / syncPoints
	a.b = newBlocks(int(a.memory))
	a.init()
	a.fill()
	return a.final(keyLen)
}

// prehash writes H0 (RFC 9106, section 3.2) into a.h0.
func (a *state) prehash(password, salt, secret, data []byte, memory, keyLen uint32) {
	d := &a.hash
	d.reset(64)
	for _, v := range []uint32{a.lanes, keyLen, memory, a.passes, version, uint32(a.mode)} {
		d.writeUint32(v)
	}
	for _, b := range [][]byte{password, salt, secret, data} {
		d.writeUint32(uint32(len(b)))
		d.write(b)
	}
	d.sum(a.h0[:64])
}

// state is one derivation. It holds, besides the blocks, everything derived from the
// password on its way to the blocks and back out (H0, the hash state, a 1 KiB buffer,
// the final block), so that all of it is on the heap and wiped at the end: a local
// array could stay behind on an old goroutine stack when the stack grows.
type state struct {
	mode                                   Mode
	lanes, laneLen, segLen, passes, memory uint32
	b                                      []block

	hash blake2b
	h0   [72]byte // H0, then the block index and lane of the first blocks
	buf  [1024]byte
	c    block
}

func (a *state) wipe() {
	clear(a.b)
	a.hash.wipe()
	wipe(a.h0[:])
	wipe(a.buf[:])
	wipeWords(a.c[:])
}

func (a *state) at(lane, i uint32) *block { return &a.b[lane*a.laneLen+i] }

func (a *state) init() {
	for lane := range a.lanes {
		for i := range uint32(2) {
			binary.LittleEndian.PutUint32(a.h0[64:], i)
			binary.LittleEndian.PutUint32(a.h0[68:], lane)
			hashLong(&a.hash, a.buf[:], a.h0[:])
			blk := a.at(lane, i)
			for w := range blk {
				blk[w] = binary.LittleEndian.Uint64(a.buf[w*8:])
			}
		}
	}
}

func (a *state) fill() {
	var wg sync.WaitGroup
	for pass := range a.passes {
		for slice := range uint32(syncPoints) {
			for lane := range a.lanes {
				wg.Go(func() { a.segment(pass, slice, lane) })
			}
			wg.Wait()
		}
	}
}

func (a *state) segment(pass, slice, lane uint32) {
	var addr, zero, input block
	independent := a.mode == ID && pass == 0 && slice < syncPoints/2
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
func (a *state) refIndex(pass, slice, idx, j1 uint32, sameLane bool) uint32 {
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

func nextAddresses(addr, input, zero *block) {
	input[6]++
	processBlock(addr, zero, input, false)
	processBlock(addr, zero, addr, false)
}

func (a *state) final(keyLen uint32) []byte {
	for lane := range a.lanes {
		last := a.at(lane, a.laneLen-1)
		for w := range a.c {
			a.c[w] ^= last[w]
		}
	}
	for w, v := range a.c {
		binary.LittleEndian.PutUint64(a.buf[w*8:], v)
	}
	out := make([]byte, keyLen)
	hashLong(&a.hash, out, a.buf[:])
	return out
}

// processBlock sets out = G(x, y), or out ^= G(x, y) when xor (passes after the first).
func processBlock(out, x, y *block, xor bool) {
	var q block
	if useAVX2 {
		processBlockAVX2(out, x, y, &q, xor)
		return
	}
	processBlockGo(out, x, y, &q, xor)
}

// processBlockGo is processBlock in Go, with q as its work area.
func processBlockGo(out, x, y, q *block, xor bool) {
	for i := range q {
		q[i] = x[i] ^ y[i]
	}
	for i := 0; i < blockWords; i += 16 {
		blamka(&q[i], &q[i+1], &q[i+2], &q[i+3], &q[i+4], &q[i+5], &q[i+6], &q[i+7],
			&q[i+8], &q[i+9], &q[i+10], &q[i+11], &q[i+12], &q[i+13], &q[i+14], &q[i+15])
	}
	for i := 0; i < 16; i += 2 {
		blamka(&q[i], &q[i+1], &q[i+16], &q[i+17], &q[i+32], &q[i+33], &q[i+48], &q[i+49],
			&q[i+64], &q[i+65], &q[i+80], &q[i+81], &q[i+96], &q[i+97], &q[i+112], &q[i+113])
	}
	// x ^ y again rather than a saved copy: both are in the cache by now, and out may
	// be y (nextAddresses), which each step reads before it writes.
	if xor {
		for i := range out {
			out[i] ^= q[i] ^ x[i] ^ y[i]
		}
	} else {
		for i := range out {
			out[i] = q[i] ^ x[i] ^ y[i]
		}
	}
}

// blamka is Argon2's permutation P on sixteen words, held in local variables while it
// works so that the compiler keeps them in registers.
func blamka(p0, p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12, p13, p14, p15 *uint64) {
	v0, v1, v2, v3, v4, v5, v6, v7 := *p0, *p1, *p2, *p3, *p4, *p5, *p6, *p7
	v8, v9, v10, v11, v12, v13, v14, v15 := *p8, *p9, *p10, *p11, *p12, *p13, *p14, *p15

	// Four column rounds, then four diagonal ones, of BLAKE2b's G with BlaMka's
	// multiplication, written out: the compiler would not inline a G function.
	v0 += v4 + 2*uint64(uint32(v0))*uint64(uint32(v4))
	v12 = bits.RotateLeft64(v12^v0, -32)
	v8 += v12 + 2*uint64(uint32(v8))*uint64(uint32(v12))
	v4 = bits.RotateLeft64(v4^v8, -24)
	v0 += v4 + 2*uint64(uint32(v0))*uint64(uint32(v4))
	v12 = bits.RotateLeft64(v12^v0, -16)
	v8 += v12 + 2*uint64(uint32(v8))*uint64(uint32(v12))
	v4 = bits.RotateLeft64(v4^v8, -63)
	v1 += v5 + 2*uint64(uint32(v1))*uint64(uint32(v5))
	v13 = bits.RotateLeft64(v13^v1, -32)
	v9 += v13 + 2*uint64(uint32(v9))*uint64(uint32(v13))
	v5 = bits.RotateLeft64(v5^v9, -24)
	v1 += v5 + 2*uint64(uint32(v1))*uint64(uint32(v5))
	v13 = bits.RotateLeft64(v13^v1, -16)
	v9 += v13 + 2*uint64(uint32(v9))*uint64(uint32(v13))
	v5 = bits.RotateLeft64(v5^v9, -63)
	v2 += v6 + 2*uint64(uint32(v2))*uint64(uint32(v6))
	v14 = bits.RotateLeft64(v14^v2, -32)
	v10 += v14 + 2*uint64(uint32(v10))*uint64(uint32(v14))
	v6 = bits.RotateLeft64(v6^v10, -24)
	v2 += v6 + 2*uint64(uint32(v2))*uint64(uint32(v6))
	v14 = bits.RotateLeft64(v14^v2, -16)
	v10 += v14 + 2*uint64(uint32(v10))*uint64(uint32(v14))
	v6 = bits.RotateLeft64(v6^v10, -63)
	v3 += v7 + 2*uint64(uint32(v3))*uint64(uint32(v7))
	v15 = bits.RotateLeft64(v15^v3, -32)
	v11 += v15 + 2*uint64(uint32(v11))*uint64(uint32(v15))
	v7 = bits.RotateLeft64(v7^v11, -24)
	v3 += v7 + 2*uint64(uint32(v3))*uint64(uint32(v7))
	v15 = bits.RotateLeft64(v15^v3, -16)
	v11 += v15 + 2*uint64(uint32(v11))*uint64(uint32(v15))
	v7 = bits.RotateLeft64(v7^v11, -63)
	v0 += v5 + 2*uint64(uint32(v0))*uint64(uint32(v5))
	v15 = bits.RotateLeft64(v15^v0, -32)
	v10 += v15 + 2*uint64(uint32(v10))*uint64(uint32(v15))
	v5 = bits.RotateLeft64(v5^v10, -24)
	v0 += v5 + 2*uint64(uint32(v0))*uint64(uint32(v5))
	v15 = bits.RotateLeft64(v15^v0, -16)
	v10 += v15 + 2*uint64(uint32(v10))*uint64(uint32(v15))
	v5 = bits.RotateLeft64(v5^v10, -63)
	v1 += v6 + 2*uint64(uint32(v1))*uint64(uint32(v6))
	v12 = bits.RotateLeft64(v12^v1, -32)
	v11 += v12 + 2*uint64(uint32(v11))*uint64(uint32(v12))
	v6 = bits.RotateLeft64(v6^v11, -24)
	v1 += v6 + 2*uint64(uint32(v1))*uint64(uint32(v6))
	v12 = bits.RotateLeft64(v12^v1, -16)
	v11 += v12 + 2*uint64(uint32(v11))*uint64(uint32(v12))
	v6 = bits.RotateLeft64(v6^v11, -63)
	v2 += v7 + 2*uint64(uint32(v2))*uint64(uint32(v7))
	v13 = bits.RotateLeft64(v13^v2, -32)
	v8 += v13 + 2*uint64(uint32(v8))*uint64(uint32(v13))
	v7 = bits.RotateLeft64(v7^v8, -24)
	v2 += v7 + 2*uint64(uint32(v2))*uint64(uint32(v7))
	v13 = bits.RotateLeft64(v13^v2, -16)
	v8 += v13 + 2*uint64(uint32(v8))*uint64(uint32(v13))
	v7 = bits.RotateLeft64(v7^v8, -63)
	v3 += v4 + 2*uint64(uint32(v3))*uint64(uint32(v4))
	v14 = bits.RotateLeft64(v14^v3, -32)
	v9 += v14 + 2*uint64(uint32(v9))*uint64(uint32(v14))
	v4 = bits.RotateLeft64(v4^v9, -24)
	v3 += v4 + 2*uint64(uint32(v3))*uint64(uint32(v4))
	v14 = bits.RotateLeft64(v14^v3, -16)
	v9 += v14 + 2*uint64(uint32(v9))*uint64(uint32(v14))
	v4 = bits.RotateLeft64(v4^v9, -63)

	*p0, *p1, *p2, *p3, *p4, *p5, *p6, *p7 = v0, v1, v2, v3, v4, v5, v6, v7
	*p8, *p9, *p10, *p11, *p12, *p13, *p14, *p15 = v8, v9, v10, v11, v12, v13, v14, v15
}
