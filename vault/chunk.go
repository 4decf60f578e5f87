package vault

import (
	"bytes"
	"encoding/binary"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// How an attached file's content is stored (docs/vault-format.md, "Attachments"): the
// plaintext is cut into ChunkSize pieces; piece i is sealed with XChaCha20-Poly1305
// under the file's own random key, with associated data
//
//	"valv/chunk/v1" ‖ vault ID(16) ‖ item ID(16) ‖ attachment ID(16) ‖ i(4, big endian) ‖ last(1)
//
// so a chunk opens only as piece i of that file of that item of that vault, and only
// the real last piece says it is last: reordering, swapping between files, dropping
// the tail or replaying a piece of another file all fail to open. The file's key lives
// only inside the sealed item, so the chunks can go to the cloud as they are.

// Buckets of the attachment store. They are created with the first file, so a vault
// written before attachments existed opens unchanged.
var (
	bucketChunks   = []byte("chunks")       // attID ‖ index(4) → sealed chunk
	bucketWhole    = []byte("chunkswhole")  // attID → item ID: every chunk of the file is here
	bucketStaging  = []byte("chunkstaging") // attID → item ID: a file being added, not yet in its item
	bucketUploaded = []byte("chunksup")     // attID ‖ index(4) → empty: the cloud has the chunk
	bucketRemoved  = []byte("attremoved")   // attID → empty: removed here, to delete in the cloud
)

var attachmentBuckets = [][]byte{bucketChunks, bucketWhole, bucketStaging, bucketUploaded, bucketRemoved}

const adChunk = "valv/chunk/v1"

// chunkKey is the bbolt key of chunk i of a file: its ID then the index, so a file's
// chunks are adjacent and in order.
func chunkKey(att AttachmentID, i int) []byte {
	k := make([]byte, 0, len(att)+4)
	k = append(k, att[:]...)
	return binary.BigEndian.AppendUint32(k, uint32(i))
}

// chunkAD binds chunk i of a file to its place (see the top of this file).
func chunkAD(vid VaultID, item ID, att AttachmentID, i int, last bool) []byte {
	ad := make([]byte, 0, len(adChunk)+16*3+5)
	ad = append(ad, adChunk...)
	ad = append(ad, vid[:]...)
	ad = append(ad, item[:]...)
	ad = append(ad, att[:]...)
	ad = binary.BigEndian.AppendUint32(ad, uint32(i))
	if last {
		return append(ad, 1)
	}
	return append(ad, 0)
}

// chunkPlace is where a chunk belongs: the file (with its key and size) and its item.
type chunkPlace struct {
	vid  VaultID
	item ID
	att  *Attachment
}

// seal seals plaintext as chunk i of the file.
func (p chunkPlace) seal(i int, plain []byte) []byte {
	return seal(p.att.key[:], plain, chunkAD(p.vid, p.item, p.att.ID, i, i == p.att.Chunks()-1))
}

// open opens sealed as chunk i of the file into dst (which needs ChunkSize capacity to
// avoid allocating), checking that it is exactly as long as chunk i must be. Any
// failure is ErrAttachmentCorrupt and returns no plaintext.
func (p chunkPlace) open(dst []byte, i int, sealed []byte) ([]byte, error) {
	if i < 0 || i >= p.att.Chunks() {
		return nil, fmt.Errorf("%w: %q has no piece %d", ErrAttachmentCorrupt, p.att.Name, i)
	}
	plain, err := open(dst[:0], p.att.key[:], sealed, chunkAD(p.vid, p.item, p.att.ID, i, i == p.att.Chunks()-1))
	if err == nil && len(plain) != chunkLen(p.att.Size, i) {
		clear(plain)
		err = ErrCorrupt
	}
	if err != nil {
		return nil, fmt.Errorf("%w: piece %d of %q", ErrAttachmentCorrupt, i+1, p.att.Name)
	}
	return plain, nil
}

// ensureAttachmentBuckets creates the attachment buckets that do not exist yet.
func ensureAttachmentBuckets(tx *bolt.Tx) error {
	for _, name := range attachmentBuckets {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return err
		}
	}
	return nil
}

// deletePrefix deletes every key of bucket name that starts with prefix.
func deletePrefix(tx *bolt.Tx, name, prefix []byte) error {
	b := tx.Bucket(name)
	if b == nil {
		return nil
	}
	// Collect first: deleting under a cursor skips keys in bbolt.
	var keys [][]byte
	c := b.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		keys = append(keys, bytes.Clone(k))
	}
	for _, k := range keys {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// freeFile deletes a file's chunks and bookkeeping; removed also notes it for deletion
// in the cloud.
func freeFile(tx *bolt.Tx, att AttachmentID, removed bool) error {
	for _, name := range [][]byte{bucketChunks, bucketUploaded, bucketWhole, bucketStaging} {
		if err := deletePrefix(tx, name, att[:]); err != nil {
			return err
		}
	}
	if !removed {
		return nil
	}
	if err := ensureAttachmentBuckets(tx); err != nil {
		return err
	}
	return tx.Bucket(bucketRemoved).Put(bytes.Clone(att[:]), nil)
}

// cleanStaging frees the chunks of files whose adding was cut short by a crash: they
// were written before their item, which never came.
func (v *Vault) cleanStaging() error {
	var stale []AttachmentID
	err := safeView(v.db, func(tx *bolt.Tx) error {
		if b := tx.Bucket(bucketStaging); b != nil {
			return b.ForEach(func(k, _ []byte) error {
				var att AttachmentID
				copy(att[:], k) // a malformed key frees nothing real: no file has that ID
				stale = append(stale, att)
				return nil
			})
		}
		return nil
	})
	if err != nil || len(stale) == 0 {
		return err
	}
	return v.update(func(tx *bolt.Tx) error {
		for _, att := range stale {
			if err := freeFile(tx, att, false); err != nil {
				return err
			}
		}
		return nil
	})
}
