package vault

import (
	"crypto/sha256"
	"fmt"
	"hash"
	"io"

	bolt "go.etcd.io/bbolt"
)

// OpenAttachment returns a reader of one of the item's files. It reads and opens one
// chunk at a time, so memory stays bounded whatever the size; a chunk that fails its
// check, or a SHA-256 that differs at the end, is ErrAttachmentCorrupt from Read, and
// no plaintext of a failed chunk is returned. A file whose chunks have not all reached
// this device is ErrAttachmentNotHere (sync fetches them). Close wipes the buffers.
func (v *Vault) OpenAttachment(item ID, att AttachmentID) (io.ReadCloser, error) {
	p, err := v.placeOf(item, att)
	if err != nil {
		return nil, err
	}
	var missing, whole bool
	err = safeView(v.db, func(tx *bolt.Tx) error {
		chunks, w := tx.Bucket(bucketChunks), tx.Bucket(bucketWhole)
		for i := range p.att.Chunks() {
			if chunks == nil || chunks.Get(chunkKey(att, i)) == nil {
				missing = true
				break
			}
		}
		whole = w != nil && w.Get(att[:]) != nil
		return nil
	})
	switch {
	case err != nil:
		return nil, err
	case missing && whole: // it was all here once: a piece was removed behind Valv's back
		return nil, fmt.Errorf("%w: a piece of %q is missing", ErrAttachmentCorrupt, p.att.Name)
	case missing:
		return nil, fmt.Errorf("%w: %s", ErrAttachmentNotHere, p.att.Name)
	}
	return &attachmentReader{v: v, p: p, h: sha256.New(), buf: make([]byte, 0, ChunkSize)}, nil
}

// placeOf finds a file of an item in the unlocked vault, with a private copy of it.
func (v *Vault) placeOf(item ID, att AttachmentID) (chunkPlace, error) {
	v.mu.RLock()
	defer v.mu.RUnlock()
	if v.key == nil {
		return chunkPlace{}, ErrLocked
	}
	it, i, err := v.fileOf(item, att)
	if err != nil {
		return chunkPlace{}, err
	}
	a := it.Attachments[i]
	return chunkPlace{vid: v.header.VaultID, item: item, att: &a}, nil
}

// attachmentReader streams a file chunk by chunk.
type attachmentReader struct {
	v    *Vault
	p    chunkPlace
	h    hash.Hash
	next int    // the chunk to read next
	buf  []byte // the opened chunk
	pos  int    // read so far of buf
	err  error  // sticky: io.EOF after a verified end, or the failure
}

// Read implements io.Reader.
func (r *attachmentReader) Read(b []byte) (int, error) {
	for r.pos == len(r.buf) {
		if r.err != nil {
			return 0, r.err
		}
		r.err = r.load()
	}
	n := copy(b, r.buf[r.pos:])
	r.pos += n
	return n, nil
}

// load opens the next chunk into buf, or checks the SHA-256 at the end.
func (r *attachmentReader) load() error {
	clear(r.buf)
	r.buf, r.pos = r.buf[:0], 0
	if r.next == r.p.att.Chunks() {
		if [32]byte(r.h.Sum(nil)) != r.p.att.SHA256 {
			return fmt.Errorf("%w: the SHA-256 of %q differs", ErrAttachmentCorrupt, r.p.att.Name)
		}
		return io.EOF
	}
	i := r.next
	err := safeView(r.v.db, func(tx *bolt.Tx) error {
		var sealed []byte
		if b := tx.Bucket(bucketChunks); b != nil {
			sealed = b.Get(chunkKey(r.p.att.ID, i))
		}
		if sealed == nil {
			return fmt.Errorf("%w: piece %d of %q is missing", ErrAttachmentCorrupt, i+1, r.p.att.Name)
		}
		plain, err := r.p.open(r.buf, i, sealed) // opened straight out of the mapped file
		r.buf = plain
		return err
	})
	if err != nil {
		r.buf = r.buf[:0]
		return err
	}
	r.h.Write(r.buf)
	r.next++
	return nil
}

// Close wipes the reader's buffer and forgets the file's key.
func (r *attachmentReader) Close() error {
	clear(r.buf[:cap(r.buf)])
	r.buf, r.pos, r.err = nil, 0, io.ErrClosedPipe
	r.p.att.key = [KeySize]byte{}
	return nil
}
