package breach

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/FastFilter/xorfilter"
)

// errUnsorted is what the writer says when a key belongs to a shard already written.
var errUnsorted = errors.New("the hashes are not sorted")

// writer streams a filter file: keys arrive shard by shard (in any order within a
// shard), and each shard is built and written as soon as the next one begins, so
// memory holds one shard's keys, never the whole list.
type writer struct {
	w         *bufio.Writer
	shardBits uint
	cur       int      // the shard being collected
	keys      []uint64 // its keys
	table     []byte
	off       int64
	total     uint64
	fb        xorfilter.BinaryFuseBuilder
}

func newWriter(w io.Writer, shardBits uint) (*writer, error) {
	if shardBits > MaxShardBits {
		return nil, fmt.Errorf("at most %d shard bits", MaxShardBits)
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	var h [headerSize]byte
	copy(h[:], magic)
	h[8], h[9] = byte(shardBits), fpBits
	if _, err := bw.Write(h[:]); err != nil {
		return nil, err
	}
	return &writer{w: bw, shardBits: shardBits, off: headerSize}, nil
}

func (b *writer) shardOf(k uint64) int {
	if b.shardBits == 0 {
		return 0
	}
	return int(k >> (64 - b.shardBits))
}

// add takes the next key; errUnsorted if its shard was already written.
func (b *writer) add(k uint64) error {
	s := b.shardOf(k)
	if s < b.cur {
		return errUnsorted
	}
	for b.cur < s {
		if err := b.flush(); err != nil {
			return err
		}
	}
	b.keys = append(b.keys, k)
	return nil
}

// flush builds and writes the current shard and moves to the next.
func (b *writer) flush() error {
	var e [entrySize]byte
	binary.LittleEndian.PutUint64(e[16:], uint64(b.off))
	if len(b.keys) > 0 {
		// Duplicates would only cost the builder retries; dropping them also makes
		// the key count exact.
		slices.Sort(b.keys)
		b.keys = slices.Compact(b.keys)
		f, err := xorfilter.BuildBinaryFuse[uint16](&b.fb, b.keys)
		if err != nil {
			return fmt.Errorf("building the filter: %w", err)
		}
		if uint64(len(f.Fingerprints)) != (uint64(f.SegmentCount)+2)*uint64(f.SegmentLength) || f.SegmentLength > maxSegmentLength {
			return fmt.Errorf("building the filter: unexpected layout from xorfilter")
		}
		binary.LittleEndian.PutUint64(e[0:], f.Seed)
		binary.LittleEndian.PutUint32(e[8:], f.SegmentLength)
		binary.LittleEndian.PutUint32(e[12:], f.SegmentCount)
		buf := make([]byte, 2*len(f.Fingerprints))
		for i, fp := range f.Fingerprints {
			binary.LittleEndian.PutUint16(buf[2*i:], fp)
		}
		if _, err := b.w.Write(buf); err != nil {
			return err
		}
		b.off += int64(len(buf))
		b.total += uint64(len(b.keys))
	}
	b.table = append(b.table, e[:]...)
	b.keys = b.keys[:0]
	b.cur++
	return nil
}

// close writes the remaining shards, the table and the trailer.
func (b *writer) close() error {
	for b.cur < 1<<b.shardBits {
		if err := b.flush(); err != nil {
			return err
		}
	}
	var t [trailerSize]byte
	binary.LittleEndian.PutUint64(t[:], b.total)
	binary.LittleEndian.PutUint64(t[8:], uint64(b.off))
	if _, err := b.w.Write(b.table); err != nil {
		return err
	}
	if _, err := b.w.Write(t[:]); err != nil {
		return err
	}
	return b.w.Flush()
}

// BuildPasswords writes a one-shard filter of the given passwords (the built-in list).
// The output depends only on the set of passwords, so a build is reproducible.
func BuildPasswords(w io.Writer, passwords []string) (keys uint64, err error) {
	ks := make([]uint64, len(passwords))
	for i, p := range passwords {
		ks[i] = key(Hash(p))
	}
	return buildKeys(w, ks, 0)
}

// buildKeys writes a filter of keys in any order, sorting them first.
func buildKeys(w io.Writer, keys []uint64, shardBits uint) (uint64, error) {
	slices.Sort(keys)
	b, err := newWriter(w, shardBits)
	if err != nil {
		return 0, err
	}
	for _, k := range keys {
		if err := b.add(k); err != nil {
			return 0, err
		}
	}
	if err := b.close(); err != nil {
		return 0, err
	}
	return b.total, nil
}
