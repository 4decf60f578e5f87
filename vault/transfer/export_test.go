package transfer

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/valvpm/valv/vault"
)

// Export writes each kind to a real file that imports back to what the vault holds.
func TestExport(t *testing.T) {
	t.Parallel()
	src := newTestVault(t)
	if _, err := src.AddAll(sampleItems()); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	exportPW := []byte("ekspor: rahasia ✓")
	for _, tc := range []struct {
		kind             ExportKind
		format           Format
		written, skipped int
	}{
		{EncryptedExport, FormatValvEncrypted, 5, 0},
		{JSONExport, FormatValvJSON, 5, 0},
		{CSVExport, FormatChrome, 1, 4},
	} {
		path := filepath.Join(dir, tc.format.Describe())
		res, err := Export(src, path, tc.kind, exportPW)
		if err != nil || res.Written != tc.written || res.Skipped != tc.skipped {
			t.Fatalf("%s: %+v, %v", tc.format, res, err)
		}
		if tc.kind.Plaintext() == (tc.kind == EncryptedExport) {
			t.Errorf("%s: Plaintext() = %v", tc.format, tc.kind.Plaintext())
		}
		fi, err := os.Stat(path)
		if err != nil || fi.Mode().Perm() != 0o600 {
			t.Fatalf("%s: %v, mode %v", tc.format, err, fi.Mode())
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if encrypted := !bytes.Contains(data, []byte("Bank Sunda")); encrypted != (tc.kind == EncryptedExport) {
			t.Errorf("%s: titles in clear = %v", tc.format, !encrypted)
		}
		dst := newTestVault(t)
		importInto(t, dst, data, ImportOptions{Password: func() ([]byte, error) { return bytes.Clone(exportPW), nil }}, tc.format)
		if n := len(listAll(t, dst)); n != tc.written {
			t.Errorf("%s: %d items imported back, want %d", tc.format, n, tc.written)
		}
		if tc.kind != CSVExport {
			assertSameItems(t, listAll(t, src), listAll(t, dst))
		}
	}
}

// An encrypted export without a password, or of a locked vault, writes no file.
func TestExportRefusals(t *testing.T) {
	t.Parallel()
	v := newTestVault(t)
	path := filepath.Join(t.TempDir(), "out.valv")
	if _, err := Export(v, path, EncryptedExport, nil); err == nil {
		t.Error("an encrypted export without a password was written")
	}
	v.Lock()
	if _, err := Export(v, path, JSONExport, nil); err == nil {
		t.Error("a locked vault was exported")
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a refused export left a file: %v", err)
	}
}

// A lock that comes while the items are being written out wipes their secrets under
// the export: it is refused, and no file with zero bytes for passwords is written.
func TestExportLockedMeanwhile(t *testing.T) {
	src := newTestVault(t)
	if _, err := src.AddAll(sampleItems()); err != nil {
		t.Fatal(err)
	}
	afterSerialize = src.Lock
	t.Cleanup(func() { afterSerialize = func() {} })
	path := filepath.Join(t.TempDir(), "export.json")
	if _, err := Export(src, path, JSONExport, nil); !errors.Is(err, vault.ErrLocked) {
		t.Fatalf("export across a lock: %v, want ErrLocked", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a file was written: %v", err)
	}
}
