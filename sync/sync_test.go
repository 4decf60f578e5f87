package cloudsync

import (
	"errors"
	"maps"
	"strings"
	"testing"

	"github.com/valvpm/valv/cloud/cloudtest"
	"github.com/valvpm/valv/vault"
)

func TestUploadDownloadAndIncremental(t *testing.T) {
	env := cloudtest.Start(t)
	a := firstDevice(t, env, "sync@example.com",
		&vault.Item{Type: vault.TypeLogin, Title: "Mail", Username: "ayu", Password: "p1"},
		&vault.Item{Type: vault.TypeNote, Title: "Wi-Fi", Notes: "SSID: Nhà"})
	if n, _ := a.v.PendingCount(); n != 0 {
		t.Errorf("pending after upload: %d", n)
	}
	b := nextDevice(t, env, "sync@example.com", "d2")
	if !maps.Equal(snapshot(t, a.v), snapshot(t, b.v)) {
		t.Fatalf("download differs:\n%v\n%v", snapshot(t, a.v), snapshot(t, b.v))
	}
	// An edit on A reaches B; a deletion on B reaches A.
	items, _ := a.v.Search("mail", vault.Filter{})
	it := items[0].Clone()
	it.Password = "p2"
	if _, err := a.v.Update(it); err != nil {
		t.Fatal(err)
	}
	if rep := a.sync(t); rep.Pushed != 1 {
		t.Errorf("pushed %d, want 1", rep.Pushed)
	}
	if rep := b.sync(t); rep.Applied.Updated != 1 {
		t.Errorf("B applied %+v", rep.Applied)
	}
	got, _ := b.v.Get(it.ID)
	if got.Password != "p2" || len(got.History) != 1 || got.History[0].Password != "p1" {
		t.Errorf("B has %q with history %v", got.Password, passwords(got.History))
	}
	notes, _ := b.v.Search("wi-fi", vault.Filter{})
	if err := b.v.Delete(notes[0].ID); err != nil {
		t.Fatal(err)
	}
	b.sync(t)
	a.sync(t)
	if _, err := a.v.Get(notes[0].ID); !errors.Is(err, vault.ErrNotFound) {
		t.Errorf("deleted note still on A: %v", err)
	}
	// Tombstones are gone once the cloud has the deletion.
	if st, _ := b.v.Stats(); st.Tombstones != 0 || st.Pending != 0 {
		t.Errorf("B stats after sync: %+v", st)
	}
	if !maps.Equal(snapshot(t, a.v), snapshot(t, b.v)) {
		t.Error("devices differ after syncing")
	}
}

func TestConflictKeepsBothVersions(t *testing.T) {
	env := cloudtest.Start(t)
	a := firstDevice(t, env, "c@example.com", &vault.Item{Type: vault.TypeLogin, Title: "Bank", Password: "base"})
	b := nextDevice(t, env, "c@example.com", "d2")
	items, _ := a.v.List(vault.Filter{})
	id := items[0].ID

	// Offline on both: A changes the password, B the password and the title.
	ia, _ := a.v.Get(id)
	ia.Password = "from-A"
	a.v.Update(ia)
	ib, _ := b.v.Get(id)
	ib.Password, ib.Title = "from-B", "Bank (joint)"
	b.v.Update(ib) // B's edit is newer
	a.sync(t)
	rep := b.sync(t)
	if rep.Applied.Conflicts != 1 {
		t.Errorf("conflicts = %d", rep.Applied.Conflicts)
	}
	a.sync(t)
	b.sync(t)
	if !maps.Equal(snapshot(t, a.v), snapshot(t, b.v)) {
		t.Fatalf("not converged:\n%v\n%v", snapshot(t, a.v), snapshot(t, b.v))
	}
	// B's newer edit wins; A's password is in its history; nothing typed is lost.
	got, _ := a.v.Get(id)
	if got.Title != "Bank (joint)" || got.Password != "from-B" || !strings.Contains(strings.Join(passwords(got.History), ","), "from-A") {
		t.Errorf("winner = %q %q history %v", got.Title, got.Password, passwords(got.History))
	}
	// The titles differed too, so A's whole version is kept as a visible copy.
	all, _ := a.v.Search("conflict copy", vault.Filter{})
	if len(all) != 1 || all[0].Password != "from-A" || all[0].Title != "Bank (conflict copy)" {
		t.Errorf("conflict copies = %v", all)
	}
}

func TestDeleteVersusEdit(t *testing.T) {
	env := cloudtest.Start(t)
	a := firstDevice(t, env, "d@example.com", &vault.Item{Type: vault.TypeNote, Title: "Keep", Notes: "v1"})
	b := nextDevice(t, env, "d@example.com", "d2")
	items, _ := a.v.List(vault.Filter{})
	id := items[0].ID
	a.v.Delete(id) // deleted on A…
	ib, _ := b.v.Get(id)
	ib.Notes = "v2 typed on B"
	b.v.Update(ib) // …edited on B
	a.sync(t)
	b.sync(t)
	a.sync(t)
	for _, d := range []*device{a, b} {
		got, err := d.v.Get(id)
		if err != nil || got.Notes != "v2 typed on B" {
			t.Errorf("%s: %v %v — the edit must survive the deletion", d.name, got, err)
		}
	}
}

func TestMasterPasswordChangedElsewhere(t *testing.T) {
	env := cloudtest.Start(t)
	a := firstDevice(t, env, "m@example.com", &vault.Item{Type: vault.TypeNote, Title: "n"})
	b := nextDevice(t, env, "m@example.com", "d2")
	newPW := []byte("New-Master-Pass-2026")
	if err := a.v.ChangeMasterPassword(masterPW, newPW); err != nil {
		t.Fatal(err)
	}
	a.sync(t) // uploads the new header
	// B keeps a pending change and keeps syncing; it learns of the new password.
	b.v.Add(&vault.Item{Type: vault.TypeNote, Title: "typed on B meanwhile"})
	rep := b.sync(t)
	if !rep.PasswordChanged || rep.Pushed != 1 {
		t.Fatalf("B: %+v", rep)
	}
	if err := b.e.AdoptPassword(bg, masterPW); !errors.Is(err, vault.ErrWrongPassword) {
		t.Errorf("adopt with the old password: %v", err)
	}
	if err := b.e.AdoptPassword(bg, newPW); err != nil {
		t.Fatal(err)
	}
	if b.v.Header().Generation != 1 {
		t.Errorf("B's generation = %d", b.v.Header().Generation)
	}
	if rep := b.sync(t); rep.PasswordChanged {
		t.Error("still flagged after adopting")
	}
	a.sync(t)
	if a.v.Len() != 2 {
		t.Errorf("A has %d items", a.v.Len())
	}
}

func TestNotLinkedAndOtherVault(t *testing.T) {
	env := cloudtest.Start(t)
	firstDevice(t, env, "o@example.com", &vault.Item{Type: vault.TypeNote, Title: "cloud"})
	// A second, independent vault on another computer of the same account.
	kdf := vault.FloorKDF()
	v, err := vault.Create(t.TempDir()+"/v.db", masterPW, vault.CreateOptions{KDF: &kdf})
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	e := New(v, signIn(t, env, "o@example.com"))
	if _, err := e.SyncOnce(bg); !errors.Is(err, ErrOtherVault) {
		t.Errorf("sync of an unrelated vault: %v", err)
	}
	if _, err := e.Upload(bg, masterPW); !errors.Is(err, ErrOtherVault) {
		t.Errorf("upload over an existing cloud vault: %v", err)
	}
	if ok, err := CloudVaultExists(bg, e.r); !ok || err != nil {
		t.Errorf("the account's cloud vault is not seen: %v, %v", ok, err)
	}
	// A fresh account: not linked yet.
	fresh := signIn(t, env, "fresh@example.com")
	e2 := New(v, fresh)
	if _, err := e2.SyncOnce(bg); !errors.Is(err, ErrNotLinked) {
		t.Errorf("fresh account: %v", err)
	}
	if ok, err := CloudVaultExists(bg, fresh); ok || err != nil {
		t.Errorf("a fresh account has a cloud vault: %v, %v", ok, err)
	}
}
