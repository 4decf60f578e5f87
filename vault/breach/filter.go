package breach

import (
	"crypto/sha1"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"math/bits"
)

// ErrFilter means a file is not a breach filter Valv can read, or is damaged.
var ErrFilter = errors.New("the file is not a Valv breach filter, or it is damaged")

// The file format, little-endian throughout:
//
//	header   magic "VALVBRF1" · shard bits (1 byte) · fingerprint bits (1 byte, 16) · 6 zero bytes
//	shards   for shard 0, 1, …: its fingerprints, 2 bytes each, one right after another
//	table    for each shard: seed (8) · segment length (4) · segment count (4) · offset (8)
//	trailer  number of keys (8) · offset of the table (8)
//
// A key is the first 8 bytes of SHA-1(password), big-endian; its shard is its leading
// shard-bits bits, so a list sorted by hash fills the shards in order. An empty shard
// has segment length 0. The table is at the end because a shard's size is known only
// once it is built, and the writer streams.
const (
	magic       = "VALVBRF1"
	headerSize  = 16
	entrySize   = 24
	trailerSize = 16
	fpBits      = 16
	// MaxShardBits bounds the table: 65,536 shards hold any list there is.
	MaxShardBits = 16
	// maxSegmentLength is the largest segment the builder makes (xorfilter's cap).
	maxSegmentLength = 1 << 18
)

// Hash is the SHA-1 of a password, the form breach lists and the range API use.
func Hash(password string) [sha1.Size]byte { return sha1.Sum([]byte(password)) }

// key is what the filter holds for a hash.
func key(sum [sha1.Size]byte) uint64 { return binary.BigEndian.Uint64(sum[:8]) }

// Filter answers whether a password hash is in a breach list, reading its file
// through an io.ReaderAt: the built-in filter from memory, a full one from disk.
// It is safe for concurrent use.
type Filter struct {
	r         io.ReaderAt
	shardBits uint
	shards    []shard
	keys      uint64
	closer    io.Closer // the file, for OpenFile's filters
}

type shard struct {
	seed           uint64
	segmentLength  uint32
	segmentCount   uint32
	offset         int64 // of the first fingerprint
	fingerprintLen uint32
}

// Open reads a filter's header and table from r, whose length is size, and checks
// that every lookup stays inside the file. The fingerprints are read on demand.
func Open(r io.ReaderAt, size int64) (*Filter, error) {
	if size < headerSize+entrySize+trailerSize {
		return nil, ErrFilter
	}
	var h [headerSize]byte
	if _, err := r.ReadAt(h[:], 0); err != nil {
		return nil, fmt.Errorf("reading the breach filter: %w", err)
	}
	if string(h[:8]) != magic || h[8] > MaxShardBits || h[9] != fpBits || binary.LittleEndian.Uint64(h[8:])>>16 != 0 {
		return nil, ErrFilter
	}
	f := &Filter{r: r, shardBits: uint(h[8])}
	n := 1 << f.shardBits
	var t [trailerSize]byte
	if _, err := r.ReadAt(t[:], size-trailerSize); err != nil {
		return nil, fmt.Errorf("reading the breach filter: %w", err)
	}
	f.keys = binary.LittleEndian.Uint64(t[:8])
	tableAt := binary.LittleEndian.Uint64(t[8:])
	if tableAt != uint64(size)-trailerSize-uint64(n)*entrySize {
		return nil, ErrFilter
	}
	table := make([]byte, n*entrySize)
	if _, err := r.ReadAt(table, int64(tableAt)); err != nil {
		return nil, fmt.Errorf("reading the breach filter: %w", err)
	}
	f.shards = make([]shard, n)
	next := int64(headerSize) // shards are stored back to back, in order
	for i := range f.shards {
		e := table[i*entrySize:]
		s := shard{
			seed:          binary.LittleEndian.Uint64(e),
			segmentLength: binary.LittleEndian.Uint32(e[8:]),
			segmentCount:  binary.LittleEndian.Uint32(e[12:]),
			offset:        int64(binary.LittleEndian.Uint64(e[16:])),
		}
		if s.offset != next {
			return nil, ErrFilter
		}
		if s.segmentLength != 0 {
			// Lookups stay below (count+2)·length only for a power-of-two length.
			if s.segmentLength&(s.segmentLength-1) != 0 || s.segmentLength > maxSegmentLength || s.segmentCount == 0 {
				return nil, ErrFilter
			}
			fl := (uint64(s.segmentCount) + 2) * uint64(s.segmentLength)
			if fl > uint64(size) || fl > math.MaxUint32 {
				return nil, ErrFilter
			}
			s.fingerprintLen = uint32(fl)
		} else if s.segmentCount != 0 || s.seed != 0 {
			return nil, ErrFilter
		}
		next += 2 * int64(s.fingerprintLen)
		f.shards[i] = s
	}
	if uint64(next) != tableAt {
		return nil, ErrFilter
	}
	return f, nil
}

// Keys is how many distinct passwords the filter was built from.
func (f *Filter) Keys() uint64 { return f.keys }

// Contains reports whether the hash is in the filter: certainly false, or true with
// a false-positive rate of 2⁻¹⁶. The error is a read error of the file.
func (f *Filter) Contains(sum [sha1.Size]byte) (bool, error) {
	k := key(sum)
	s := &f.shards[0]
	if f.shardBits > 0 {
		s = &f.shards[k>>(64-f.shardBits)]
	}
	if s.segmentLength == 0 {
		return false, nil
	}
	// Binary fuse lookup (Graf and Lemire, 2022), exactly as xorfilter builds it: the
	// key mixed with the seed picks three slots, one in each of three consecutive
	// segments, whose fingerprints XOR to the key's own fingerprint when it is in the
	// set. The package test checks this against xorfilter's own Contains.
	h := mix(k + s.seed)
	fp := uint16(h ^ h>>32)
	hi, _ := bits.Mul64(h, uint64(s.segmentCount)*uint64(s.segmentLength))
	mask := s.segmentLength - 1
	h0 := uint32(hi)
	h1 := (h0 + s.segmentLength) ^ (uint32(h>>18) & mask)
	h2 := (h0 + 2*s.segmentLength) ^ (uint32(h) & mask)
	for _, i := range [3]uint32{h0, h1, h2} {
		var b [2]byte
		if _, err := f.r.ReadAt(b[:], s.offset+2*int64(i)); err != nil {
			return false, fmt.Errorf("reading the breach filter: %w", err)
		}
		fp ^= binary.LittleEndian.Uint16(b[:])
	}
	return fp == 0, nil
}

// mix is the 64-bit finaliser of MurmurHash3, xorfilter's key mixer.
func mix(h uint64) uint64 {
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 33
	return h
}
