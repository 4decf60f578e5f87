package vault

import (
	"bytes"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// The attachment side of sync. Files travel apart from their items, chunk by chunk, as
// the sealed bytes stored here: the sync engine never sees a file's key or plaintext.
// An item arrives first and says which files it has; their chunks follow.

// ChunkRef names one chunk: piece Index (from 0) of a file.
type ChunkRef struct {
	Attachment AttachmentID
	Index      int
}

// ChunkInfo is what sync needs to know about one chunk an item refers to.
type ChunkInfo struct {
	Item     ID
	Ref      ChunkRef
	Count    int  // how many chunks the file has
	Here     bool // stored on this device
	Uploaded bool // the cloud has it (uploaded from here, or downloaded from there)
}

// Chunks lists every chunk of every file the unlocked vault's items refer to, file by
// file in order.
func (v *Vault) Chunks() ([]ChunkInfo, error) {
	return v.chunksOf(func(*Item) bool { return true })
}

// ItemChunks lists the chunks of the files of one item, as Chunks does: what its Files
// section says about each file's sync (here, in the cloud, or neither yet).
func (v *Vault) ItemChunks(id ID) ([]ChunkInfo, error) {
	return v.chunksOf(func(it *Item) bool { return it.ID == id })
}

func (v *Vault) chunksOf(keep func(*Item) bool) ([]ChunkInfo, error) {
	v.mu.RLock()
	if v.key == nil {
		v.mu.RUnlock()
		return nil, ErrLocked
	}
	var out []ChunkInfo
	for _, it := range v.idx.items {
		if !keep(it) {
			continue
		}
		for _, a := range it.Attachments {
			for i := range a.Chunks() {
				out = append(out, ChunkInfo{Item: it.ID, Ref: ChunkRef{a.ID, i}, Count: a.Chunks()})
			}
		}
	}
	v.mu.RUnlock()
	if len(out) == 0 {
		return nil, nil
	}
	err := safeView(v.db, func(tx *bolt.Tx) error {
		chunks, up := tx.Bucket(bucketChunks), tx.Bucket(bucketUploaded)
		for i := range out {
			k := chunkKey(out[i].Ref.Attachment, out[i].Ref.Index)
			out[i].Here = chunks != nil && chunks.Get(k) != nil
			out[i].Uploaded = up != nil && up.Get(k) != nil
		}
		return nil
	})
	return out, err
}

// SealedChunk returns a chunk as stored, sealed, for uploading. A chunk that is not
// here is ErrAttachmentNotHere.
func (v *Vault) SealedChunk(ref ChunkRef) ([]byte, error) {
	var out []byte
	err := safeView(v.db, func(tx *bolt.Tx) error {
		if b := tx.Bucket(bucketChunks); b != nil {
			out = bytes.Clone(b.Get(chunkKey(ref.Attachment, ref.Index)))
		}
		if out == nil {
			return fmt.Errorf("%w: piece %d of file %s", ErrAttachmentNotHere, ref.Index+1, ref.Attachment)
		}
		return nil
	})
	return out, err
}

// PutSealedChunk stores a chunk downloaded from the cloud, after checking that it opens
// as exactly that piece of that file of one of the vault's items (ErrAttachmentCorrupt
// otherwise, and nothing is stored). A file nothing refers to is ErrNoAttachment.
func (v *Vault) PutSealedChunk(ref ChunkRef, sealed []byte) error {
	p, err := v.placeOfFile(ref.Attachment)
	if err != nil {
		return err
	}
	plain, err := p.open(make([]byte, 0, ChunkSize), ref.Index, sealed)
	if err != nil {
		return err
	}
	clear(plain)
	return v.update(func(tx *bolt.Tx) error {
		if err := ensureAttachmentBuckets(tx); err != nil {
			return err
		}
		k := chunkKey(ref.Attachment, ref.Index)
		chunks := tx.Bucket(bucketChunks)
		if err := chunks.Put(k, bytes.Clone(sealed)); err != nil {
			return err
		}
		if err := tx.Bucket(bucketUploaded).Put(k, nil); err != nil {
			return err
		}
		for i := range p.att.Chunks() {
			if chunks.Get(chunkKey(ref.Attachment, i)) == nil {
				return nil
			}
		}
		return tx.Bucket(bucketWhole).Put(bytes.Clone(ref.Attachment[:]), bytes.Clone(p.item[:]))
	})
}

// placeOfFile finds the item that has the file att.
func (v *Vault) placeOfFile(att AttachmentID) (chunkPlace, error) {
	v.mu.RLock()
	defer v.mu.RUnlock()
	if v.key == nil {
		return chunkPlace{}, ErrLocked
	}
	for _, it := range v.idx.items {
		if a, ok := it.Attachment(att); ok {
			return chunkPlace{vid: v.header.VaultID, item: it.ID, att: &a}, nil
		}
	}
	return chunkPlace{}, fmt.Errorf("%w (file %s)", ErrNoAttachment, att)
}

// MarkUploaded records that the cloud has the chunks, so they are never uploaded again.
// Chunks of files no longer here are ignored.
func (v *Vault) MarkUploaded(refs ...ChunkRef) error {
	return v.update(func(tx *bolt.Tx) error {
		if err := ensureAttachmentBuckets(tx); err != nil {
			return err
		}
		chunks, up := tx.Bucket(bucketChunks), tx.Bucket(bucketUploaded)
		for _, ref := range refs {
			k := chunkKey(ref.Attachment, ref.Index)
			if chunks.Get(k) == nil {
				continue
			}
			if err := up.Put(k, nil); err != nil {
				return err
			}
		}
		return nil
	})
}

// RemovedAttachments lists the files removed on this device (detached, or their item
// deleted) that the cloud may still hold.
func (v *Vault) RemovedAttachments() ([]AttachmentID, error) {
	var out []AttachmentID
	err := safeView(v.db, func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketRemoved)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, _ []byte) error {
			if len(k) == len(AttachmentID{}) {
				out = append(out, AttachmentID(k))
			}
			return nil
		})
	})
	return out, err
}

// ForgetRemoved drops files from RemovedAttachments once the cloud has deleted them.
func (v *Vault) ForgetRemoved(ids ...AttachmentID) error {
	return v.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketRemoved)
		if b == nil {
			return nil
		}
		for _, id := range ids {
			if err := b.Delete(id[:]); err != nil {
				return err
			}
		}
		return nil
	})
}
