package vault

import (
	"bytes"
	"cmp"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/valvpm/valv/internal/secret"
)

// index keeps the unlocked items sorted for display (title, case-insensitive, then ID)
// with a lower-cased search text per item. Search is a scan over that text: at 100k
// items it is a few milliseconds, so no inverted index (and no second copy of every
// word in memory) is needed.
type index struct {
	byID  map[ID]*Item
	items []*Item      // sorted
	keys  []string     // keys[i]: sort key of items[i]
	hay   []string     // hay[i]: search text of items[i]
	arena *secretArena // the items' secrets and search texts, wiped by Lock
	gen   uint64       // counts changes, so a remembered search knows it is stale
	last  lastSearch
}

func newIndex(n int) *index {
	return &index{arena: &secretArena{}, byID: make(map[ID]*Item, n), items: make([]*Item, 0, n), keys: make([]string, 0, n), hay: make([]string, 0, n)}
}

// sortKey is the lower-cased title; add and insert take it from the haystack instead,
// whose first line it is, so it costs no string of its own.
func sortKey(it *Item) string { return string(appendLower(nil, it.Title)) }

// haystack is what a search query is matched against: the searchable fields of the
// schema (fields.go), what people remember an item by, never its secrets, lower-cased.
// Fields are joined by line breaks, which no query term contains, so a term never
// spans two. The title comes first, so the sort key is a prefix of the haystack.
//
// With an arena the text is kept there (it holds notes), and the scratch copy wiped.
func haystack(it *Item, a *secretArena) (hay, key string) {
	b := appendLower(make([]byte, 0, 64), it.Title)
	n := len(b)
	for i := range fieldTable {
		f := &fieldTable[i]
		if !f.searchable || f.tag == tagTitle {
			continue
		}
		if f.list == nil {
			b = appendLine(b, *f.str(it))
			continue
		}
		for _, s := range *f.list(it) {
			b = appendLine(b, s)
		}
	}
	if a == nil {
		hay = string(b)
	} else {
		hay = a.str(b)
		secret.Wipe(b)
	}
	return hay, hay[:n]
}

// appendLine adds a non-empty s, lower-cased, to b on a line of its own.
func appendLine(b []byte, s string) []byte {
	if s == "" {
		return b
	}
	if len(b) > 0 {
		b = append(b, '\n')
	}
	return appendLower(b, s)
}

// appendLower appends s lower-cased to b, byte by byte while s is ASCII (most titles,
// user names and URLs) and through strings.ToLower from the first byte that is not.
func appendLower(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 {
			return append(b, strings.ToLower(s[i:])...)
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b = append(b, c)
	}
	return b
}

func (x *index) get(id ID) *Item { return x.byID[id] }

// add appends without keeping order; call sort after a batch.
func (x *index) add(it *Item) {
	x.gen++
	x.arena.keep(it)
	hay, key := haystack(it, x.arena)
	x.byID[it.ID] = it
	x.items = append(x.items, it)
	x.keys = append(x.keys, key)
	x.hay = append(x.hay, hay)
}

// sort puts the items in display order: key/item/haystack triples sorted as they are,
// so a comparison reads its keys from the slice, not through an index.
func (x *index) sort() {
	x.gen++
	type entry struct {
		key, hay string
		it       *Item
	}
	es := make([]entry, len(x.items))
	for i, it := range x.items {
		es[i] = entry{x.keys[i], x.hay[i], it}
	}
	slices.SortFunc(es, func(a, b entry) int {
		if c := strings.Compare(a.key, b.key); c != 0 {
			return c
		}
		return bytes.Compare(a.it.ID[:], b.it.ID[:])
	})
	for i, e := range es {
		x.items[i], x.keys[i], x.hay[i] = e.it, e.key, e.hay
	}
}

// pos returns where an item with sort key k and ID id belongs.
func (x *index) pos(k string, id ID) int {
	lo, hi := 0, len(x.items)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		c := cmp.Compare(x.keys[m], k)
		if c == 0 {
			c = slices.Compare(x.items[m].ID[:], id[:])
		}
		if c < 0 {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

func (x *index) insert(it *Item) {
	x.gen++
	x.arena.keep(it)
	hay, k := haystack(it, x.arena)
	i := x.pos(k, it.ID)
	x.byID[it.ID] = it
	x.items = slices.Insert(x.items, i, it)
	x.keys = slices.Insert(x.keys, i, k)
	x.hay = slices.Insert(x.hay, i, hay)
}

func (x *index) remove(it *Item) {
	x.gen++
	i := x.pos(sortKey(it), it.ID)
	if i < len(x.items) && x.items[i].ID == it.ID {
		x.items = slices.Delete(x.items, i, i+1)
		x.keys = slices.Delete(x.keys, i, i+1)
		x.hay = slices.Delete(x.hay, i, i+1)
	}
	delete(x.byID, it.ID)
}

func (x *index) replace(old, n *Item) {
	x.remove(old)
	x.insert(n)
}

// rebuildAbove is the batch size from which apply rebuilds the index rather than
// inserting item by item: each insert shifts the sorted slices, so many of them (a
// first download) would cost the square of the vault's size.
const rebuildAbove = 64

// apply makes a batch of changes: an old item with a new one replaces it, a new one
// alone is added, an old one alone removed.
func (x *index) apply(changes []indexChange) {
	if len(changes) <= rebuildAbove {
		for _, c := range changes {
			switch {
			case c.old != nil && c.new != nil:
				x.replace(c.old, c.new)
			case c.new != nil:
				x.insert(c.new)
			case c.old != nil:
				x.remove(c.old)
			}
		}
		return
	}
	gone := make(map[ID]bool, len(changes))
	for _, c := range changes {
		if c.old != nil {
			gone[c.old.ID] = true
		}
	}
	n := 0
	for i, it := range x.items {
		if gone[it.ID] {
			delete(x.byID, it.ID)
			continue
		}
		x.items[n], x.keys[n], x.hay[n] = it, x.keys[i], x.hay[i]
		n++
	}
	clear(x.items[n:])
	clear(x.keys[n:])
	clear(x.hay[n:])
	x.items, x.keys, x.hay = x.items[:n], x.keys[:n], x.hay[:n]
	for _, c := range changes {
		if c.new != nil {
			x.add(c.new)
		}
	}
	x.sort()
}

// Filter narrows List and Search. The zero value matches everything.
type Filter struct {
	Type       Type   // 0: any type
	Favourites bool   // only favourites
	Folder     string // "" any folder
}

func (f Filter) match(it *Item) bool {
	return (f.Type == 0 || it.Type == f.Type) && (!f.Favourites || it.Favourite) && (f.Folder == "" || it.Folder == f.Folder)
}

// List returns the items matching f in display order. The items are shared read-only
// snapshots: Clone before editing.
func (v *Vault) List(f Filter) ([]*Item, error) {
	return v.Search("", f)
}

// Search returns the items matching f whose searchable fields (title, folder, URLs,
// user name, application, card holder, name, e-mail, city, notes) contain every word
// of query (case-insensitive), in display order. Secrets are never matched. The items are
// shared read-only snapshots: Clone before editing.
func (v *Vault) Search(query string, f Filter) ([]*Item, error) {
	v.mu.RLock()
	defer v.mu.RUnlock()
	if v.key == nil {
		return nil, ErrLocked
	}
	terms := strings.Fields(string(appendLower(nil, query)))
	x := v.idx
	filtered := f != Filter{}
	match := func(i int) bool {
		// Without a filter the item itself is not read: the haystack is enough.
		if filtered && !f.match(x.items[i]) {
			return false
		}
		for _, t := range terms {
			if !strings.Contains(x.hay[i], t) {
				return false
			}
		}
		return true
	}
	var hits []int32
	if from, ok := x.last.narrows(x.gen, terms, f); ok {
		hits = scan(len(from), func(j int) int { return int(from[j]) }, match)
	} else {
		hits = scan(len(x.items), func(j int) int { return j }, match)
	}
	if len(terms) > 0 {
		x.last.remember(x.gen, terms, f, hits)
	}
	out := make([]*Item, len(hits))
	for j, i := range hits {
		out[j] = x.items[i]
	}
	return out, nil
}

// scanShare is the fewest candidates a search gives one core: below it, starting
// another goroutine costs more than the scan it takes over.
const scanShare = 16 << 10

// scan returns, in order, the positions at(j) for j in [0, n) that match: split over
// the cores when there are enough to share (a 100k-item search reads ~10 MB of text).
func scan(n int, at func(j int) int, match func(i int) bool) []int32 {
	one := func(from, to int) []int32 {
		var hits []int32
		for j := from; j < to; j++ {
			if i := at(j); match(i) {
				hits = append(hits, int32(i))
			}
		}
		return hits
	}
	workers := min(runtime.GOMAXPROCS(0), n/scanShare)
	if workers <= 1 {
		return one(0, n)
	}
	parts := make([][]int32, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() { parts[w] = one(w*n/workers, (w+1)*n/workers) })
	}
	wg.Wait()
	return slices.Concat(parts...)
}

// Folders returns the folder names in use, sorted.
func (v *Vault) Folders() ([]string, error) {
	v.mu.RLock()
	defer v.mu.RUnlock()
	if v.key == nil {
		return nil, ErrLocked
	}
	seen := map[string]bool{}
	for _, it := range v.idx.items {
		if it.Folder != "" {
			seen[it.Folder] = true
		}
	}
	out := make([]string, 0, len(seen))
	for f := range seen {
		out = append(out, f)
	}
	slices.Sort(out)
	return out, nil
}
