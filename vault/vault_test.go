package vault

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// sameContent compares what a person typed, ignoring ID and times.
func sameContent(t *testing.T, got, want *Item) {
	t.Helper()
	g, w := got.Clone(), want.Clone()
	g.ID, w.ID = ID{}, ID{}
	g.Created, g.Modified, w.Created, w.Modified = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("item differs:\n got  %+v\n want %+v", g, w)
	}
}

func TestRoundTripEveryType(t *testing.T) {
	v := newTestVault(t)
	var ids []ID
	for _, it := range sampleItems() {
		got, err := v.Add(it)
		if err != nil {
			t.Fatalf("Add %s: %v", it.Type, err)
		}
		if got.Created.IsZero() || got.Modified.IsZero() {
			t.Errorf("%s: times not set", it.Type)
		}
		ids = append(ids, got.ID)
	}
	v = reopen(t, v, testPassword)
	for i, want := range sampleItems() {
		got, err := v.Get(ids[i])
		if err != nil {
			t.Fatalf("Get %s: %v", want.Type, err)
		}
		sameContent(t, got, want)
	}
	for _, typ := range Types {
		l, err := v.List(Filter{Type: typ})
		if err != nil || len(l) != 1 || l[0].Type != typ {
			t.Errorf("List(%s) = %d items, %v; want 1", typ, len(l), err)
		}
	}
	if fav, _ := v.List(Filter{Favourites: true}); len(fav) != 1 || fav[0].Title != "Bank of Sunda" {
		t.Errorf("favourites = %v", fav)
	}
}

func TestWrongPassword(t *testing.T) {
	v := newTestVault(t)
	v.Close()
	v2, err := Open(v.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer v2.Close()
	if err := v2.Unlock([]byte("correct horse battery staple")); !errors.Is(err, ErrWrongPassword) {
		t.Fatalf("Unlock(wrong) = %v, want ErrWrongPassword", err)
	}
	if _, err := v2.List(Filter{}); !errors.Is(err, ErrLocked) {
		t.Errorf("List while locked = %v, want ErrLocked", err)
	}
	if _, err := v2.Add(&Item{Type: TypeNote, Title: "x"}); !errors.Is(err, ErrLocked) {
		t.Errorf("Add while locked = %v, want ErrLocked", err)
	}
}

func TestUnicodePasswordIsNormalised(t *testing.T) {
	// "é" precomposed (NFC) and as e + combining acute (NFD) must open the same vault.
	path := t.TempDir() + "/vault.db"
	kdf := FloorKDF()
	v, err := Create(path, []byte("caf\u00e9-Gr\u00f6\u00dfe"), CreateOptions{KDF: &kdf})
	if err != nil {
		t.Fatal(err)
	}
	reopen(t, v, []byte("cafe\u0301-Gro\u0308\u00dfe"))
}

// sealedBytes returns the raw stored record of every item, keyed by ID.
func rawRecords(t *testing.T, v *Vault) map[ID][]byte {
	t.Helper()
	out := map[ID][]byte{}
	err := v.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketItems).ForEach(func(k, val []byte) error {
			out[ID(k)] = slices.Clone(val)
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestChangeMasterPassword(t *testing.T) {
	v := newTestVault(t)
	for _, it := range sampleItems() {
		if _, err := v.Add(it); err != nil {
			t.Fatal(err)
		}
	}
	before := rawRecords(t, v)
	oldSalt := v.Header().KDF.Salt
	if err := v.ChangeMasterPassword([]byte("not it"), []byte("x")); !errors.Is(err, ErrWrongPassword) {
		t.Fatalf("change with wrong old password = %v", err)
	}
	newPW := []byte("Ny-huvudnyckel-2026")
	if err := v.ChangeMasterPassword(testPassword, newPW); err != nil {
		t.Fatal(err)
	}
	if slices.Equal(v.Header().KDF.Salt, oldSalt) {
		t.Error("salt was not renewed")
	}
	if g := v.Header().Generation; g != 1 {
		t.Errorf("generation after one change = %d, want 1", g)
	}
	if after := rawRecords(t, v); !reflect.DeepEqual(before, after) {
		t.Error("items were re-encrypted; only the vault key should be re-wrapped")
	}
	v.Close()
	v2, err := Open(v.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer v2.Close()
	if err := v2.Unlock(testPassword); !errors.Is(err, ErrWrongPassword) {
		t.Fatalf("old password after change: %v, want ErrWrongPassword", err)
	}
	if err := v2.Unlock(newPW); err != nil {
		t.Fatalf("new password: %v", err)
	}
	if v2.Len() != len(sampleItems()) {
		t.Errorf("items after change: %d", v2.Len())
	}
}

func TestUpdateKeepsPasswordHistory(t *testing.T) {
	v := newTestVault(t)
	it, err := v.Add(&Item{Type: TypeLogin, Title: "Mail", Password: "p0"})
	if err != nil {
		t.Fatal(err)
	}
	created := it.Created
	for i := 1; i <= 7; i++ {
		it.Password = "p" + string(rune('0'+i))
		if it, err = v.Update(it); err != nil {
			t.Fatal(err)
		}
	}
	it.Notes = "only the notes changed"
	if it, err = v.Update(it); err != nil {
		t.Fatal(err)
	}
	var hist []string
	for _, h := range it.History {
		hist = append(hist, h.Password)
	}
	if want := []string{"p6", "p5", "p4", "p3", "p2"}; !slices.Equal(hist, want) {
		t.Errorf("history = %v, want %v", hist, want)
	}
	if !it.Created.Equal(created) || !it.Modified.After(created) && !it.Modified.Equal(created) {
		t.Errorf("created %v modified %v", it.Created, it.Modified)
	}
	// History is not editable by the caller: Update keeps the vault's own.
	forged := it.Clone()
	forged.History = nil
	if it, err = v.Update(forged); err != nil || len(it.History) != 5 {
		t.Errorf("history after forged update: %d, %v", len(it.History), err)
	}
}

func TestDeleteAndPending(t *testing.T) {
	v := newTestVault(t)
	a, _ := v.Add(&Item{Type: TypeNote, Title: "a"})
	b, _ := v.Add(&Item{Type: TypeNote, Title: "b"})
	if n, _ := v.PendingCount(); n != 2 {
		t.Errorf("pending = %d, want 2", n)
	}
	// A never-synced item disappears entirely.
	if err := v.Delete(a.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := v.Get(a.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get deleted = %v", err)
	}
	if err := v.Delete(a.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("second Delete = %v", err)
	}
	// One the cloud has seen leaves a tombstone that is pending until pushed.
	if err := v.db.Update(func(tx *bolt.Tx) error {
		r, _ := parseRecord(tx.Bucket(bucketItems).Get(b.ID[:]))
		r.base = 7
		r.sealed = slices.Clone(r.sealed)
		return tx.Bucket(bucketItems).Put(b.ID[:], r.marshal())
	}); err != nil {
		t.Fatal(err)
	}
	if err := v.Delete(b.ID); err != nil {
		t.Fatal(err)
	}
	recs := rawRecords(t, v)
	r, err := parseRecord(recs[b.ID])
	if err != nil || !r.deleted || r.base != 7 || r.rev != 2 {
		t.Errorf("tombstone = %+v, %v", r, err)
	}
	if n, _ := v.PendingCount(); n != 1 {
		t.Errorf("pending = %d, want 1", n)
	}
	v = reopen(t, v, testPassword)
	if v.Len() != 0 {
		t.Errorf("Len after reopen = %d", v.Len())
	}
}

func TestValidate(t *testing.T) {
	for _, c := range []struct {
		name  string
		item  Item
		field string
	}{
		{"ok login", Item{Type: TypeLogin, Title: "x", URLs: []string{"https://a"}}, ""},
		{"no title", Item{Type: TypeNote, Title: "  "}, "title"},
		{"bad type", Item{Type: 9, Title: "x"}, "type"},
		{"card luhn", Item{Type: TypeCard, Title: "x", Number: "4111 1111 1111 1112"}, "number"},
		{"card ok", Item{Type: TypeCard, Title: "x", Number: "5555-5555-5555-4444", Expiry: "1/2030"}, ""},
		{"card expiry", Item{Type: TypeCard, Title: "x", Expiry: "13/29"}, "expiry"},
		{"password on note", Item{Type: TypeNote, Title: "x", Password: "p"}, "password"},
		{"url on app", Item{Type: TypeApp, Title: "x", URLs: []string{"u"}}, "url"},
		{"street on login", Item{Type: TypeLogin, Title: "x", Street: []string{"s"}}, "street"},
		{"huge", Item{Type: TypeNote, Title: "x", Notes: string(make([]byte, maxFieldLen+1))}, "field"},
		{"bad utf8", Item{Type: TypeNote, Title: "x\xff"}, "field"},
	} {
		err := c.item.Validate()
		var fe *FieldError
		switch {
		case c.field == "" && err != nil:
			t.Errorf("%s: unexpected %v", c.name, err)
		case c.field != "" && (!errors.As(err, &fe) || fe.Field != c.field || !errors.Is(err, ErrInvalidItem) || fe.Code == ""):
			t.Errorf("%s: got %v, want a %q field error with a code", c.name, err, c.field)
		}
	}
}

func TestLuhn(t *testing.T) {
	for n, want := range map[string]bool{
		"4111111111111111": true, "4111 1111 1111 1111": true, "378282246310005": true,
		"4111111111111112": false, "41111": false, "4111-1111-1111-111a": false, "": false,
		"6011111111111117": true, "00000000000000000000": false,
	} {
		if got := LuhnValid(n); got != want {
			t.Errorf("LuhnValid(%q) = %v", n, got)
		}
	}
}

func TestCreateRefusesExisting(t *testing.T) {
	v := newTestVault(t)
	kdf := FloorKDF()
	if _, err := Create(v.Path(), []byte("x"), CreateOptions{KDF: &kdf}); !errors.Is(err, ErrExists) {
		t.Errorf("Create over a vault = %v, want ErrExists", err)
	}
	if _, err := Open(t.TempDir() + "/none.db"); !errors.Is(err, ErrNoVault) {
		t.Errorf("Open missing = %v, want ErrNoVault", err)
	}
}

func TestSecondInstanceIsRefused(t *testing.T) {
	v := newTestVault(t)
	start := time.Now()
	_, err := Open(v.Path())
	if !errors.Is(err, ErrInUse) {
		t.Fatalf("second Open = %v, want ErrInUse", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("second Open took %v; it should fail fast", d)
	}
}

func TestFilePermissions(t *testing.T) {
	v := newTestVault(t)
	fi, err := os.Stat(v.Path())
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("vault file mode %v, want 0600", fi.Mode().Perm())
	}
	di, _ := os.Stat(v.Path()[:len(v.Path())-len("/vault.db")])
	if di.Mode().Perm() != 0o700 {
		t.Errorf("vault folder mode %v, want 0700", di.Mode().Perm())
	}
}

func TestNotCorruptFile(t *testing.T) {
	for name, content := range map[string][]byte{
		"text":  []byte("hello, this is not a vault\n"),
		"zeros": make([]byte, 1<<16),
	} {
		p := t.TempDir() + "/vault.db"
		os.WriteFile(p, content, 0o600)
		if _, err := Open(p); !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: Open = %v, want ErrCorrupt", name, err)
		}
	}
}

func TestPathsAndHome(t *testing.T) {
	t.Setenv(HomeEnv, "/tmp/valv-home")
	p, err := DefaultPath()
	if err != nil || p != "/tmp/valv-home/"+osUserName()+"/vault.db" {
		t.Errorf("DefaultPath = %q, %v", p, err)
	}
}

func TestSubscribe(t *testing.T) {
	v := newTestVault(t)
	ch := make(chan struct{}, 10)
	cancel := v.Subscribe(func() { ch <- struct{}{} })
	v.Add(&Item{Type: TypeNote, Title: "n"})
	select {
	case <-ch:
	case <-time.After(5 * time.Second):
		t.Fatal("no change notification")
	}
	cancel()
}

func TestCheckPassword(t *testing.T) {
	v := newTestVault(t)
	before := v.HeaderBytes()
	if err := v.CheckPassword([]byte("nope")); !errors.Is(err, ErrWrongPassword) {
		t.Errorf("wrong: %v", err)
	}
	if err := v.CheckPassword(testPassword); err != nil {
		t.Errorf("right: %v", err)
	}
	if !slices.Equal(before, v.HeaderBytes()) {
		t.Error("checking changed the header")
	}
}

// A vault created in a folder that already exists (/tmp, a shared drive) leaves that
// folder's rights alone; only a folder Create makes is made private.
func TestCreateKeepsExistingFolderMode(t *testing.T) {
	shared := t.TempDir()
	if err := os.Chmod(shared, 0o777|os.ModeSticky); err != nil {
		t.Fatal(err)
	}
	kdf := FloorKDF()
	v, err := Create(filepath.Join(shared, "vault.db"), testPassword, CreateOptions{KDF: &kdf})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { v.Close() })
	if fi, err := os.Stat(shared); err != nil || fi.Mode()&(fs.ModePerm|fs.ModeSticky) != fs.ModePerm|fs.ModeSticky {
		t.Fatalf("the existing folder's mode became %v (%v), want drwxrwxrwt", fi.Mode(), err)
	}
	if fi, err := os.Stat(v.Path()); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("vault file mode %v (%v), want 0600", fi.Mode().Perm(), err)
	}
}
