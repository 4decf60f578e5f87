package vault

import (
	"context"
	"errors"
	"io"
	"path/filepath"
	"syscall"
	"testing"
)

// TestAttachFullDisk adds a file larger than the free space of a small tmpfs: the add
// fails with ErrDiskFull and the vault holds what it held before. Mounting needs root;
// elsewhere the test is skipped.
func TestAttachFullDisk(t *testing.T) {
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size=6m"); err != nil {
		t.Skipf("cannot mount a small tmpfs here (%v)", err)
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(dir, 0); err != nil {
			t.Errorf("unmount: %v", err)
		}
	})
	kdf := FloorKDF()
	v, err := Create(filepath.Join(dir, "vault.db"), testPassword, CreateOptions{KDF: &kdf})
	if err != nil {
		t.Fatal(err)
	}
	it := addDocument(t, v)
	small := attachBytes(t, v, it.ID, "small.txt", []byte("fits"))
	before, _ := v.Get(it.ID)
	_, _, err = v.Attach(context.Background(), it.ID, "scan.tiff", &failingReader{n: 20 << 20, err: io.EOF})
	if !errors.Is(err, ErrDiskFull) {
		t.Fatalf("Attach on a full disk: %v", err)
	}
	if err := v.Close(); err != nil {
		t.Fatal(err)
	}
	v, err = Open(filepath.Join(dir, "vault.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := v.Close(); err != nil {
			t.Error(err)
		}
	}()
	if err := v.Unlock(testPassword); err != nil {
		t.Fatal(err)
	}
	got, err := v.Get(it.ID)
	if err != nil || len(got.Attachments) != 1 || !got.Modified.Equal(before.Modified) {
		t.Fatalf("after the failed add: %v, %v", got.Attachments, err)
	}
	if n := countKeys(t, v, bucketChunks); n != 1 || countKeys(t, v, bucketStaging) != 0 {
		t.Errorf("%d chunks and %d staging marks left; want the one of small.txt and none", n, countKeys(t, v, bucketStaging))
	}
	if data, err := readAttachment(t, v, it.ID, small.ID); err != nil || string(data) != "fits" {
		t.Errorf("small.txt reads %q, %v", data, err)
	}

}
