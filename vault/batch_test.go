package vault

import (
	"fmt"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// batchItems returns n distinct items of every type; with long, some have plaintexts
// far longer than a sealer's first buffer.
func batchItems(n int, long bool) []*Item {
	items := make([]*Item, n)
	for i := range items {
		it := sampleItems()[i%5]
		it.Title = fmt.Sprintf("%s %d", it.Title, i)
		if long && i%97 == 0 {
			it.Notes = strings.Repeat(fmt.Sprintf("line %d of a long note\n", i), 200)
		}
		items[i] = it
	}
	return items
}

// TestAddAllStoresEveryItemIntact: records sealed on several cores and cut from
// shared blocks each open to the item they were made from, after a reopen.
func TestAddAllStoresEveryItemIntact(t *testing.T) {
	v := newTestVault(t)
	in := batchItems(3*sealChunk, true)
	n, err := v.AddAll(in)
	if err != nil || n != len(in) {
		t.Fatalf("AddAll = %d, %v", n, err)
	}
	v = reopen(t, v, testPassword)
	if d := v.Damaged(); len(d) != 0 {
		t.Fatalf("%d damaged records after AddAll", len(d))
	}
	got, err := v.List(Filter{})
	if err != nil {
		t.Fatal(err)
	}
	byTitle := map[string]*Item{}
	for _, it := range got {
		byTitle[it.Title] = it
	}
	for _, want := range in {
		it := byTitle[want.Title]
		if it == nil {
			t.Fatalf("%q is missing after reopening", want.Title)
		}
		if it.Notes != want.Notes || it.Password != want.Password || it.Type != want.Type {
			t.Fatalf("%q came back changed", want.Title)
		}
	}
	if len(got) != len(in) {
		t.Fatalf("%d items after reopening, want %d", len(got), len(in))
	}
}

// TestAddAllPacksLeaves: an import fills the pages of its buckets instead of leaving
// them half empty (items short enough to share pages; a long note has pages of its
// own), the file holds little beyond its pages, and a later single change
// into a full page still saves and opens.
func TestAddAllPacksLeaves(t *testing.T) {
	v := newTestVault(t)
	if _, err := v.AddAll(batchItems(4000, false)); err != nil {
		t.Fatal(err)
	}
	one, err := v.Add(&Item{Type: TypeNote, Title: "after the import", Notes: "x"})
	if err != nil {
		t.Fatal(err)
	}
	path := v.Path()
	if err := v.Close(); err != nil {
		t.Fatal(err)
	}

	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	var fill [2]float64
	var size, pages int64
	err = db.View(func(tx *bolt.Tx) error {
		for i, name := range [][]byte{bucketItems, bucketPending} {
			s := tx.Bucket(name).Stats()
			fill[i] = float64(s.LeafInuse) / float64(s.LeafAlloc)
			pages += int64(s.LeafAlloc + s.BranchAlloc)
		}
		size = tx.Size()
		return nil
	})
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range fill {
		if f < 0.9 {
			t.Errorf("bucket %d: leaves %.0f%% full after an import, want at least 90%%", i, 100*f)
		}
	}
	// The rest of the file: meta pages, the freelist, the pages the last commits
	// freed, and the slack a growing file is given.
	if rest := size - pages; rest > fileSlack+64*4096 {
		t.Errorf("file %d bytes for %d bytes of bucket pages: %d bytes beyond them", size, pages, rest)
	}

	v2, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { v2.Close() })
	if err := v2.Unlock(testPassword); err != nil {
		t.Fatal(err)
	}
	if got, err := v2.Get(one.ID); err != nil || got.Title != one.Title {
		t.Fatalf("the item added after the import: %v, %v", got, err)
	}
	if v2.Len() != 4001 {
		t.Fatalf("Len = %d, want 4001", v2.Len())
	}
}
