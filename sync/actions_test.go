package cloudsync

import (
	"bytes"
	"errors"
	"io"
	"maps"
	"path/filepath"
	"testing"

	"github.com/valvpm/valv/account"
	"github.com/valvpm/valv/cloud/api"
	"github.com/valvpm/valv/cloud/cloudtest"
	"github.com/valvpm/valv/vault"
)

// token confirms action the way a person does: request the e-mailed code, type it.
func token(t *testing.T, env *cloudtest.Env, c *account.Client, email string, action api.Action) string {
	t.Helper()
	if _, err := c.RequestActionCode(bg, action); err != nil {
		t.Fatal(err)
	}
	tok, err := c.ActionToken(bg, action, env.LastCode(t, email))
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// backupHolds opens a backup with password and reports whether it holds title.
func backupHolds(t *testing.T, path string, password []byte, title string) bool {
	t.Helper()
	b, err := vault.Open(path)
	if err != nil {
		t.Fatalf("backup %s: %v", path, err)
	}
	defer b.Close()
	if err := b.Unlock(password); err != nil {
		t.Fatalf("backup unlock: %v", err)
	}
	l, _ := b.Search(title, vault.Filter{})
	return len(l) == 1
}

func TestReplaceCloudWithLocal(t *testing.T) {
	env := cloudtest.Start(t)
	a := firstDevice(t, env, "rep@example.com", &vault.Item{Type: vault.TypeNote, Title: "shared"})
	b := nextDevice(t, env, "rep@example.com", "d2")
	b.v.Add(&vault.Item{Type: vault.TypeNote, Title: "only on B"})
	b.sync(t)
	// A's vault (without B's note) replaces the cloud's, confirmed by e-mail.
	wrong := token(t, env, a.c, "rep@example.com", api.ActionClearVault)
	if _, err := ReplaceCloud(bg, a.v, a.c, wrong, masterPW, t.TempDir()); !errors.Is(err, account.ErrActionToken) {
		t.Fatalf("a clear-vault token replaced the vault: %v", err)
	}
	cloudBackup, err := ReplaceCloud(bg, a.v, a.c, token(t, env, a.c, "rep@example.com", api.ActionReplaceCloudVault), masterPW, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	// What A's replacement deleted from the cloud, B's note, is in A's backup.
	if !backupHolds(t, cloudBackup, masterPW, "only on B") || !backupHolds(t, cloudBackup, masterPW, "shared") {
		t.Error("the backup of the replaced cloud vault lacks its items")
	}
	a.sync(t)
	// B notices, keeps its vault as a backup and takes the cloud's.
	if _, err := b.e.SyncOnce(bg); !errors.Is(err, ErrReplaced) {
		t.Fatalf("B after the replacement: %v", err)
	}
	nb, backup, err := KeepCloud(bg, b.v, b.c, masterPW, t.TempDir(), env.URL, "rep@example.com")
	if err != nil {
		t.Fatal(err)
	}
	defer nb.Close()
	if !maps.Equal(snapshot(t, a.v), snapshot(t, nb)) {
		t.Error("B does not have the replacement")
	}
	if !backupHolds(t, backup, masterPW, "only on B") {
		t.Error("B's own note is not in its backup")
	}
	if _, err := New(nb, b.c).SyncOnce(bg); err != nil {
		t.Errorf("B syncing after taking the cloud's vault: %v", err)
	}
}

func TestClearVaultEverywhere(t *testing.T) {
	env := cloudtest.Start(t)
	a := firstDevice(t, env, "clr@example.com", &vault.Item{Type: vault.TypeNote, Title: "to be cleared"})
	b := nextDevice(t, env, "clr@example.com", "d2")
	backup, err := ClearVault(bg, a.v, a.c, token(t, env, a.c, "clr@example.com", api.ActionClearVault), masterPW, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if a.v.Len() != 0 || !backupHolds(t, backup, masterPW, "to be cleared") {
		t.Errorf("after clearing: %d items; backup has the item: ?", a.v.Len())
	}
	a.v.Add(&vault.Item{Type: vault.TypeNote, Title: "after clearing"})
	a.sync(t)
	if _, err := b.e.SyncOnce(bg); !errors.Is(err, ErrReplaced) {
		t.Fatalf("B after the clearing: %v", err)
	}
	nb, _, err := KeepCloud(bg, b.v, b.c, masterPW, t.TempDir(), env.URL, "clr@example.com")
	if err != nil {
		t.Fatal(err)
	}
	defer nb.Close()
	if l, _ := nb.List(vault.Filter{}); len(l) != 1 || l[0].Title != "after clearing" {
		t.Errorf("B after taking the cleared vault: %v", l)
	}
}

func TestClearWithSyncOffNeedsAccountPassword(t *testing.T) {
	env := cloudtest.Start(t)
	a := firstDevice(t, env, "off@example.com", &vault.Item{Type: vault.TypeNote, Title: "local"})
	if _, err := a.c.Reauth(bg, api.ReauthRequest{Action: api.ActionClearVault, Password: "Wrong-Pass1"}); !errors.Is(err, account.ErrWrongPassword) {
		t.Errorf("wrong account password: %v", err)
	}
	r, err := a.c.Reauth(bg, api.ReauthRequest{Action: api.ActionClearVault, Password: "Account-Pass1"})
	if err != nil || r.ActionToken == "" {
		t.Fatalf("reauth: %v", err)
	}
	// Sync off: only the local vault is cleared; the cloud keeps its copy.
	if _, err := ClearVault(bg, a.v, nil, "", nil, t.TempDir()); err != nil {
		t.Fatal(err)
	}
	if a.v.Len() != 0 {
		t.Error("not cleared")
	}
	if pr, err := a.c.Pull(bg, 0, 10); err != nil || len(pr.Items) != 1 {
		t.Errorf("the cloud lost its copy: %v", err)
	}
}

func TestResetForgottenMasterPassword(t *testing.T) {
	env := cloudtest.Start(t)
	a := firstDevice(t, env, "rst@example.com", &vault.Item{Type: vault.TypeNote, Title: "unreadable now"})
	b := nextDevice(t, env, "rst@example.com", "d2")
	a.v.Lock() // the person cannot unlock it any more
	newPW := []byte("Fresh-Start-2026")
	kdf := vault.FloorKDF()
	nv, backup, err := ResetMasterPassword(bg, a.v, a.c, token(t, env, a.c, "rst@example.com", api.ActionResetMasterPassword), newPW, filepath.Join(t.TempDir(), "backups"), vault.CreateOptions{KDF: &kdf})
	if err != nil {
		t.Fatal(err)
	}
	defer nv.Close()
	if nv.Len() != 0 || nv.Path() != a.v.Path() {
		t.Errorf("new vault: %d items at %s", nv.Len(), nv.Path())
	}
	// The old vault is kept: remembering the old password later still opens it.
	if !backupHolds(t, backup, masterPW, "unreadable now") {
		t.Error("the backup does not hold the old items")
	}
	// B learns of the reset and takes the new vault with the new password.
	if _, err := b.e.SyncOnce(bg); !errors.Is(err, ErrReplaced) {
		t.Fatalf("B after the reset: %v", err)
	}
	nb, _, err := KeepCloud(bg, b.v, b.c, newPW, t.TempDir(), env.URL, "rst@example.com")
	if err != nil {
		t.Fatal(err)
	}
	nb.Close()
}

func TestMergeLocalIntoCloud(t *testing.T) {
	env := cloudtest.Start(t)
	firstDevice(t, env, "mrg@example.com", &vault.Item{Type: vault.TypeNote, Title: "cloud note"}, &vault.Item{Type: vault.TypeNote, Title: "in both"})
	kdf := vault.FloorKDF()
	local, err := vault.Create(filepath.Join(t.TempDir(), "c", "vault.db"), []byte("Local-Master-1"), vault.CreateOptions{KDF: &kdf})
	if err != nil {
		t.Fatal(err)
	}
	ln, _ := local.Add(&vault.Item{Type: vault.TypeNote, Title: "local note"})
	local.Add(&vault.Item{Type: vault.TypeNote, Title: "in both"})
	scan := bytes.Repeat([]byte("passport scan "), vault.ChunkSize/7) // two chunks
	if _, _, err := local.Attach(bg, ln.ID, "scan.bin", bytes.NewReader(scan)); err != nil {
		t.Fatal(err)
	}
	c := signIn(t, env, "mrg@example.com")
	if _, err := New(local, c).SyncOnce(bg); !errors.Is(err, ErrOtherVault) {
		t.Fatalf("a second vault: %v", err)
	}
	merged, backup, added, err := Merge(bg, local, c, masterPW, t.TempDir(), env.URL, "mrg@example.com")
	if err != nil {
		t.Fatal(err)
	}
	defer merged.Close()
	if added != 1 || merged.Len() != 3 {
		t.Errorf("merged: %d added, %d items", added, merged.Len())
	}
	if got := fileOf(t, merged, "local note", "scan.bin"); !bytes.Equal(got, scan) {
		t.Errorf("the merged vault has %d bytes of the local note's file, want %d", len(got), len(scan))
	}
	if !backupHolds(t, backup, []byte("Local-Master-1"), "local note") {
		t.Error("the local vault is not kept as a backup")
	}
	if pr, _ := c.Pull(bg, 0, 10); len(pr.Items) != 3 {
		t.Errorf("the cloud has %d items", len(pr.Items))
	}
}

// TestResetPutsTheOldVaultBackOnFailure: when the new vault cannot be made, the old one
// is back in place, locked, and nothing is lost.
func TestResetPutsTheOldVaultBackOnFailure(t *testing.T) {
	kdf := vault.FloorKDF()
	v, err := vault.Create(filepath.Join(t.TempDir(), "v", "vault.db"), masterPW, vault.CreateOptions{KDF: &kdf})
	if err != nil {
		t.Fatal(err)
	}
	v.Add(&vault.Item{Type: vault.TypeNote, Title: "precious"})
	// KDF settings below the floor make Create fail after the old file was removed.
	bad := vault.KDFParams{Memory: 1024, Time: 1, Threads: 1}
	old, backup, err := ResetMasterPassword(bg, v, nil, "", []byte("New-Pass-2026"), t.TempDir(), vault.CreateOptions{KDF: &bad})
	if !errors.Is(err, vault.ErrKDFParams) || old == nil || backup == "" {
		t.Fatalf("reset with a failing create: %v (vault back: %v)", err, old != nil)
	}
	defer old.Close()
	if err := old.Unlock(masterPW); err != nil {
		t.Fatal(err)
	}
	if l, _ := old.Search("precious", vault.Filter{}); len(l) != 1 {
		t.Error("the old vault did not come back whole")
	}
}

// fileOf reads the file name of the item titled title in v.
func fileOf(t *testing.T, v *vault.Vault, title, name string) []byte {
	t.Helper()
	found, err := v.Search(title, vault.Filter{})
	if err != nil || len(found) != 1 {
		t.Fatalf("%d items called %q (%v)", len(found), title, err)
	}
	a, err := found[0].AttachmentNamed(name)
	if err != nil {
		t.Fatalf("%q: %v", title, err)
	}
	r, err := v.OpenAttachment(found[0].ID, a.ID)
	if err != nil {
		t.Fatalf("%q of %q: %v", name, title, err)
	}
	defer r.Close()
	data, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return data
}
