package vault

import (
	"bytes"
	"crypto/rand"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Files that come with new items (an import, NewAttachment): their chunks are sealed
// in memory and stored in the same transaction as the items, so an import is whole or
// absent like any other AddAll.

// newFiles are sealed chunks and the files they complete, ready to store.
type newFiles struct {
	chunks [][2][]byte // key, sealed chunk; in key order
	whole  [][2][]byte // attID, item ID
}

// prepareFiles gives each new item's files that carry content an ID and a key, seals
// their chunks and drops the content from the item; files without content (a stored
// item's, copied) are dropped, since their chunks belong to another item. It refuses
// files over the limits. items have their IDs already. The caller holds v.mu.
func (v *Vault) prepareFiles(items []*Item, now time.Time) (*newFiles, error) {
	var total int64
	for _, n := range items {
		for _, a := range n.Attachments {
			if a.content != nil {
				total += a.Size
			}
		}
	}
	if total == 0 && !slices.ContainsFunc(items, func(n *Item) bool { return len(n.Attachments) > 0 }) {
		return nil, nil
	}
	if err := v.checkLimit(total); err != nil { // Validate has checked each file's size
		return nil, err
	}
	files := &newFiles{}
	for _, n := range items {
		kept := n.Attachments[:0:0]
		for _, a := range n.Attachments {
			if a.content == nil {
				continue
			}
			a.ID = newAttachmentID()
			rand.Read(a.key[:])
			if a.Added.IsZero() {
				a.Added = now
			}
			files.add(chunkPlace{vid: v.header.VaultID, item: n.ID, att: &a})
			a.content = nil
			kept = append(kept, a)
		}
		n.Attachments = kept
		if len(kept) == 0 {
			n.Attachments = nil
		}
	}
	slices.SortFunc(files.chunks, func(x, y [2][]byte) int { return bytes.Compare(x[0], y[0]) })
	return files, nil
}

// add seals the content of p's file.
func (f *newFiles) add(p chunkPlace) {
	data := p.att.content
	for i := range p.att.Chunks() {
		piece := data[min(i*ChunkSize, len(data)):min((i+1)*ChunkSize, len(data))]
		f.chunks = append(f.chunks, [2][]byte{chunkKey(p.att.ID, i), p.seal(i, piece)})
	}
	f.whole = append(f.whole, [2][]byte{bytes.Clone(p.att.ID[:]), bytes.Clone(p.item[:])})
}

// store writes the files in tx; nil stores nothing.
func (f *newFiles) store(tx *bolt.Tx) error {
	if f == nil {
		return nil
	}
	if err := ensureAttachmentBuckets(tx); err != nil {
		return err
	}
	chunks, whole := tx.Bucket(bucketChunks), tx.Bucket(bucketWhole)
	for _, kv := range f.chunks {
		if err := chunks.Put(kv[0], kv[1]); err != nil {
			return err
		}
	}
	for _, kv := range f.whole {
		if err := whole.Put(kv[0], kv[1]); err != nil {
			return err
		}
	}
	return nil
}
