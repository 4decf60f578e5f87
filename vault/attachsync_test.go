package vault

import (
	"bytes"
	"errors"
	"path/filepath"
	"testing"
)

// secondDevice makes a vault on "another device" holding a's cloud state: the same
// header, and every item a pushed.
func secondDevice(t *testing.T, a *Vault) *Vault {
	t.Helper()
	b, err := CreateFromHeader(filepath.Join(t.TempDir(), "b", "vault.db"), a.HeaderBytes(), testPassword)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	push(t, a, b)
	return b
}

// push carries a's pending item changes to b as a pull would, with change numbers
// above what either has seen (the cloud's numbering).
func push(t *testing.T, a, b *Vault) {
	t.Helper()
	out, err := a.Outgoing(0)
	if err != nil {
		t.Fatal(err)
	}
	ast, _ := a.SyncState()
	bst, _ := b.SyncState()
	change := max(ast.Cursor, bst.Cursor)
	var in []Incoming
	var acks []Ack
	for _, o := range out {
		change++
		in = append(in, Incoming{ID: o.ID, Change: change, Deleted: o.Deleted, Sealed: o.Sealed})
		acks = append(acks, Ack{ID: o.ID, Rev: o.Rev, Change: change})
	}
	ast.Cursor, bst.Cursor = change, change
	if _, err := b.ApplyRemote(in, bst); err != nil {
		t.Fatal(err)
	}
	if err := a.Acknowledge(acks, ast); err != nil {
		t.Fatal(err)
	}
}

// copyChunks uploads a's chunks that b lacks to b, the way sync does, and marks them
// uploaded on a.
func copyChunks(t *testing.T, a, b *Vault) {
	t.Helper()
	need, err := b.Chunks()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range need {
		if c.Here {
			continue
		}
		sealed, err := a.SealedChunk(c.Ref)
		if err != nil {
			t.Fatal(err)
		}
		if err := b.PutSealedChunk(c.Ref, sealed); err != nil {
			t.Fatalf("PutSealedChunk %v: %v", c.Ref, err)
		}
		if err := a.MarkUploaded(c.Ref); err != nil {
			t.Fatal(err)
		}
	}
}

func TestAttachmentTravelsToAnotherDevice(t *testing.T) {
	a := newTestVault(t)
	it := addDocument(t, a)
	data := randomBytes(3*ChunkSize+100, 7)
	att := attachBytes(t, a, it.ID, "scan.pdf", data)
	b := secondDevice(t, a)

	// The item arrives first: b knows the file but has none of its chunks.
	got, err := b.Get(it.ID)
	if err != nil || len(got.Attachments) != 1 || got.Attachments[0].Name != "scan.pdf" {
		t.Fatalf("item on b: %v, %v", got.Attachments, err)
	}
	if _, err := b.OpenAttachment(it.ID, att.ID); !errors.Is(err, ErrAttachmentNotHere) {
		t.Fatalf("open before download: %v", err)
	}
	chunks, err := b.Chunks()
	if err != nil || len(chunks) != 4 || chunks[0].Here || chunks[3].Count != 4 || chunks[0].Item != it.ID {
		t.Fatalf("b's chunks: %v, %v", chunks, err)
	}
	if _, err := b.SealedChunk(chunks[0].Ref); !errors.Is(err, ErrAttachmentNotHere) {
		t.Errorf("sealed chunk not here: %v", err)
	}
	// A chunk offered in the wrong place is refused and nothing is stored.
	s1, _ := a.SealedChunk(ChunkRef{att.ID, 1})
	if err := b.PutSealedChunk(ChunkRef{att.ID, 2}, s1); !errors.Is(err, ErrAttachmentCorrupt) {
		t.Errorf("chunk 1 offered as chunk 2: %v", err)
	}
	if err := b.PutSealedChunk(ChunkRef{AttachmentID{9}, 0}, s1); !errors.Is(err, ErrNoAttachment) {
		t.Errorf("chunk of an unknown file: %v", err)
	}
	copyChunks(t, a, b)
	read, err := readAttachment(t, b, it.ID, att.ID)
	if err != nil || !bytes.Equal(read, data) {
		t.Fatalf("read on b: %d bytes, %v", len(read), err)
	}
	for _, v := range []*Vault{a, b} {
		cs, _ := v.Chunks()
		for _, c := range cs {
			if !c.Here || !c.Uploaded {
				t.Errorf("after the transfer a chunk is here=%v uploaded=%v", c.Here, c.Uploaded)
			}
		}
	}

	// Removed on b: the pull frees a's chunks, and b lists the file for the cloud.
	if _, err := b.Detach(it.ID, att.ID); err != nil {
		t.Fatal(err)
	}
	if removed, _ := b.RemovedAttachments(); len(removed) != 1 || removed[0] != att.ID {
		t.Errorf("b's removed files: %v", removed)
	}
	push(t, b, a)
	if n := countKeys(t, a, bucketChunks); n != 0 {
		t.Errorf("a keeps %d chunks of the file removed on b", n)
	}
	if removed, _ := a.RemovedAttachments(); len(removed) != 0 {
		t.Errorf("a lists %v as removed here; b deletes it in the cloud", removed)
	}
}

// Files added on both sides of a conflict are both kept.
func TestConflictKeepsFilesOfBothSides(t *testing.T) {
	a := newTestVault(t)
	it := addDocument(t, a)
	b := secondDevice(t, a)
	fa := attachBytes(t, a, it.ID, "from-a.txt", []byte("A"))
	fb := attachBytes(t, b, it.ID, "from-b.txt", []byte("B"))
	push(t, b, a) // a has a pending change too: both edited
	got, err := a.Get(it.ID)
	if err != nil {
		t.Fatal(err)
	}
	_, okA := got.Attachment(fa.ID)
	_, okB := got.Attachment(fb.ID)
	if !okA || !okB || len(got.Attachments) != 2 {
		t.Fatalf("after the conflict a has %v", got.Attachments)
	}
	if a.Len() != 1 {
		t.Errorf("a conflict copy was made although only files differ: %d items", a.Len())
	}
}
