package vault

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// Fuzz targets for every decoder of stored bytes. Each checks the decoder never panics
// and that whatever it accepts re-encodes to the very same bytes (canonical formats:
// one meaning, one encoding). Seed corpora live in testdata/fuzz/.

func FuzzParseHeader(f *testing.F) {
	h := &Header{Epoch: 3, KDF: FloorKDF(), WrappedKey: make([]byte, wrappedKeySize)}
	hb, _ := h.MarshalBinary()
	f.Add(hb)
	f.Add(hb[:40])
	f.Add([]byte("VALV"))
	writeSeeds(f, hb)
	f.Fuzz(func(t *testing.T, b []byte) {
		h, err := ParseHeader(b)
		if err != nil {
			return
		}
		if err := h.KDF.Check(); err != nil {
			t.Fatalf("accepted out-of-bounds KDF: %v", err)
		}
		out, err := h.MarshalBinary()
		if err != nil || !bytes.Equal(out, b) {
			t.Fatalf("re-encoding differs: %x vs %x (%v)", out, b, err)
		}
	})
}

func FuzzDecodeItem(f *testing.F) {
	for _, it := range sampleItems() {
		it.Created, it.Modified = t0, t0
		it.History = []PastPassword{{"old", t0}}
		f.Add(encodeItem(it))
	}
	var seeds [][]byte
	for _, it := range sampleItems() {
		it.Created, it.Modified = t0, t0
		seeds = append(seeds, encodeItem(it))
	}
	withFile := &Item{Type: TypeDocument, Title: "d", Created: t0, Attachments: []Attachment{sampleAttachment()}}
	f.Add(encodeItem(withFile))
	seeds = append(seeds, encodeItem(withFile))
	writeSeeds(f, seeds...)
	f.Add([]byte{1, 1, 1, 5})
	f.Add([]byte{2})
	f.Fuzz(func(t *testing.T, b []byte) {
		it, err := decodeItem(b)
		if err != nil {
			return
		}
		if out := encodeItem(it); !bytes.Equal(out, b) {
			t.Fatalf("re-encoding differs:\n%x\n%x", out, b)
		}
	})
}

func FuzzParseRecord(f *testing.F) {
	f.Add((&record{rev: 3, base: 9, sealed: bytes.Repeat([]byte{7}, 60)}).marshal())
	f.Add((&record{deleted: true, rev: 4, base: 9}).marshal())
	writeSeeds(f, (&record{rev: 1, sealed: bytes.Repeat([]byte{1}, 41)}).marshal(), (&record{deleted: true, rev: 300, base: 1 << 40}).marshal())
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := parseRecord(b)
		if err != nil {
			return
		}
		if out := r.marshal(); !bytes.Equal(out, b) {
			t.Fatalf("re-encoding differs:\n%x\n%x", out, b)
		}
	})
}

// writeSeeds refreshes the committed seed corpus in testdata/fuzz/<target>/ when
// VALV_WRITE_SEEDS=1, so the seeds stay in step with the encoders.
func writeSeeds(f *testing.F, seeds ...[]byte) {
	if os.Getenv("VALV_WRITE_SEEDS") != "1" {
		return
	}
	dir := filepath.Join("testdata", "fuzz", f.Name())
	if err := os.MkdirAll(dir, 0o755); err != nil {
		f.Fatal(err)
	}
	for i, s := range seeds {
		body := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", s)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("seed%d", i)), []byte(body), 0o644); err != nil {
			f.Fatal(err)
		}
	}
}
