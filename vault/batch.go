package vault

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"

	bolt "go.etcd.io/bbolt"
)

// keyOrder returns the indexes 0..n-1 sorted by the ID each names, stably (a
// repeated ID keeps its order). Many Puts in one
// bbolt transaction must go in key order: bbolt splits a leaf only at commit, so random
// keys shift an ever-growing slice on every Put (quadratic in the batch), while
// ascending keys append.
func keyOrder(n int, id func(i int) ID) []int {
	// Sorting the IDs themselves beside their index keeps the comparisons in cache;
	// the index breaks ties, which makes the unstable sort stable.
	type keyed struct {
		id ID
		i  int
	}
	ks := make([]keyed, n)
	for i := range ks {
		ks[i] = keyed{id(i), i}
	}
	slices.SortFunc(ks, func(a, b keyed) int {
		if c := bytes.Compare(a.id[:], b.id[:]); c != 0 {
			return c
		}
		return cmp.Compare(a.i, b.i)
	})
	order := make([]int, n)
	for j, k := range ks {
		order[j] = k.i
	}
	return order
}

// AddAll stores copies of several new items in one transaction: all are saved, or none
// (import). It returns how many were added.
func (v *Vault) AddAll(items []*Item) (int, error) {
	for i, it := range items {
		if err := it.Validate(); err != nil {
			return 0, fmt.Errorf("item %d (%q): %w", i+1, it.Title, err)
		}
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.key == nil {
		return 0, ErrLocked
	}
	now := v.now().UTC()
	out := make([]*Item, len(items))
	for i, it := range items {
		n := it.Clone()
		n.ID = newID()
		if n.Created.IsZero() {
			n.Created = now
		}
		if n.Modified.IsZero() {
			n.Modified = now
		}
		out[i] = n
	}
	files, err := v.prepareFiles(out, now)
	if err != nil {
		return 0, err
	}
	recs := v.sealAll(out, record{rev: 1})
	order := keyOrder(len(out), func(i int) ID { return out[i].ID })
	err = v.update(func(tx *bolt.Tx) error {
		if err := files.store(tx); err != nil {
			return err
		}
		items, pending := batchBuckets(tx)
		for _, i := range order {
			n := out[i]
			if err := items.Put(n.ID[:], recs[i]); err != nil {
				return err
			}
			if err := pending.Put(n.ID[:], nil); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	for _, n := range out {
		v.idx.add(n)
	}
	v.idx.sort()
	go v.notify()
	return len(out), nil
}
