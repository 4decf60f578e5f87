package appcore

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/valvpm/valv/vault"
	"github.com/valvpm/valv/vault/transfer"
)

// TestExportJob: a plaintext export needs the master password first, a wrong one leaves
// it unconfirmed, and an encrypted one takes its export password and wipes it once the
// file is written; Drop wipes a password still held.
func TestExportJob(t *testing.T) {
	tc := newTestCore(t, DefaultSettings())
	tc.create(t)
	for _, title := range []string{"Mail", "Bank"} {
		if _, err := tc.Save(&vault.Item{Type: vault.TypeLogin, Title: title, Username: "ann", Password: "pw-" + title}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := tc.Save(&vault.Item{Type: vault.TypeNote, Title: "Wi-Fi", Notes: "hall"}); err != nil {
		t.Fatal(err)
	}
	if logins, total := tc.ExportCounts(); logins != 2 || total != 3 {
		t.Errorf("ExportCounts = %d, %d", logins, total)
	}
	dir := t.TempDir()

	j := tc.NewExport()
	j.SetKind(transfer.CSVExport)
	var werr error
	j.Write(filepath.Join(dir, "early.csv"), func(_, _ int, err error) { werr = err })
	if werr != ErrNotConfirmed {
		t.Fatalf("writing before the master password was checked: %v", werr)
	}
	j.Verify([]byte("not it"), func(err error) { werr = err })
	if werr == nil || j.Ready() {
		t.Fatal("a wrong master password confirmed the export")
	}
	pw := []byte(strongPassword)
	j.Verify(pw, func(err error) { werr = err })
	if werr != nil || !j.Ready() || !allZero(pw) {
		t.Fatalf("the right master password: %v, ready %v, wiped %v", werr, j.Ready(), allZero(pw))
	}
	var written, skipped int
	j.Write(filepath.Join(dir, "valv-passwords.csv"), func(w, s int, err error) { written, skipped, werr = w, s, err })
	if werr != nil || written != 2 || skipped != 1 {
		t.Fatalf("CSV: %d written, %d skipped, %v", written, skipped, werr)
	}

	enc := tc.NewExport()
	exportPW := []byte("a long export password 42")
	enc.SetPassword(exportPW)
	path := filepath.Join(dir, ExportFileName(enc.Kind()))
	enc.Write(path, func(w, _ int, err error) { written, werr = w, err })
	if werr != nil || written != 3 || !allZero(exportPW) || enc.Ready() {
		t.Fatalf("encrypted: %d written, %v; password wiped %v, still ready %v", written, werr, allZero(exportPW), enc.Ready())
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if f, err := transfer.Detect(data); err != nil || f != transfer.FormatValvEncrypted {
		t.Errorf("the encrypted export reads as %v, %v", f, err)
	}

	held := []byte("another export password")
	dropped := tc.NewExport()
	dropped.SetPassword(held)
	dropped.Drop()
	if !allZero(held) || dropped.Ready() || !dropped.Dropped() {
		t.Error("Drop kept the export password")
	}
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}
