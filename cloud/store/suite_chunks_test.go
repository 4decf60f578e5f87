package store

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/valvpm/valv/cloud/api"
)

// The attachment part of the Store contract.

const (
	attA = "0123456789abcdef0123456789abcdef"
	attB = "fedcba9876543210fedcba9876543210"
)

// chunkData is n bytes that differ by attachment and index.
func chunkData(att string, i, n int) []byte {
	return bytes.Repeat([]byte(fmt.Sprintf("%s/%d;", att[:4], i)), n)[:n]
}

func putChunk(t *testing.T, s Store, acct, att string, i int, data []byte, lim Limits) {
	t.Helper()
	if err := s.PutChunk(acct, 1, att, i, data, lim); err != nil {
		t.Fatalf("put %s/%d: %v", att, i, err)
	}
}

func wantBytes(t *testing.T, s Store, acct string, want int64) {
	t.Helper()
	got, err := s.AttachmentBytes(acct)
	if err != nil || got != want {
		t.Fatalf("attachment bytes of %s: %d %v, want %d", acct, got, err, want)
	}
}

func testChunksStoreAndRead(t *testing.T, b backend) {
	s, loc := newVault(t, b)
	lim := Limits{MaxChunkBytes: 1000}
	for _, bad := range []struct {
		att string
		i   int
	}{{"", 0}, {attA[:31], 0}, {attA + "0", 0}, {"0123456789ABCDEF0123456789ABCDEF", 0}, {"../../../../../../../../etc/pass", 0},
		{attA, -1}, {attA, api.MaxAttachmentChunks}} {
		if err := s.PutChunk("a", 1, bad.att, bad.i, []byte("x"), lim); !errors.Is(err, ErrInvalidChunk) {
			t.Errorf("put %q/%d: %v", bad.att, bad.i, err)
		}
		if _, err := s.Chunk("a", bad.att, bad.i); !errors.Is(err, ErrInvalidChunk) {
			t.Errorf("get %q/%d: %v", bad.att, bad.i, err)
		}
	}
	if err := s.PutChunk("a", 1, attA, 0, make([]byte, 1001), lim); !errors.Is(err, ErrChunkTooLarge) {
		t.Fatalf("an oversized chunk: %v", err)
	}
	if err := s.PutChunk("nobody", 1, attA, 0, []byte("x"), lim); !errors.Is(err, ErrVaultNotFound) {
		t.Fatalf("a chunk without a vault: %v", err)
	}
	var ee *EpochError
	if err := s.PutChunk("a", 2, attA, 0, []byte("x"), lim); !errors.As(err, &ee) || ee.Current != 1 {
		t.Fatalf("a chunk for another key epoch: %v", err)
	}
	wantBytes(t, s, "a", 0)
	for i, n := range []int{1000, 1000, 17} {
		putChunk(t, s, "a", attA, i, chunkData(attA, i, n), lim)
	}
	putChunk(t, s, "a", attB, 0, nil, lim) // an empty chunk is stored, and counts
	want := chunkSize(1000)*2 + chunkSize(17) + chunkSize(0)
	wantBytes(t, s, "a", want)
	// Idempotent: sending a chunk again counts it once.
	putChunk(t, s, "a", attA, 2, chunkData(attA, 2, 17), lim)
	wantBytes(t, s, "a", want)
	info, err := s.Chunks("a", attA)
	if err != nil || !slices.Equal(info.Chunks, []int{0, 1, 2}) || info.Bytes != 2017 {
		t.Fatalf("chunks of A: %+v %v", info, err)
	}
	if info, err := s.Chunks("a", "00000000000000000000000000000000"); err != nil || info.Chunks == nil || len(info.Chunks) != 0 || info.Bytes != 0 {
		t.Fatalf("chunks of an attachment never sent: %+v %v", info, err)
	}
	if got, err := s.Chunk("a", attB, 0); err != nil || got == nil || len(got) != 0 {
		t.Fatalf("the empty chunk: %q %v", got, err)
	}
	if _, err := s.Chunk("a", attA, 3); !errors.Is(err, ErrNotFound) {
		t.Fatalf("a chunk never sent: %v", err)
	}
	// Another account sees nothing of them and cannot delete them.
	if _, err := s.PutVaultHeader("b", api.VaultHeader{VaultID: "w", KeyEpoch: 1, WrappedKey: []byte("k")}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Chunk("b", attA, 0); !errors.Is(err, ErrNotFound) {
		t.Fatalf("another account's chunk: %v", err)
	}
	if info, err := s.Chunks("b", attA); err != nil || len(info.Chunks) != 0 {
		t.Fatalf("another account's list: %+v %v", info, err)
	}
	if err := s.DeleteAttachment("b", attA); err != nil {
		t.Fatal(err)
	}
	putChunk(t, s, "b", attA, 0, []byte("b's own"), lim)
	// They survive a restart, byte for byte.
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = b.open(t, loc)
	closeStore(t, s)
	for i, n := range []int{1000, 1000, 17} {
		got, err := s.Chunk("a", attA, i)
		if err != nil || !bytes.Equal(got, chunkData(attA, i, n)) {
			t.Fatalf("chunk %d after a restart: %d bytes, %v", i, len(got), err)
		}
	}
	if got, err := s.Chunk("b", attA, 0); err != nil || string(got) != "b's own" {
		t.Fatalf("b's chunk: %q %v", got, err)
	}
	wantBytes(t, s, "a", want)
	// Deleting frees the bytes; deleting again is no error.
	for range 2 {
		if err := s.DeleteAttachment("a", attA); err != nil {
			t.Fatal(err)
		}
	}
	wantBytes(t, s, "a", chunkSize(0))
	if _, err := s.Chunk("a", attA, 0); !errors.Is(err, ErrNotFound) {
		t.Fatalf("a deleted chunk: %v", err)
	}
	wantBytes(t, s, "b", chunkSize(7))
}

func testChunksQuota(t *testing.T, b backend) {
	s, _ := newVault(t, b)
	lim := Limits{MaxAttachmentBytes: 3 * chunkSize(100)}
	for i := range 3 {
		putChunk(t, s, "a", attA, i, make([]byte, 100), lim)
	}
	var le *AttachmentLimitError
	if err := s.PutChunk("a", 1, attB, 0, make([]byte, 1), lim); !errors.As(err, &le) || le.Max != lim.MaxAttachmentBytes {
		t.Fatalf("over the plan's attachment bytes: %v", err)
	}
	if err := s.PutChunk("a", 1, attA, 2, make([]byte, 101), lim); !errors.As(err, &le) {
		t.Fatalf("growing a chunk past the bound: %v", err)
	}
	if info, _ := s.Chunks("a", attB); len(info.Chunks) != 0 {
		t.Fatalf("a refused chunk was stored: %+v", info)
	}
	// Shrinking goes through even over a lowered bound; deleting makes room.
	lower := Limits{MaxAttachmentBytes: chunkSize(100)}
	putChunk(t, s, "a", attA, 2, make([]byte, 50), lower)
	wantBytes(t, s, "a", 2*chunkSize(100)+chunkSize(50))
	if err := s.DeleteAttachment("a", attA); err != nil {
		t.Fatal(err)
	}
	wantBytes(t, s, "a", 0)
	putChunk(t, s, "a", attB, 0, make([]byte, 100), lower)
}

// testChunksRacingQuota: uploads racing for the last room get no more than the bound.
func testChunksRacingQuota(t *testing.T, b backend) {
	s, _ := newVault(t, b)
	lim := Limits{MaxAttachmentBytes: 4 * chunkSize(100)}
	errs := make([]error, 12)
	race(len(errs), func(i int) { errs[i] = s.PutChunk("a", 1, attA, i, make([]byte, 100), lim) })
	ok := 0
	for _, err := range errs {
		var le *AttachmentLimitError
		switch {
		case err == nil:
			ok++
		case !errors.As(err, &le):
			t.Errorf("racing upload: %v", err)
		}
	}
	if ok != 4 {
		t.Fatalf("%d of the racing chunks were stored, the bound has room for 4", ok)
	}
	wantBytes(t, s, "a", 4*chunkSize(100))
	if info, _ := s.Chunks("a", attA); len(info.Chunks) != 4 || info.Bytes != 400 {
		t.Fatalf("stored: %+v", info)
	}
}

// testChunksFreed: clearing the vault (wipe), replacing it and deleting the account
// free every chunk.
func testChunksFreed(t *testing.T, b backend) {
	s, _ := newVault(t, b)
	if err := s.CreateAccount(&Account{ID: "a", Email: "a@example.com"}); err != nil {
		t.Fatal(err)
	}
	lim := Limits{}
	putChunk(t, s, "a", attA, 0, []byte("old vault"), lim)
	h2 := api.VaultHeader{VaultID: "v", KeyEpoch: 2, WrappedKey: []byte("k")}
	if _, err := s.Replace("a", h2, nil, lim); err != nil {
		t.Fatal(err)
	}
	wantBytes(t, s, "a", 0)
	if _, err := s.Chunk("a", attA, 0); !errors.Is(err, ErrNotFound) {
		t.Fatalf("a chunk after a replace: %v", err)
	}
	if err := s.PutChunk("a", 2, attA, 0, []byte("new vault"), lim); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Wipe("a"); err != nil {
		t.Fatal(err)
	}
	wantBytes(t, s, "a", 0)
	if info, _ := s.Chunks("a", attA); len(info.Chunks) != 0 {
		t.Fatalf("chunks after a wipe: %+v", info)
	}
	if err := s.PutChunk("a", 3, attA, 0, []byte("x"), lim); !errors.Is(err, ErrVaultNotFound) {
		t.Fatalf("a chunk for a wiped vault: %v", err)
	}
	h4 := api.VaultHeader{VaultID: "v", KeyEpoch: 4, WrappedKey: []byte("k")}
	if _, err := s.PutVaultHeader("a", h4); err != nil {
		t.Fatal(err)
	}
	if err := s.PutChunk("a", 4, attB, 0, []byte("last"), lim); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteAccount("a"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Chunk("a", attB, 0); !errors.Is(err, ErrNotFound) {
		t.Fatalf("a chunk after deleting the account: %v", err)
	}
	wantBytes(t, s, "a", 0)
}
