package transfer

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/valvpm/valv/vault"
)

// Files go out in Valv's JSON and encrypted exports and come back byte for byte, with
// their names, media types and times, when the export is imported again.
func TestExportImportAttachments(t *testing.T) {
	t.Parallel()
	src := newTestVault(t)
	doc, err := src.Add(&vault.Item{Type: vault.TypeDocument, Title: "Passport", Notes: "renew 2031"})
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{
		"scan.png":  append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{7, 1, 9}, 700_000)...), // over 2 chunks
		"codes.txt": []byte("CANARY-recovery-codes 1111-2222"),
		"empty.bin": {},
	}
	for name, data := range files {
		if _, _, err := src.Attach(context.Background(), doc.ID, name, bytes.NewReader(data)); err != nil {
			t.Fatal(err)
		}
	}
	exportPW := []byte("ekspor: rahasia ✓")
	for _, tc := range []struct {
		kind   ExportKind
		format Format
	}{{JSONExport, FormatValvJSON}, {EncryptedExport, FormatValvEncrypted}} {
		path := filepath.Join(t.TempDir(), "export")
		if _, err := Export(src, path, tc.kind, exportPW); err != nil {
			t.Fatal(err)
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if tc.kind == EncryptedExport && bytes.Contains(raw, []byte("CANARY")) {
			t.Errorf("the encrypted export holds a file's text in clear")
		}
		if tc.kind == JSONExport && !bytes.Contains(raw, []byte(`"data": "Q0FOQVJZ`)) {
			t.Errorf("the JSON export has no base64 content for codes.txt")
		}
		dst := newTestVault(t)
		importInto(t, dst, raw, ImportOptions{Password: func() ([]byte, error) { return bytes.Clone(exportPW), nil }}, tc.format)
		got := listAll(t, dst)
		if len(got) != 1 || len(got[0].Attachments) != len(files) {
			t.Fatalf("%s: imported %d items", tc.format, len(got))
		}
		want, _ := src.Get(doc.ID)
		for i, a := range got[0].Attachments {
			w := want.Attachments[i]
			if a.Name != w.Name || a.Size != w.Size || a.SHA256 != w.SHA256 || a.MediaType != w.MediaType || !a.Added.Equal(w.Added) || a.ID == w.ID {
				t.Errorf("%s: file %d is %v, want %v under a new ID", tc.format, i, a, w)
			}
			r, err := dst.OpenAttachment(got[0].ID, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			data, err := io.ReadAll(r)
			if err != nil || !bytes.Equal(data, files[a.Name]) || r.Close() != nil {
				t.Errorf("%s: %s reads back %d bytes, %v", tc.format, a.Name, len(data), err)
			}
		}
	}
}

// KeePassXC's test database carries files in its binary pool (gzip, base64): they
// arrive as attachments of their entries, byte for byte.
func TestKeePassXMLAttachments(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(filepath.Join(conformanceDir(t), "keepassxc", "NewDatabase.xml"))
	if err != nil {
		t.Fatal(err)
	}
	v := newTestVault(t)
	p, err := Prepare(v, data, ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Apply(v); err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, it := range listAll(t, v) {
		for _, f := range it.Fields {
			if f.Name == "Attachment (not imported)" {
				t.Errorf("%q: file %q not imported", it.Title, f.Value)
			}
		}
		for _, a := range it.Attachments {
			r, err := v.OpenAttachment(it.ID, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			b, err := io.ReadAll(r)
			if err != nil || r.Close() != nil || int64(len(b)) != a.Size {
				t.Errorf("%q/%s: %d bytes, %v", it.Title, a.Name, len(b), err)
			}
			found++
		}
	}
	if found == 0 {
		t.Fatal("no attachment imported from NewDatabase.xml")
	}
}
