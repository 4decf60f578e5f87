package vault

import (
	"fmt"
	"runtime"
	"slices"
	"testing"
)

func TestSearch(t *testing.T) {
	v := newTestVault(t)
	for _, it := range sampleItems() {
		if _, err := v.Add(it); err != nil {
			t.Fatal(err)
		}
	}
	titles := func(q string, f Filter) []string {
		l, err := v.Search(q, f)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, it := range l {
			out = append(out, it.Title)
		}
		return out
	}
	for _, c := range []struct {
		q    string
		f    Filter
		want string
	}{
		{"", Filter{}, "[Bank of Sunda Home Hộ chiếu Steam Visa débit Wi-Fi at grandma's]"}, // display order, case-insensitive
		{"BANK", Filter{}, "[Bank of Sunda]"},
		{"göteborg", Filter{}, "[Home]"},                // city, non-ASCII case folding
		{"GÖTEBORG", Filter{}, "[Home]"},                // upper-case non-ASCII
		{"m.bank.example", Filter{}, "[Bank of Sunda]"}, // second URL
		{"finance sunda", Filter{}, "[Bank of Sunda]"},  // every word must match
		{"finance steam", Filter{}, "[]"},
		{"nguyen", Filter{}, "[Steam]"},
		{"nhà bà", Filter{}, "[Wi-Fi at grandma's]"}, // note text
		{"Kata$andi", Filter{}, "[]"},                // passwords are never searchable
		{"4111", Filter{}, "[]"},                     // nor card numbers
		{"åsa", Filter{}, "[Home Visa débit]"},
		{"åsa", Filter{Type: TypeCard}, "[Visa débit]"},
		{"renew", Filter{Type: TypeDocument}, "[Hộ chiếu]"},
	} {
		if got := fmt.Sprint(titles(c.q, c.f)); got != c.want {
			t.Errorf("Search(%q, %+v) = %s, want %s", c.q, c.f, got, c.want)
		}
	}
	// Order follows edits: a renamed item moves.
	l, _ := v.Search("steam", Filter{})
	it := l[0].Clone()
	it.Title = "A Steam"
	if _, err := v.Update(it); err != nil {
		t.Fatal(err)
	}
	if got := titles("", Filter{})[0]; got != "A Steam" {
		t.Errorf("first after rename = %q", got)
	}
	if f, _ := v.Folders(); fmt.Sprint(f) != "[Finance Papers]" {
		t.Errorf("Folders = %v", f)
	}
}

func TestResolvePrefix(t *testing.T) {
	v := newTestVault(t)
	a, _ := v.Add(&Item{Type: TypeNote, Title: "a"})
	id, err := v.Resolve(a.ID.String()[:6])
	if err != nil || id != a.ID {
		t.Errorf("Resolve = %v, %v", id, err)
	}
	if _, err := v.Resolve("ab"); err == nil {
		t.Error("a 2-character prefix was accepted")
	}
	if _, err := v.Resolve("zzzzzz"); err == nil {
		t.Error("unknown prefix resolved")
	}
}

// TestIndexApplyBatch: a batch large enough to rebuild the index leaves it as making
// the same changes one by one does: same order, same search text, same lookups.
func TestIndexApplyBatch(t *testing.T) {
	mk := func(i int) *Item {
		it := &Item{Type: TypeNote, Title: fmt.Sprintf("Note %03d Ünïcode", (i*37)%300), Notes: fmt.Sprintf("n%d", i)}
		it.ID[0], it.ID[1] = byte(i>>8), byte(i)
		return it
	}
	base := make([]*Item, 300)
	for i := range base {
		base[i] = mk(i)
	}
	var changes []indexChange
	for i := range 200 {
		switch i % 3 {
		case 0: // replaced
			n := mk(i)
			n.ID = base[i].ID
			n.Title = "Renamed " + n.Title
			changes = append(changes, indexChange{base[i], n})
		case 1: // removed
			changes = append(changes, indexChange{base[i], nil})
		default: // added
			changes = append(changes, indexChange{nil, mk(1000 + i)})
		}
	}
	build := func() *index {
		x := newIndex(len(base))
		for _, it := range base {
			x.add(it)
		}
		x.sort()
		return x
	}
	batch, oneByOne := build(), build()
	batch.apply(changes)
	for k := 0; k < len(changes); k += rebuildAbove {
		oneByOne.apply(changes[k:min(k+rebuildAbove, len(changes))])
	}
	if len(batch.items) != len(oneByOne.items) || len(batch.byID) != len(oneByOne.byID) {
		t.Fatalf("batch holds %d items (%d by ID), one by one %d (%d)", len(batch.items), len(batch.byID), len(oneByOne.items), len(oneByOne.byID))
	}
	for i := range batch.items {
		if batch.items[i] != oneByOne.items[i] || batch.keys[i] != oneByOne.keys[i] || batch.hay[i] != oneByOne.hay[i] {
			t.Fatalf("position %d: batch %q, one by one %q", i, batch.keys[i], oneByOne.keys[i])
		}
		if batch.get(batch.items[i].ID) != batch.items[i] {
			t.Fatalf("item %q is not found by its ID", batch.keys[i])
		}
	}
}

// TestSearchNarrows: typing on narrows the last results, and a change to the vault or
// a query that does not extend the last one searches everything again.
func TestSearchNarrows(t *testing.T) {
	v := newTestVault(t)
	for _, it := range sampleItems() {
		if _, err := v.Add(it); err != nil {
			t.Fatal(err)
		}
	}
	count := func(q string) int {
		l, err := v.Search(q, Filter{})
		if err != nil {
			t.Fatal(err)
		}
		return len(l)
	}
	all := count("")
	for _, q := range []string{"e", "ex", "exa", "example", "example x"} {
		got := count(q)
		v2 := v.idx.gen
		v.idx.gen++ // a fresh search, not narrowed, must find the same
		want := count(q)
		v.idx.gen = v2
		if got != want {
			t.Errorf("%q narrowed finds %d, a full search %d", q, got, want)
		}
	}
	if n := count("e"); n > all || n == 0 {
		t.Fatalf("going back to %q finds %d of %d", "e", n, all)
	}
	added := &Item{Type: TypeNote, Title: "exact example"}
	if _, err := v.Add(added); err != nil {
		t.Fatal(err)
	}
	before := count("exa")
	if _, err := v.Add(&Item{Type: TypeNote, Title: "another example"}); err != nil {
		t.Fatal(err)
	}
	if count("exam") < 1 || count("examp") != count("example") {
		t.Fatal("narrowing lost an item")
	}
	if count("exa") != before+1 {
		t.Fatal("an item added after the last search is not found by the next one")
	}
}

// TestSearchSplitOverCores: a vault large enough for the scan to be shared between
// goroutines finds the same items, in display order, as one would, with and without a
// filter, and when a query narrows the last one.
func TestSearchSplitOverCores(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		t.Skip("one core: the scan is not split")
	}
	const n = 3*scanShare + 123
	v := newTestVault(t)
	items := make([]*Item, n)
	var want, wantFav []string
	for i := range items {
		title := fmt.Sprintf("item %06d", i)
		if i%997 == 0 {
			title += " needle"
			want = append(want, title)
		}
		items[i] = &Item{Type: TypeNote, Title: title, Favourite: i%2 == 0}
		if i%997 == 0 && i%2 == 0 {
			wantFav = append(wantFav, title)
		}
	}
	if _, err := v.AddAll(items); err != nil {
		t.Fatal(err)
	}
	titles := func(q string, f Filter) []string {
		t.Helper()
		got, err := v.Search(q, f)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, it := range got {
			out = append(out, it.Title)
		}
		return out
	}
	for _, c := range []struct {
		q    string
		f    Filter
		want []string
	}{
		{"needle", Filter{}, want},
		{"needl", Filter{}, want},
		{"needle", Filter{Favourites: true}, wantFav},
		{"item needle", Filter{}, want}, // narrows the search before
		{"nothing-like-it", Filter{}, nil},
	} {
		if got := titles(c.q, c.f); !slices.Equal(got, c.want) {
			t.Errorf("%q %+v: %d items, want %d (first %v)", c.q, c.f, len(got), len(c.want), got[:min(3, len(got))])
		}
	}
	if all := titles("", Filter{}); len(all) != n || !slices.IsSorted(all) {
		t.Errorf("the whole list: %d items, sorted %v", len(all), slices.IsSorted(all))
	}
}
