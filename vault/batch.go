package vault

import (
	"bytes"
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
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		x, y := id(a), id(b)
		return bytes.Compare(x[:], y[:])
	})
	return order
}

// AddAll stores several new items in one transaction: all are saved, or none (import).
func (v *Vault) AddAll(items []*Item) ([]*Item, error) {
	for i, it := range items {
		if err := it.Validate(); err != nil {
			return nil, fmt.Errorf("item %d (%q): %w", i+1, it.Title, err)
		}
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.key == nil {
		return nil, ErrLocked
	}
	now := v.now().UTC()
	out := make([]*Item, len(items))
	recs := make([][]byte, len(items))
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
		return nil, err
	}
	for i, n := range out {
		recs[i] = v.sealRecord(n, record{rev: 1})
	}
	order := keyOrder(len(out), func(i int) ID { return out[i].ID })
	err = v.update(func(tx *bolt.Tx) error {
		if err := files.store(tx); err != nil {
			return err
		}
		items, pending := tx.Bucket(bucketItems), tx.Bucket(bucketPending)
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
		return nil, err
	}
	for _, n := range out {
		v.idx.add(n)
	}
	v.idx.sort()
	go v.notify()
	res := make([]*Item, len(out))
	for i, n := range out {
		res[i] = n.Clone()
	}
	return res, nil
}
