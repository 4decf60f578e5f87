package vault

import (
	"bytes"
	"testing"
)

// Fuzz targets for the attachment decoders: the file record inside a sealed item, and
// a sealed chunk as it comes from the disk or the cloud.

func sampleAttachment() Attachment {
	a := Attachment{ID: AttachmentID{1, 2, 3}, Name: "hộ chiếu.pdf", Size: 3*ChunkSize + 5, MediaType: "application/pdf", Added: t0}
	a.key[0], a.SHA256[0] = 9, 7
	return a
}

func FuzzDecodeAttachment(f *testing.F) {
	a := sampleAttachment()
	payload := func(a Attachment) []byte {
		rec := appendAttachment(nil, &a)
		_, p, _, _ := nextRecord(rec, 0)
		return p
	}
	seeds := [][]byte{payload(a)}
	a.Size, a.MediaType, a.Name = 0, "", "x"
	seeds = append(seeds, payload(a))
	for _, s := range seeds {
		f.Add(s)
	}
	writeSeeds(f, seeds...)
	f.Fuzz(func(t *testing.T, p []byte) {
		it := &Item{}
		if err := decodeAttachment(it, p); err != nil {
			return
		}
		if out := appendAttachment(nil, &it.Attachments[0]); !bytes.Equal(out, appendRecord(nil, tagAttachment, p)) {
			t.Fatalf("re-encoding differs:\n%x\n%x", out, p)
		}
	})
}

// FuzzOpenChunk feeds arbitrary bytes as any chunk of a file: only a chunk really sealed
// at that index opens (to the plaintext sealed there), and nothing panics. Seeds are
// sealed again in each fuzzing process (random nonces), so the check is on plaintext.
func FuzzOpenChunk(f *testing.F) {
	a := sampleAttachment()
	a.Size = ChunkSize + 3
	p := chunkPlace{vid: VaultID{5}, item: ID{6}, att: &a}
	plains := [][]byte{make([]byte, ChunkSize), []byte("end")}
	sealed := [][]byte{p.seal(0, plains[0]), p.seal(1, plains[1])}
	f.Add(0, sealed[0])
	f.Add(1, sealed[1])
	f.Add(1, sealed[0])
	f.Add(2, sealed[1])
	f.Add(-1, []byte{})
	f.Fuzz(func(t *testing.T, i int, s []byte) {
		plain, err := p.open(make([]byte, 0, ChunkSize), i, s)
		if err != nil {
			return
		}
		if i < 0 || i > 1 || !bytes.Equal(plain, plains[i]) {
			t.Fatalf("chunk %d opened from bytes that were never sealed there", i)
		}
	})
}
