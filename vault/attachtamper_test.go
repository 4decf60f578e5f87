package vault

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// Attacks on stored chunks: each must be ErrAttachmentCorrupt, and what Read handed out
// before the error must be only chunks that passed their check (a true prefix).

// tamperSetup makes an item with a 3.5-chunk file a and a 2-chunk file b, and another
// item with a 1-chunk file c.
func tamperSetup(t *testing.T) (v *Vault, item ID, a, b, c Attachment, data []byte) {
	v = newTestVault(t)
	it := addDocument(t, v)
	data = randomBytes(3*ChunkSize+ChunkSize/2, 42)
	a = attachBytes(t, v, it.ID, "a.bin", data)
	b = attachBytes(t, v, it.ID, "b.bin", randomBytes(2*ChunkSize, 43))
	other := addDocument(t, v)
	c = attachBytes(t, v, other.ID, "c.bin", randomBytes(100, 44))
	return v, it.ID, a, b, c, data
}

// editChunks runs fn on the raw chunks bucket.
func editChunks(t *testing.T, v *Vault, fn func(b *bolt.Bucket) error) {
	t.Helper()
	if err := v.db.Update(func(tx *bolt.Tx) error { return fn(tx.Bucket(bucketChunks)) }); err != nil {
		t.Fatal(err)
	}
}

// expectCorrupt reads the file and checks the attack is caught after at most good
// verified chunks of plaintext.
func expectCorrupt(t *testing.T, v *Vault, item ID, att AttachmentID, data []byte, good int) {
	t.Helper()
	got, err := readAttachment(t, v, item, att)
	if !errors.Is(err, ErrAttachmentCorrupt) {
		t.Fatalf("read gave %v, want ErrAttachmentCorrupt", err)
	}
	if len(got) > good*ChunkSize || !bytes.Equal(got, data[:len(got)]) {
		t.Fatalf("%d bytes handed out before the error; only %d verified chunks may be", len(got), good)
	}
}

func TestChunkTampering(t *testing.T) {
	get := func(b *bolt.Bucket, att AttachmentID, i int) []byte { return bytes.Clone(b.Get(chunkKey(att, i))) }
	cases := []struct {
		name string
		good int // verified chunks before the damaged one
		edit func(b *bolt.Bucket, a, bf, c Attachment) error
	}{
		{"flip a byte of the nonce of chunk 0", 0, func(b *bolt.Bucket, a, _, _ Attachment) error {
			s := get(b, a.ID, 0)
			s[3] ^= 1
			return b.Put(chunkKey(a.ID, 0), s)
		}},
		{"flip a byte of the ciphertext of chunk 2", 2, func(b *bolt.Bucket, a, _, _ Attachment) error {
			s := get(b, a.ID, 2)
			s[len(s)/2] ^= 0x80
			return b.Put(chunkKey(a.ID, 2), s)
		}},
		{"flip a byte of the tag of the last chunk", 3, func(b *bolt.Bucket, a, _, _ Attachment) error {
			s := get(b, a.ID, 3)
			s[len(s)-1] ^= 1
			return b.Put(chunkKey(a.ID, 3), s)
		}},
		{"swap chunks 1 and 2", 1, func(b *bolt.Bucket, a, _, _ Attachment) error {
			s1, s2 := get(b, a.ID, 1), get(b, a.ID, 2)
			return errors.Join(b.Put(chunkKey(a.ID, 1), s2), b.Put(chunkKey(a.ID, 2), s1))
		}},
		{"reorder: rotate chunks 0, 1, 2", 0, func(b *bolt.Bucket, a, _, _ Attachment) error {
			s0, s1, s2 := get(b, a.ID, 0), get(b, a.ID, 1), get(b, a.ID, 2)
			return errors.Join(b.Put(chunkKey(a.ID, 0), s1), b.Put(chunkKey(a.ID, 1), s2), b.Put(chunkKey(a.ID, 2), s0))
		}},
		{"truncate: the third chunk stands in for the last", 3, func(b *bolt.Bucket, a, _, _ Attachment) error {
			return b.Put(chunkKey(a.ID, 3), get(b, a.ID, 2))
		}},
		{"move chunk 0 of another file of the item", 0, func(b *bolt.Bucket, a, bf, _ Attachment) error {
			return b.Put(chunkKey(a.ID, 0), get(b, bf.ID, 0))
		}},
		{"move the last chunk of another file of the item", 3, func(b *bolt.Bucket, a, bf, _ Attachment) error {
			return b.Put(chunkKey(a.ID, 3), get(b, bf.ID, 1))
		}},
		{"move the chunk of another item's file", 3, func(b *bolt.Bucket, a, _, c Attachment) error {
			return b.Put(chunkKey(a.ID, 3), get(b, c.ID, 0))
		}},
		{"cut the last chunk short", 3, func(b *bolt.Bucket, a, _, _ Attachment) error {
			s := get(b, a.ID, 3)
			return b.Put(chunkKey(a.ID, 3), s[:len(s)-100])
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v, item, a, bf, c, data := tamperSetup(t)
			editChunks(t, v, func(b *bolt.Bucket) error { return tc.edit(b, a, bf, c) })
			expectCorrupt(t, v, item, a.ID, data, tc.good)
		})
	}
}

// Dropping the last chunk of a file that was whole here is damage, not "not downloaded".
func TestChunkDroppedFromTheEnd(t *testing.T) {
	v, item, a, _, _, _ := tamperSetup(t)
	editChunks(t, v, func(b *bolt.Bucket) error { return b.Delete(chunkKey(a.ID, a.Chunks()-1)) })
	if _, err := v.OpenAttachment(item, a.ID); !errors.Is(err, ErrAttachmentCorrupt) {
		t.Fatalf("open with the last chunk gone: %v", err)
	}
}

// A chunk of an earlier version of a file (detached, then the file added again) cannot
// be replayed into the new one: new content is a new ID and key.
func TestChunkReplayFromAnOlderFile(t *testing.T) {
	v := newTestVault(t)
	it := addDocument(t, v)
	oldData := randomBytes(ChunkSize+10, 1)
	old := attachBytes(t, v, it.ID, "codes.txt", oldData)
	var oldChunks [][]byte
	editChunks(t, v, func(b *bolt.Bucket) error {
		for i := range old.Chunks() {
			oldChunks = append(oldChunks, bytes.Clone(b.Get(chunkKey(old.ID, i))))
		}
		return nil
	})
	if _, err := v.Detach(it.ID, old.ID); err != nil {
		t.Fatal(err)
	}
	newData := randomBytes(ChunkSize+10, 2)
	cur := attachBytes(t, v, it.ID, "codes.txt", newData)
	for i, s := range oldChunks {
		editChunks(t, v, func(b *bolt.Bucket) error { return b.Put(chunkKey(cur.ID, i), s) })
		expectCorrupt(t, v, it.ID, cur.ID, newData, i)
		// And through sync: the old chunk offered as the new file's is refused.
		if err := v.PutSealedChunk(ChunkRef{cur.ID, i}, s); !errors.Is(err, ErrAttachmentCorrupt) {
			t.Errorf("PutSealedChunk of an old chunk %d: %v", i, err)
		}
	}
}

// A canary inside a file (and its name) never reaches the vault file or a backup in
// clear, nor the bytes handed to sync.
func TestAttachmentCanary(t *testing.T) {
	const canary = "CANARY-7f3a9c-passport-number-X1234567"
	v := newTestVault(t)
	it := addDocument(t, v)
	small := []byte("my passport: " + canary)
	big := []byte(strings.Repeat(canary+"\n", 3*ChunkSize/len(canary)))
	attachBytes(t, v, it.ID, canary+".txt", small)
	a := attachBytes(t, v, it.ID, "big.txt", big)
	if _, err := v.Detach(it.ID, a.ID); err != nil { // freed pages must not hold it either
		t.Fatal(err)
	}
	attachBytes(t, v, it.ID, "big.txt", big)
	chunks, err := v.Chunks()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range chunks {
		s, err := v.SealedChunk(c.Ref)
		if err != nil || bytes.Contains(s, []byte(canary)) {
			t.Fatalf("sealed chunk %v holds the canary (%v)", c.Ref, err)
		}
	}
	backup, err := v.Backup(filepath.Join(t.TempDir(), "backups"))
	if err != nil {
		t.Fatal(err)
	}
	v = reopen(t, v, testPassword) // closed: everything is on disk
	for _, p := range []string{v.Path(), backup} {
		raw, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(raw, []byte(canary)) || bytes.Contains(raw, []byte("my passport")) {
			t.Errorf("%s holds the canary in clear", filepath.Base(p))
		}
	}
	got, err := readAttachment(t, v, it.ID, a.ID)
	if !errors.Is(err, ErrNoAttachment) || got != nil {
		t.Errorf("the detached copy still reads: %v", err)
	}
	r, err := v.OpenAttachment(it.ID, mustNamed(t, v, it.ID, canary+".txt").ID)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if b, err := io.ReadAll(r); err != nil || !bytes.Equal(b, small) {
		t.Errorf("the canary file reads back as %d bytes, %v", len(b), err)
	}
}

func mustNamed(t *testing.T, v *Vault, item ID, name string) Attachment {
	t.Helper()
	it, err := v.Get(item)
	if err != nil {
		t.Fatal(err)
	}
	a, err := it.AttachmentNamed(name)
	if err != nil {
		t.Fatal(err)
	}
	return a
}
