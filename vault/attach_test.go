package vault

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"math/rand/v2"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// randomBytes returns n reproducible pseudo-random bytes.
func randomBytes(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, 16))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func addDocument(t testing.TB, v *Vault) *Item {
	t.Helper()
	it, err := v.Add(&Item{Type: TypeDocument, Title: "Passport", Notes: "renew in 2031"})
	if err != nil {
		t.Fatal(err)
	}
	return it
}

func attachBytes(t testing.TB, v *Vault, item ID, name string, data []byte) Attachment {
	t.Helper()
	_, a, err := v.Attach(context.Background(), item, name, bytes.NewReader(data))
	if err != nil {
		t.Fatalf("Attach %s: %v", name, err)
	}
	return a
}

func readAttachment(t testing.TB, v *Vault, item ID, att AttachmentID) ([]byte, error) {
	t.Helper()
	r, err := v.OpenAttachment(item, att)
	if err != nil {
		return nil, err
	}
	data, err := io.ReadAll(r)
	if cerr := r.Close(); cerr != nil {
		t.Fatal(cerr)
	}
	return data, err
}

// countKeys counts the keys of a bucket (0 when it does not exist).
func countKeys(t testing.TB, v *Vault, bucket []byte) int {
	t.Helper()
	n := 0
	err := v.db.View(func(tx *bolt.Tx) error {
		if b := tx.Bucket(bucket); b != nil {
			n = b.Stats().KeyN
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestAttachRoundTripSizes(t *testing.T) {
	v := newTestVault(t)
	it := addDocument(t, v)
	sizes := []int{0, 1, 600, ChunkSize - 1, ChunkSize, ChunkSize + 1, 2*ChunkSize + ChunkSize/2}
	var atts []Attachment
	for i, n := range sizes {
		data := randomBytes(n, uint64(i))
		a := attachBytes(t, v, it.ID, "scan.bin", data)
		if a.Size != int64(n) || a.SHA256 != sha256.Sum256(data) || a.Chunks() != max(1, (n+ChunkSize-1)/ChunkSize) {
			t.Errorf("size %d: got size %d, %d chunks, sha ok %v", n, a.Size, a.Chunks(), a.SHA256 == sha256.Sum256(data))
		}
		atts = append(atts, a)
	}
	v = reopen(t, v, testPassword)
	got, err := v.Get(it.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Attachments) != len(sizes) || got.Attachments[0].Name != "scan.bin" || got.Attachments[1].Name != "scan (2).bin" {
		t.Fatalf("attachments after reopen: %v", got.Attachments)
	}
	for i, a := range atts {
		data, err := readAttachment(t, v, it.ID, a.ID)
		if err != nil || !bytes.Equal(data, randomBytes(sizes[i], uint64(i))) {
			t.Errorf("size %d: read %d bytes, %v", sizes[i], len(data), err)
		}
	}
	if n := countKeys(t, v, bucketChunks); n != 1+1+1+1+1+2+3 {
		t.Errorf("%d chunks stored, want 10", n)
	}
}

func TestAttachMediaTypeAndNames(t *testing.T) {
	v := newTestVault(t)
	it := addDocument(t, v)
	png := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 40)...)
	if a := attachBytes(t, v, it.ID, `C:\scans\id.png`, png); a.Name != "id.png" || a.MediaType != "image/png" {
		t.Errorf("png: %q %q", a.Name, a.MediaType)
	}
	if a := attachBytes(t, v, it.ID, "/tmp/codes.txt", []byte("ABCD-EFGH")); a.Name != "codes.txt" || a.MediaType != "text/plain; charset=utf-8" {
		t.Errorf("txt: %q %q", a.Name, a.MediaType)
	}
	for _, bad := range []string{"", "  ", "..", "a\x00b", "a\nb", string(bytes.Repeat([]byte("x"), 256))} {
		if _, _, err := v.Attach(context.Background(), it.ID, bad, bytes.NewReader(nil)); !errors.Is(err, ErrAttachmentName) {
			t.Errorf("name %q: %v", bad, err)
		}
	}
}

func TestUpdateKeepsAttachments(t *testing.T) {
	v := newTestVault(t)
	it := addDocument(t, v)
	a := attachBytes(t, v, it.ID, "a.txt", []byte("hello"))
	edit, _ := v.Get(it.ID)
	edit.Title = "Passport (Åsa)"
	edit.Attachments = nil // a screen that dropped them must not lose the files
	n, err := v.Update(edit)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := n.Attachment(a.ID); !ok || n.Title != "Passport (Åsa)" {
		t.Fatalf("after Update: %v", n.Attachments)
	}
}

func TestRenameAndDetach(t *testing.T) {
	v := newTestVault(t)
	it := addDocument(t, v)
	a := attachBytes(t, v, it.ID, "a.txt", randomBytes(ChunkSize+5, 1))
	b := attachBytes(t, v, it.ID, "b.txt", []byte("bee"))
	if _, err := v.RenameAttachment(it.ID, a.ID, "b.txt"); !errors.Is(err, ErrAttachmentExists) {
		t.Errorf("rename onto another file's name: %v", err)
	}
	n, err := v.RenameAttachment(it.ID, a.ID, "recovery codes.txt")
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := n.AttachmentNamed("recovery codes.txt"); got.ID != a.ID {
		t.Errorf("renamed file not found by its new name")
	}
	if _, err := v.Detach(it.ID, a.ID); err != nil {
		t.Fatal(err)
	}
	if n := countKeys(t, v, bucketChunks); n != 1 {
		t.Errorf("%d chunks left after detaching the 2-chunk file, want 1", n)
	}
	if _, err := v.OpenAttachment(it.ID, a.ID); !errors.Is(err, ErrNoAttachment) {
		t.Errorf("open detached: %v", err)
	}
	if _, err := v.Detach(it.ID, a.ID); !errors.Is(err, ErrNoAttachment) {
		t.Errorf("detach twice: %v", err)
	}
	if err := v.Delete(it.ID); err != nil {
		t.Fatal(err)
	}
	if n := countKeys(t, v, bucketChunks); n != 0 {
		t.Errorf("%d chunks left after deleting the item", n)
	}
	removed, err := v.RemovedAttachments()
	if err != nil || len(removed) != 2 {
		t.Fatalf("removed = %v, %v; want both files", removed, err)
	}
	if err := v.ForgetRemoved(removed...); err != nil {
		t.Fatal(err)
	}
	if removed, _ := v.RemovedAttachments(); len(removed) != 0 {
		t.Errorf("ForgetRemoved left %v", removed)
	}
	_ = b
}

// failingReader gives n good bytes, then an error.
type failingReader struct {
	n   int
	err error
}

func (r *failingReader) Read(p []byte) (int, error) {
	if r.n == 0 {
		return 0, r.err
	}
	k := min(len(p), r.n)
	clear(p[:k])
	r.n -= k
	return k, nil
}

// assertUnchanged checks that the item is as before and no chunk is left behind.
func assertUnchanged(t *testing.T, v *Vault, before *Item) {
	t.Helper()
	got, err := v.Get(before.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Attachments) != len(before.Attachments) || !got.Modified.Equal(before.Modified) {
		t.Errorf("item changed: %d files, modified %v (was %v)", len(got.Attachments), got.Modified, before.Modified)
	}
	for _, b := range [][]byte{bucketChunks, bucketStaging, bucketWhole} {
		if n := countKeys(t, v, b); n != 0 {
			t.Errorf("bucket %s holds %d keys", b, n)
		}
	}
}

func TestAttachFailuresLeaveVaultAsItWas(t *testing.T) {
	v := newTestVault(t)
	it := addDocument(t, v)
	readErr := errors.New("the USB stick was pulled out")
	_, _, err := v.Attach(context.Background(), it.ID, "big.iso", &failingReader{n: 3*ChunkSize + 17, err: readErr})
	if !errors.Is(err, readErr) {
		t.Fatalf("read error: %v", err)
	}
	assertUnchanged(t, v, it)

	ctx, cancel := context.WithCancel(context.Background())
	r := &cancelAfter{r: &failingReader{n: 10 * ChunkSize, err: io.EOF}, left: 2*ChunkSize + 1, cancel: cancel}
	if _, _, err := v.Attach(ctx, it.ID, "big.iso", r); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: %v", err)
	}
	assertUnchanged(t, v, it)

	if _, _, err := v.Attach(context.Background(), it.ID, "huge.iso", &failingReader{n: MaxAttachmentSize + 1, err: io.EOF}); !errors.Is(err, ErrAttachmentTooLarge) {
		t.Fatalf("too large: %v", err)
	}
	assertUnchanged(t, v, it)

	v.SetAttachmentLimit(3 * ChunkSize)
	attachBytes(t, v, it.ID, "two.bin", make([]byte, 2*ChunkSize))
	if _, _, err := v.Attach(context.Background(), it.ID, "more.bin", &failingReader{n: ChunkSize + 1, err: io.EOF}); !errors.Is(err, ErrAttachmentLimit) {
		t.Fatalf("over the plan's limit: %v", err)
	}
	if n := countKeys(t, v, bucketChunks); n != 2 {
		t.Errorf("%d chunks after the refused file, want the 2 of two.bin", n)
	}
}

// cancelAfter cancels its context once left bytes have been read through it.
type cancelAfter struct {
	r      io.Reader
	left   int
	cancel func()
}

func (c *cancelAfter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if c.left -= n; c.left <= 0 {
		c.cancel()
	}
	return n, err
}

func TestAttachCrashLeftoversFreedAtOpen(t *testing.T) {
	v := newTestVault(t)
	it := addDocument(t, v)
	// What a crash in the middle of Attach leaves: a staging mark and some chunks.
	att := newAttachmentID()
	if err := v.stage(att, it.ID); err != nil {
		t.Fatal(err)
	}
	if err := v.putChunks([][2][]byte{{chunkKey(att, 0), []byte("sealed")}, {chunkKey(att, 1), []byte("sealed")}}); err != nil {
		t.Fatal(err)
	}
	v = reopen(t, v, testPassword)
	for _, b := range [][]byte{bucketChunks, bucketStaging} {
		if n := countKeys(t, v, b); n != 0 {
			t.Errorf("bucket %s holds %d keys after reopening", b, n)
		}
	}
}

func TestAttachLockedAndMissing(t *testing.T) {
	v := newTestVault(t)
	it := addDocument(t, v)
	if _, _, err := v.Attach(context.Background(), ID{1}, "a", bytes.NewReader(nil)); !errors.Is(err, ErrNotFound) {
		t.Errorf("no such item: %v", err)
	}
	v.Lock()
	if _, _, err := v.Attach(context.Background(), it.ID, "a", bytes.NewReader(nil)); !errors.Is(err, ErrLocked) {
		t.Errorf("locked: %v", err)
	}
	if _, err := v.OpenAttachment(it.ID, AttachmentID{}); !errors.Is(err, ErrLocked) {
		t.Errorf("open locked: %v", err)
	}
}
