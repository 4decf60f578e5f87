package vault

import (
	"cmp"
	"slices"
	"strings"
)

// index keeps the unlocked items sorted for display (title, case-insensitive, then ID)
// with a lower-cased search text per item. Search is a scan over that text: at 100k
// items it is a few milliseconds, so no inverted index (and no second copy of every
// word in memory) is needed.
type index struct {
	byID  map[ID]*Item
	items []*Item  // sorted
	keys  []string // keys[i]: sort key of items[i]
	hay   []string // hay[i]: search text of items[i]
}

func newIndex(n int) *index {
	return &index{byID: make(map[ID]*Item, n), items: make([]*Item, 0, n), keys: make([]string, 0, n), hay: make([]string, 0, n)}
}

func sortKey(it *Item) string { return strings.ToLower(it.Title) }

// haystack is what a search query is matched against: the searchable fields of the
// schema (fields.go), what people remember an item by, never its secrets. Fields are
// joined by line breaks, which no query term contains, so a term never spans two.
func haystack(it *Item) string {
	var b strings.Builder
	for i := range fieldTable {
		f := &fieldTable[i]
		if !f.searchable {
			continue
		}
		if f.list == nil {
			writeLine(&b, *f.str(it))
			continue
		}
		for _, s := range *f.list(it) {
			writeLine(&b, s)
		}
	}
	return strings.ToLower(b.String())
}

// writeLine adds a non-empty s to b on a line of its own.
func writeLine(b *strings.Builder, s string) {
	if s == "" {
		return
	}
	if b.Len() > 0 {
		b.WriteByte('\n')
	}
	b.WriteString(s)
}

func (x *index) get(id ID) *Item { return x.byID[id] }

// add appends without keeping order; call sort after a batch.
func (x *index) add(it *Item) {
	x.byID[it.ID] = it
	x.items = append(x.items, it)
	x.keys = append(x.keys, sortKey(it))
	x.hay = append(x.hay, haystack(it))
}

func (x *index) sort() {
	perm := make([]int, len(x.items))
	for i := range perm {
		perm[i] = i
	}
	slices.SortFunc(perm, func(a, b int) int {
		if c := cmp.Compare(x.keys[a], x.keys[b]); c != 0 {
			return c
		}
		return slices.Compare(x.items[a].ID[:], x.items[b].ID[:])
	})
	items, keys, hay := make([]*Item, len(perm)), make([]string, len(perm)), make([]string, len(perm))
	for i, p := range perm {
		items[i], keys[i], hay[i] = x.items[p], x.keys[p], x.hay[p]
	}
	x.items, x.keys, x.hay = items, keys, hay
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
	k := sortKey(it)
	i := x.pos(k, it.ID)
	x.byID[it.ID] = it
	x.items = slices.Insert(x.items, i, it)
	x.keys = slices.Insert(x.keys, i, k)
	x.hay = slices.Insert(x.hay, i, haystack(it))
}

func (x *index) remove(it *Item) {
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
	terms := strings.Fields(strings.ToLower(query))
	var out []*Item
	for i, it := range v.idx.items {
		if !f.match(it) {
			continue
		}
		ok := true
		for _, t := range terms {
			if !strings.Contains(v.idx.hay[i], t) {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, it)
		}
	}
	return out, nil
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
