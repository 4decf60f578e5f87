package vault

import (
	"crypto/cipher"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/valvpm/valv/internal/secret"
)

// sealChunk is how many items a sealing goroutine takes at a time: enough to make the
// hand-out cost nothing, few enough that the cores finish together.
const sealChunk = 512

// arenaSize is the block that sealed records of a batch are cut from: one allocation
// per few hundred records instead of four per record keeps a large import's garbage
// collector idle.
const arenaSize = 128 << 10

// sealAll seals every item (its ID already set) as a record with bookkeeping r, on all
// cores, and returns the records in the order of items. The records share large
// blocks; bbolt keeps references to them until the transaction ends, which is fine, as
// nothing else writes to them.
func (v *Vault) sealAll(items []*Item, r record) [][]byte {
	recs := make([][]byte, len(items))
	workers := min(runtime.GOMAXPROCS(0), (len(items)+sealChunk-1)/sealChunk)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			s := sealer{aead: newAEAD(v.key), vid: v.header.VaultID, plain: make([]byte, 0, 1024)}
			defer s.wipe()
			for {
				lo := int(next.Add(sealChunk)) - sealChunk
				if lo >= len(items) {
					return
				}
				for i := lo; i < min(lo+sealChunk, len(items)); i++ {
					recs[i] = s.record(items[i], r)
				}
			}
		})
	}
	wg.Wait()
	return recs
}

// sealer seals records one after another, reusing its cipher and buffers.
type sealer struct {
	aead  cipher.AEAD
	vid   VaultID
	plain []byte // the item's plaintext, wiped before the sealer is dropped
	ad    []byte
	arena []byte
}

// record returns it sealed with bookkeeping r, cut from the sealer's arena.
func (s *sealer) record(it *Item, r record) []byte {
	old := s.plain
	s.plain = appendItem(s.plain[:0], it)
	if cap(old) > 0 && cap(s.plain) != cap(old) {
		secret.Wipe(old[:cap(old)]) // outgrown: the last item's plaintext stays nowhere
	}
	s.ad = appendItemAD(s.ad[:0], s.vid, it.ID)
	n := recordSize(len(s.plain) + sealedOverhead)
	if cap(s.arena)-len(s.arena) < n {
		s.arena = make([]byte, 0, max(arenaSize, n))
	}
	start := len(s.arena)
	b := r.appendHead(s.arena)
	b = sealAppend(s.aead, b, s.plain, s.ad)
	b = appendCRC(b, start)
	s.arena = b
	return b[start:len(b):len(b)]
}

// wipe clears the last plaintext.
func (s *sealer) wipe() { secret.Wipe(s.plain[:cap(s.plain)]) }
