package vault

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"slices"

	bolt "go.etcd.io/bbolt"
)

// Adding, renaming and removing files. A file is streamed in ChunkSize pieces and its
// sealed chunks are written in small transactions under a staging mark; the item change
// that makes the file part of the item is one last transaction that also drops the
// mark. A read error, a cancelled context, a full disk or a crash before that last
// transaction leaves the vault as it was: the staged chunks are freed at once, or at the
// next Open after a crash.

// chunksPerTx is how many sealed chunks one staging transaction writes: bbolt keeps a
// transaction's pages in memory until commit, so this bounds the memory an add takes.
const chunksPerTx = 1

// SetAttachmentLimit sets how many bytes of files the vault may hold in all, from the
// plan's max_attachment_bytes; 0 means no limit beyond MaxAttachmentSize per file.
func (v *Vault) SetAttachmentLimit(bytes int64) { v.attachLimit.Store(max(bytes, 0)) }

// AttachmentLimit returns what SetAttachmentLimit set.
func (v *Vault) AttachmentLimit() int64 { return v.attachLimit.Load() }

// attachedBytes sums the sizes of every file of every item. The caller holds v.mu.
func (v *Vault) attachedBytes() int64 {
	var n int64
	for _, it := range v.idx.items {
		for _, a := range it.Attachments {
			n += a.Size
		}
	}
	return n
}

// checkRoom refuses adding n bytes of files when that breaks the per-file cap or the
// plan's limit. The caller holds v.mu.
func (v *Vault) checkRoom(name string, n int64) error {
	if n > MaxAttachmentSize {
		return fmt.Errorf("%w: %s", ErrAttachmentTooLarge, name)
	}
	if err := v.checkLimit(n); err != nil {
		return fmt.Errorf("%w: %s", err, name)
	}
	return nil
}

// AttachmentLimitError is ErrAttachmentLimit with the plan's room: Limit bytes of files
// in all, so the sentence can name it.
type AttachmentLimitError struct{ Limit int64 }

func (e *AttachmentLimitError) Error() string {
	if e.Limit < 1<<20 {
		return fmt.Sprintf("%v (%d KiB in all)", ErrAttachmentLimit, e.Limit>>10)
	}
	return fmt.Sprintf("%v (%d MiB in all)", ErrAttachmentLimit, e.Limit>>20)
}

func (e *AttachmentLimitError) Unwrap() error { return ErrAttachmentLimit }

// checkLimit refuses n more bytes of files over the plan's limit. The caller holds v.mu.
func (v *Vault) checkLimit(n int64) error {
	if limit := v.attachLimit.Load(); limit > 0 && v.attachedBytes()+n > limit {
		return &AttachmentLimitError{Limit: limit}
	}
	return nil
}

// Attach adds the content of r as a file called name to item and returns the stored
// item and the new file. A name the item already has gets " (2)" and so on before its
// extension. r is read to its end in ChunkSize pieces, so memory stays bounded for any
// size; a file over MaxAttachmentSize or the plan's limit is refused as soon as it
// passes it. On any error (including ctx being cancelled) the vault is unchanged.
func (v *Vault) Attach(ctx context.Context, item ID, name string, r io.Reader) (*Item, Attachment, error) {
	name, err := CleanAttachmentName(name)
	if err != nil {
		return nil, Attachment{}, err
	}
	v.mu.RLock()
	locked, it := v.key == nil, (*Item)(nil)
	if !locked {
		it = v.idx.get(item)
	}
	vid := v.header.VaultID
	v.mu.RUnlock()
	switch {
	case locked:
		return nil, Attachment{}, ErrLocked
	case it == nil:
		return nil, Attachment{}, ErrNotFound
	}
	a := Attachment{ID: newAttachmentID(), Name: name, Added: v.now().UTC()}
	rand.Read(a.key[:])
	if err := v.stage(a.ID, item); err != nil {
		return nil, Attachment{}, err
	}
	err = v.writeChunks(ctx, chunkPlace{vid: vid, item: item, att: &a}, r)
	var n *Item
	if err == nil {
		n, err = v.commitAttachment(item, a)
	}
	if err != nil {
		// When freeing fails too (the disk is full), the staging mark stays and the next
		// Open frees the chunks; the first error is the one the person needs to see.
		if ferr := v.update(func(tx *bolt.Tx) error { return freeFile(tx, a.ID, false) }); ferr != nil {
			err = fmt.Errorf("%w (the partly stored file is removed the next time the vault is opened)", err)
		}
		return nil, Attachment{}, err
	}
	att, _ := n.Attachment(a.ID)
	return n, att, nil
}

// stage marks att as being added to item, before any of its chunks is written.
func (v *Vault) stage(att AttachmentID, item ID) error {
	return v.update(func(tx *bolt.Tx) error {
		if err := ensureAttachmentBuckets(tx); err != nil {
			return err
		}
		return tx.Bucket(bucketStaging).Put(bytes.Clone(att[:]), bytes.Clone(item[:]))
	})
}

// writeChunks reads r to its end, sealing and storing it chunk by chunk, and fills in
// the file's size, media type and SHA-256. One chunk is read ahead, to know which
// chunk is the last before sealing it.
func (v *Vault) writeChunks(ctx context.Context, p chunkPlace, r io.Reader) error {
	a := p.att
	h := sha256.New()
	cur, next := make([]byte, ChunkSize), make([]byte, ChunkSize)
	defer clear(cur)
	defer clear(next)
	n, err := readChunk(r, cur)
	var batch [][2][]byte
	for i := 0; err == nil; i++ {
		if err = ctx.Err(); err != nil {
			break
		}
		last, m := n < ChunkSize, 0
		if !last {
			if m, err = readChunk(r, next); err != nil {
				break
			}
			last = m == 0
		}
		a.Size += int64(n)
		if err = v.roomFor(a); err != nil {
			break
		}
		if i == 0 {
			a.MediaType = sniffMediaType(a.Name, cur[:min(n, 512)])
		}
		h.Write(cur[:n])
		if last { // now the size is known, and with it which chunk is the last
			copy(a.SHA256[:], h.Sum(nil))
		}
		batch = append(batch, [2][]byte{chunkKey(a.ID, i), p.sealAt(i, cur[:n], last)})
		if len(batch) == chunksPerTx || last {
			if err = v.putChunks(batch); err != nil || last {
				break
			}
			batch = batch[:0]
		}
		cur, next, n = next, cur, m
	}
	return err
}

// sealAt seals chunk i, which is the file's last when last (the file's size is only
// known once the last chunk is read).
func (p chunkPlace) sealAt(i int, plain []byte, last bool) []byte {
	return seal(p.att.key[:], plain, chunkAD(p.vid, p.item, p.att.ID, i, last))
}

// roomFor checks the growing file against the limits.
func (v *Vault) roomFor(a *Attachment) error {
	v.mu.RLock()
	defer v.mu.RUnlock()
	if v.key == nil {
		return ErrLocked
	}
	return v.checkRoom(a.Name, a.Size)
}

// readChunk fills buf from r as far as r goes; the end of r is not an error.
func readChunk(r io.Reader, buf []byte) (int, error) {
	n, err := io.ReadFull(r, buf)
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		err = nil
	}
	if err != nil {
		return n, fmt.Errorf("the file could not be read, so it was not added: %w", err)
	}
	return n, nil
}

// putChunks stores sealed chunks (key, value) in one transaction.
func (v *Vault) putChunks(batch [][2][]byte) error {
	return v.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketChunks)
		if b == nil {
			return fmt.Errorf("%w: the file store is missing", ErrCorrupt)
		}
		for _, kv := range batch {
			if err := b.Put(kv[0], kv[1]); err != nil {
				return err
			}
		}
		return nil
	})
}

// commitAttachment makes the staged file a part of its item, in one transaction.
func (v *Vault) commitAttachment(item ID, a Attachment) (*Item, error) {
	if err := v.lockFor(nil); err != nil {
		return nil, err
	}
	defer v.mu.Unlock()
	old := v.idx.get(item)
	if old == nil {
		return nil, ErrNotFound
	}
	if err := v.checkRoom(a.Name, a.Size); err != nil { // another file may have come meanwhile
		return nil, err
	}
	n := old.Clone()
	a.Name = uniqueName(n, a.Name)
	n.Attachments = append(n.Attachments, a)
	return v.change(old, n, func(tx *bolt.Tx) error {
		if err := tx.Bucket(bucketStaging).Delete(a.ID[:]); err != nil {
			return err
		}
		return tx.Bucket(bucketWhole).Put(bytes.Clone(a.ID[:]), bytes.Clone(item[:]))
	})
}

// change stores n as the next revision of the stored item old, together with what also
// does to the attachment store, in one transaction, and updates the index. The caller
// holds v.mu.
func (v *Vault) change(old, n *Item, also func(*bolt.Tx) error) (*Item, error) {
	r, err := v.record(old.ID)
	if err != nil {
		return nil, err
	}
	n.Modified = v.now().UTC()
	rec := v.sealRecord(n, record{rev: r.rev + 1, base: r.base})
	err = v.update(func(tx *bolt.Tx) error {
		if err := ensureAttachmentBuckets(tx); err != nil {
			return err
		}
		if err := tx.Bucket(bucketItems).Put(n.ID[:], rec); err != nil {
			return err
		}
		if err := tx.Bucket(bucketPending).Put(n.ID[:], nil); err != nil {
			return err
		}
		return also(tx)
	})
	if err != nil {
		return nil, err
	}
	v.idx.replace(old, n)
	go v.notify()
	return n.Clone(), nil
}

// RenameAttachment gives one of the item's files a new name (cleaned as by
// CleanAttachmentName). A name another file of the item has is ErrAttachmentExists.
func (v *Vault) RenameAttachment(item ID, att AttachmentID, name string) (*Item, error) {
	name, err := CleanAttachmentName(name)
	if err != nil {
		return nil, err
	}
	if err := v.lockFor(nil); err != nil {
		return nil, err
	}
	defer v.mu.Unlock()
	old, i, err := v.fileOf(item, att)
	if err != nil {
		return nil, err
	}
	if j := slices.IndexFunc(old.Attachments, func(a Attachment) bool { return a.Name == name }); j >= 0 && j != i {
		return nil, fmt.Errorf("%w: %s", ErrAttachmentExists, name)
	}
	n := old.Clone()
	n.Attachments[i].Name = name
	return v.change(old, n, func(*bolt.Tx) error { return nil })
}

// fileOf finds item and the place of its file att among its attachments. The caller
// holds v.mu.
func (v *Vault) fileOf(item ID, att AttachmentID) (*Item, int, error) {
	it := v.idx.get(item)
	if it == nil {
		return nil, 0, ErrNotFound
	}
	i := slices.IndexFunc(it.Attachments, func(a Attachment) bool { return a.ID == att })
	if i < 0 {
		return nil, 0, ErrNoAttachment
	}
	return it, i, nil
}

// Detach removes one of the item's files and frees its chunks; the removal is noted
// for deleting the file in the cloud (RemovedAttachments).
func (v *Vault) Detach(item ID, att AttachmentID) (*Item, error) {
	if err := v.lockFor(nil); err != nil {
		return nil, err
	}
	defer v.mu.Unlock()
	old, i, err := v.fileOf(item, att)
	if err != nil {
		return nil, err
	}
	n := old.Clone()
	n.Attachments = slices.Delete(n.Attachments, i, i+1)
	return v.change(old, n, func(tx *bolt.Tx) error { return freeFile(tx, att, true) })
}
