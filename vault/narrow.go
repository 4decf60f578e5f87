package vault

import (
	"slices"
	"strings"
	"sync"
)

// lastSearch remembers the previous query's matches, so a query that extends it (a
// person typing on) scans only those instead of every item: an item that contains
// every new term contains every old one too, when each old term is part of a new one.
type lastSearch struct {
	mu    sync.Mutex // Search runs under the vault's read lock, so searches overlap
	gen   uint64     // the index's gen the hits were found at
	terms []string
	f     Filter
	hits  []int32 // positions in the index, in display order
}

// narrows returns the remembered hits when every match of terms under f is among them.
func (l *lastSearch) narrows(gen uint64, terms []string, f Filter) ([]int32, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.terms == nil || l.gen != gen || l.f != f {
		return nil, false
	}
	for _, old := range l.terms {
		if !slices.ContainsFunc(terms, func(t string) bool { return strings.Contains(t, old) }) {
			return nil, false
		}
	}
	return l.hits, true
}

// remember keeps hits as the matches of terms under f at gen. The caller no longer
// changes hits; the next search only reads them.
func (l *lastSearch) remember(gen uint64, terms []string, f Filter, hits []int32) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.gen, l.terms, l.f, l.hits = gen, terms, f, hits
}
