package vault

import (
	"fmt"
	"slices"

	bolt "go.etcd.io/bbolt"

	"github.com/valvpm/valv/internal/secret"
)

// Changing items: each change is one transaction that stores the sealed item and marks
// it pending for sync, then updates the in-memory index.

// lockFor validates it (when not nil) and takes the write lock of an unlocked vault,
// which the caller releases; on an error the lock is not held.
func (v *Vault) lockFor(it *Item) error {
	if it != nil {
		if err := it.Validate(); err != nil {
			return err
		}
	}
	v.mu.Lock()
	if v.key == nil {
		v.mu.Unlock()
		return ErrLocked
	}
	return nil
}

// Add stores a new item and returns the stored copy (with its ID and times). it is not
// modified.
func (v *Vault) Add(it *Item) (*Item, error) {
	if err := v.lockFor(it); err != nil {
		return nil, err
	}
	defer v.mu.Unlock()
	n := it.Clone()
	n.ID = newID()
	for v.idx.get(n.ID) != nil {
		n.ID = newID()
	}
	now := v.now().UTC()
	n.Created, n.Modified = now, now
	files, err := v.prepareFiles([]*Item{n}, now)
	if err != nil {
		return nil, err
	}
	if err := v.put(n, record{rev: 1}, files); err != nil {
		return nil, err
	}
	v.idx.insert(n)
	go v.notify()
	return n.Clone(), nil
}

// Update replaces the stored item with the same ID. Created is kept, Modified set, and
// a changed password goes into the item's history (last MaxHistory kept).
func (v *Vault) Update(it *Item) (*Item, error) {
	if err := v.lockFor(it); err != nil {
		return nil, err
	}
	defer v.mu.Unlock()
	old := v.idx.get(it.ID)
	if old == nil {
		return nil, ErrNotFound
	}
	r, err := v.record(it.ID)
	if err != nil {
		return nil, err
	}
	n := it.Clone()
	n.Created = old.Created
	n.Modified = v.now().UTC()
	n.History = slices.Clone(old.History)
	n.Attachments = slices.Clone(old.Attachments) // only Attach, RenameAttachment and Detach change them
	n.recordPassword(old.Password, n.Modified)
	if err := v.put(n, record{rev: r.rev + 1, base: r.base}, nil); err != nil {
		return nil, err
	}
	v.idx.replace(old, n)
	go v.notify()
	return n.Clone(), nil
}

// Delete removes an item. An item the cloud has seen leaves a tombstone until sync
// pushes the deletion; one it never saw is simply removed.
func (v *Vault) Delete(id ID) error {
	if err := v.lockFor(nil); err != nil {
		return err
	}
	defer v.mu.Unlock()
	old := v.idx.get(id)
	damaged := slices.Contains(v.damaged, id)
	if old == nil && !damaged {
		return ErrNotFound
	}
	err := v.update(func(tx *bolt.Tx) error {
		if old != nil {
			for _, a := range old.Attachments {
				if err := freeFile(tx, a.ID, true); err != nil {
					return err
				}
			}
		}
		items, pending := tx.Bucket(bucketItems), tx.Bucket(bucketPending)
		r, err := parseRecord(items.Get(id[:]))
		if err != nil || r.base == 0 {
			if err := items.Delete(id[:]); err != nil {
				return err
			}
			return pending.Delete(id[:])
		}
		ts := record{deleted: true, rev: r.rev + 1, base: r.base}
		if err := items.Put(id[:], ts.marshal()); err != nil {
			return err
		}
		return pending.Put(id[:], nil)
	})
	if err != nil {
		return err
	}
	if old != nil {
		v.idx.remove(old)
	}
	v.damaged = slices.DeleteFunc(v.damaged, func(d ID) bool { return d == id })
	go v.notify()
	return nil
}

// record reads an item's stored record (bookkeeping only; sealed is not kept).
func (v *Vault) record(id ID) (record, error) {
	var r record
	err := safeView(v.db, func(tx *bolt.Tx) error {
		val := tx.Bucket(bucketItems).Get(id[:])
		if val == nil {
			return ErrNotFound
		}
		var err error
		r, err = parseRecord(val)
		r.sealed = nil
		return err
	})
	return r, err
}

func (v *Vault) sealRecord(it *Item, r record) []byte {
	plain := encodeItem(it)
	r.sealed = seal(v.key, plain, itemAD(v.header.VaultID, it.ID))
	secret.Wipe(plain)
	return r.marshal()
}

// put seals it and writes it with bookkeeping r, marking it pending, in one transaction
// with the chunks of its new files (prepareFiles).
func (v *Vault) put(it *Item, r record, files *newFiles) error {
	rec := v.sealRecord(it, r)
	return v.update(func(tx *bolt.Tx) error {
		if err := tx.Bucket(bucketItems).Put(it.ID[:], rec); err != nil {
			return err
		}
		if err := files.store(tx); err != nil {
			return err
		}
		return tx.Bucket(bucketPending).Put(it.ID[:], nil)
	})
}

// Get returns a private copy of the item with the given ID.
func (v *Vault) Get(id ID) (*Item, error) {
	v.mu.RLock()
	defer v.mu.RUnlock()
	if v.key == nil {
		return nil, ErrLocked
	}
	if it := v.idx.get(id); it != nil {
		return it.Clone(), nil
	}
	if slices.Contains(v.damaged, id) {
		return nil, fmt.Errorf("item %s: %w", id, ErrCorrupt)
	}
	return nil, ErrNotFound
}

// Reveal calls fn with a copy of item id while the vault cannot lock, for a caller that
// takes secrets out of the vault (a browser fill): what fn copies out is whole, where a
// string read from an item after Get could read as zero bytes had the vault locked in
// between (secretmem.go). fn must be quick and must not call the vault.
func (v *Vault) Reveal(id ID, fn func(*Item)) error {
	v.mu.RLock()
	defer v.mu.RUnlock()
	if v.key == nil {
		return ErrLocked
	}
	if it := v.idx.get(id); it != nil {
		fn(it.Clone())
		return nil
	}
	if slices.Contains(v.damaged, id) {
		return fmt.Errorf("item %s: %w", id, ErrCorrupt)
	}
	return ErrNotFound
}

// Resolve finds the item whose ID starts with the hex prefix (at least 4 characters),
// so people can type a short ID at the command line.
func (v *Vault) Resolve(prefix string) (ID, error) {
	v.mu.RLock()
	defer v.mu.RUnlock()
	if v.key == nil {
		return ID{}, ErrLocked
	}
	if len(prefix) < 4 {
		return ID{}, fmt.Errorf("%w: give at least 4 characters of the ID", ErrNotFound)
	}
	var found []ID
	for _, it := range v.idx.items {
		if len(found) > 1 {
			break
		}
		if s := it.ID.String(); len(s) >= len(prefix) && s[:len(prefix)] == prefix {
			found = append(found, it.ID)
		}
	}
	switch len(found) {
	case 0:
		return ID{}, ErrNotFound
	case 1:
		return found[0], nil
	}
	return ID{}, ErrAmbiguous
}
