package vault

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"reflect"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/valvpm/valv/internal/secret"
)

// The vault's side of sync: what the sync engine reads (pending changes, sealed as
// they are stored) and what it writes (acknowledged pushes, pulled items), each in one
// transaction together with the sync bookkeeping, so a crash at any point leaves the
// vault and its cursor consistent. The engine itself (package cloudsync) never sees a
// key: sealed bytes cross the network as they are.

var keySync = []byte("sync")

// SyncState is this device's bookkeeping of its link to a cloud vault. Nothing in it
// is secret.
type SyncState struct {
	Linked  bool   `json:"linked"`
	Enabled bool   `json:"enabled"` // sync turned on (Settings)
	Server  string `json:"server,omitempty"`
	Account string `json:"account,omitempty"` // the account's e-mail, for display
	// Cursor is the highest cloud change number applied here.
	Cursor uint64 `json:"cursor"`
	// LatestSeen is the highest change number the cloud ever reported: a cloud that
	// later reports less was rolled back, and is refused.
	LatestSeen uint64    `json:"latest_seen"`
	LastSync   time.Time `json:"last_sync,omitzero"`
}

// SyncState returns the stored sync bookkeeping (zero value if never linked).
func (v *Vault) SyncState() (SyncState, error) {
	var st SyncState
	err := safeView(v.db, func(tx *bolt.Tx) error {
		raw := tx.Bucket(bucketMeta).Get(keySync)
		if raw == nil {
			return nil
		}
		if err := json.Unmarshal(raw, &st); err != nil {
			return fmt.Errorf("%w: sync state", ErrCorrupt)
		}
		return nil
	})
	return st, err
}

func putSyncState(tx *bolt.Tx, st SyncState) error {
	raw, err := json.Marshal(st)
	if err != nil {
		return err
	}
	return tx.Bucket(bucketMeta).Put(keySync, raw)
}

// SetSyncState stores the sync bookkeeping.
func (v *Vault) SetSyncState(st SyncState) error {
	return v.update(func(tx *bolt.Tx) error { return putSyncState(tx, st) })
}

// Outgoing is one pending local change as it will be pushed.
type Outgoing struct {
	ID      ID
	Rev     uint64 // local revision: an acknowledgement applies only if it is unchanged
	Base    uint64 // the cloud change it was based on (0: new)
	Deleted bool
	Sealed  []byte // nonce ‖ ciphertext ‖ tag, bound to (vault ID, item ID)
}

// Outgoing returns up to max pending changes (all when max <= 0). It needs no key.
func (v *Vault) Outgoing(max int) ([]Outgoing, error) {
	var out []Outgoing
	err := safeView(v.db, func(tx *bolt.Tx) error {
		items := tx.Bucket(bucketItems)
		c := tx.Bucket(bucketPending).Cursor()
		for k, _ := c.First(); k != nil && (max <= 0 || len(out) < max); k, _ = c.Next() {
			var id ID
			copy(id[:], k)
			val := items.Get(k)
			if val == nil {
				continue // a never-synced item deleted again: nothing to push
			}
			r, err := parseRecord(val)
			if err != nil {
				return fmt.Errorf("item %s: %w", id, err)
			}
			out = append(out, Outgoing{ID: id, Rev: r.rev, Base: r.base, Deleted: r.deleted, Sealed: bytes.Clone(r.sealed)})
		}
		return nil
	})
	return out, err
}

// Ack says the cloud accepted the change of item ID at local revision Rev as Change.
type Ack struct {
	ID     ID
	Rev    uint64
	Change uint64
}

// Acknowledge records accepted pushes and st in one transaction. An item edited again
// since it was read for the push stays pending, now based on the accepted change, so
// its next push does not conflict with itself.
func (v *Vault) Acknowledge(acks []Ack, st SyncState) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.update(func(tx *bolt.Tx) error {
		items, pending := tx.Bucket(bucketItems), tx.Bucket(bucketPending)
		for _, i := range keyOrder(len(acks), func(i int) ID { return acks[i].ID }) {
			a := acks[i]
			val := items.Get(a.ID[:])
			if val == nil {
				continue
			}
			r, err := parseRecord(val)
			if err != nil {
				return err
			}
			r.sealed = bytes.Clone(r.sealed)
			r.base = a.Change
			if r.rev == a.Rev {
				if err := pending.Delete(a.ID[:]); err != nil {
					return err
				}
				if r.deleted { // the cloud has the deletion: the tombstone is done
					if err := items.Delete(a.ID[:]); err != nil {
						return err
					}
					continue
				}
			}
			if err := items.Put(a.ID[:], r.marshal()); err != nil {
				return err
			}
		}
		return putSyncState(tx, st)
	})
}

// Incoming is one item as the cloud has it.
type Incoming struct {
	ID      ID
	Change  uint64
	Deleted bool
	Sealed  []byte
}

// ApplyReport counts what ApplyRemote did.
type ApplyReport struct {
	Added, Updated, Deleted int
	// Conflicts counts items changed both here and elsewhere; Copies are the conflict
	// copies made so that neither version is lost.
	Conflicts int
	Copies    []ID
}

// ErrRemoteCorrupt means the cloud sent an item that does not authenticate under this
// vault's key: damaged, swapped or forged. Nothing was applied.
var ErrRemoteCorrupt = errors.New("the cloud sent vault data that fails its integrity check; nothing was changed here")

// ApplyRemote merges items pulled from the cloud and stores st, in one transaction.
// Every item is authenticated first; one that fails refuses the whole batch
// (ErrRemoteCorrupt). Rules, so that nothing a person typed is lost:
//   - no local change pending: the cloud's version replaces the local one;
//   - a change pending on both sides: the newer edit wins; the other becomes part of
//     its password history when only the password differs, else a visible conflict
//     copy (a new item, "… (conflict copy)");
//   - deleted there, edited here: the edit wins and is pushed again;
//   - deleted here, edited there: the edit wins and comes back;
//   - a change at or below what this device already holds is an echo and ignored.
func (v *Vault) ApplyRemote(in []Incoming, st SyncState) (ApplyReport, error) {
	var rep ApplyReport
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.key == nil {
		return rep, ErrLocked
	}
	vid := v.header.VaultID
	remote := make([]*Item, len(in))
	var buf []byte
	for i, x := range in {
		if x.Deleted {
			continue
		}
		var err error
		if buf, err = open(buf[:0], v.key, x.Sealed, itemAD(vid, x.ID)); err != nil {
			return rep, fmt.Errorf("%w (item %s)", ErrRemoteCorrupt, x.ID)
		}
		it, err := decodeItem(buf)
		secret.Wipe(buf)
		if err != nil {
			return rep, fmt.Errorf("%w (item %s)", ErrRemoteCorrupt, x.ID)
		}
		it.ID = x.ID
		remote[i] = it
	}

	type change struct{ old, new *Item }
	var changes []change // index updates after commit
	now := v.now().UTC()
	err := v.update(func(tx *bolt.Tx) error {
		items, pending := tx.Bucket(bucketItems), tx.Bucket(bucketPending)
		put := func(id ID, r record, isPending bool) error {
			if err := items.Put(id[:], r.marshal()); err != nil {
				return err
			}
			if isPending {
				return pending.Put(id[:], nil)
			}
			return pending.Delete(id[:])
		}
		for _, i := range keyOrder(len(in), func(i int) ID { return in[i].ID }) {
			x, rit := in[i], remote[i]
			val := items.Get(x.ID[:])
			var local record
			if val != nil {
				var err error
				if local, err = parseRecord(val); err != nil {
					local = record{} // a damaged local record: the cloud's copy repairs it
					val = nil
				}
			}
			isPending := pending.Get(x.ID[:]) != nil
			old := v.idx.get(x.ID)
			switch {
			case val != nil && x.Change <= local.base:
				continue // already have it (our own push coming back)
			case val == nil || !isPending:
				// No local edit: take the cloud's version.
				if x.Deleted {
					if val != nil {
						if err := items.Delete(x.ID[:]); err != nil {
							return err
						}
						if err := pending.Delete(x.ID[:]); err != nil {
							return err
						}
						rep.Deleted++
						changes = append(changes, change{old, nil})
					}
					continue
				}
				if err := put(x.ID, record{rev: local.rev + 1, base: x.Change, sealed: x.Sealed}, false); err != nil {
					return err
				}
				if val == nil {
					rep.Added++
				} else {
					rep.Updated++
				}
				changes = append(changes, change{old, rit})
			case x.Deleted:
				// Deleted there, changed here: keep the local version, re-based.
				local.base = x.Change
				local.rev++
				local.sealed = bytes.Clone(local.sealed)
				if local.deleted { // deleted on both sides
					if err := items.Delete(x.ID[:]); err != nil {
						return err
					}
					if err := pending.Delete(x.ID[:]); err != nil {
						return err
					}
					continue
				}
				rep.Conflicts++
				if err := put(x.ID, local, true); err != nil {
					return err
				}
			case local.deleted:
				// Deleted here, changed there: the edit comes back.
				rep.Conflicts++
				if err := put(x.ID, record{rev: local.rev + 1, base: x.Change, sealed: x.Sealed}, false); err != nil {
					return err
				}
				changes = append(changes, change{nil, rit})
			default:
				// Changed on both sides.
				rep.Conflicts++
				lit := old
				if lit == nil { // local copy unreadable: keep the cloud's, push nothing
					if err := put(x.ID, record{rev: local.rev + 1, base: x.Change, sealed: x.Sealed}, false); err != nil {
						return err
					}
					changes = append(changes, change{nil, rit})
					continue
				}
				winner, loser := lit, rit
				if rit.Modified.After(lit.Modified) {
					winner, loser = rit, lit
				}
				merged, copyItem := mergeConflict(winner, loser, now)
				if copyItem != nil {
					copyItem.ID = newID()
					for v.idx.get(copyItem.ID) != nil || items.Get(copyItem.ID[:]) != nil {
						copyItem.ID = newID()
					}
					if err := put(copyItem.ID, record{rev: 1, sealed: seal(v.key, encodeItem(copyItem), itemAD(vid, copyItem.ID))}, true); err != nil {
						return err
					}
					rep.Copies = append(rep.Copies, copyItem.ID)
					changes = append(changes, change{nil, copyItem})
				}
				if merged == rit {
					// The cloud's version stands as is.
					if err := put(x.ID, record{rev: local.rev + 1, base: x.Change, sealed: x.Sealed}, false); err != nil {
						return err
					}
				} else {
					// The merged version is new: pushed on top of the cloud's change.
					merged.ID = x.ID
					r := record{rev: local.rev + 1, base: x.Change, sealed: seal(v.key, encodeItem(merged), itemAD(vid, x.ID))}
					if err := put(x.ID, r, true); err != nil {
						return err
					}
				}
				changes = append(changes, change{old, merged})
			}
		}
		return putSyncState(tx, st)
	})
	if err != nil {
		return rep, err
	}
	for _, c := range changes {
		switch {
		case c.old != nil && c.new != nil:
			v.idx.replace(c.old, c.new)
		case c.new != nil:
			v.idx.insert(c.new)
		case c.old != nil:
			v.idx.remove(c.old)
		}
	}
	if len(changes) > 0 {
		go v.notify()
	}
	return rep, nil
}

// mergeConflict decides between two versions of one item edited on two devices. It
// returns the version to keep (winner itself when nothing needs adding) and, when the
// loser holds more than an old password, a conflict copy of it.
func mergeConflict(winner, loser *Item, now time.Time) (merged, conflictCopy *Item) {
	a, b := winner.Clone(), loser.Clone()
	for _, x := range []*Item{a, b} {
		x.ID, x.Created, x.Modified, x.History = ID{}, time.Time{}, time.Time{}, nil
	}
	if reflect.DeepEqual(a, b) {
		return winner, nil // the same edit made twice
	}
	merged = winner.Clone()
	// Keep every password either side had in the history, newest first.
	hist := slices.Clone(merged.History)
	add := func(pw string, when time.Time) {
		if pw == "" || pw == merged.Password || slices.ContainsFunc(hist, func(h PastPassword) bool { return h.Password == pw }) {
			return
		}
		hist = append(hist, PastPassword{Password: pw, Replaced: when})
	}
	add(loser.Password, loser.Modified)
	for _, h := range loser.History {
		add(h.Password, h.Replaced)
	}
	slices.SortStableFunc(hist, func(x, y PastPassword) int { return y.Replaced.Compare(x.Replaced) })
	if len(hist) > MaxHistory {
		hist = hist[:MaxHistory]
	}
	merged.History = hist
	b.Password, a.Password = "", ""
	if !reflect.DeepEqual(a, b) {
		// More than the password differs: keep the other version whole, visibly.
		conflictCopy = loser.Clone()
		conflictCopy.Title = loser.Title + " (conflict copy)"
		conflictCopy.Created, conflictCopy.Modified = now, now
	}
	if reflect.DeepEqual(merged.History, winner.History) {
		return winner, conflictCopy
	}
	return merged, conflictCopy
}

// Header relations a device finds when it compares the cloud's header with its own.
var (
	// ErrOtherVault: the cloud holds a different vault (another vault ID).
	ErrOtherVault = errors.New("the account's cloud vault is a different vault from this one")
	// ErrStaleHeader: the cloud's header is older than one this device has seen — a
	// rolled-back or replayed header. Refused.
	ErrStaleHeader = errors.New("the cloud sent an older vault header than this device already has; it was refused")
)

// HeaderBytes returns the current header as stored (what is uploaded to the cloud).
func (v *Vault) HeaderBytes() []byte {
	v.mu.RLock()
	defer v.mu.RUnlock()
	b, _ := v.header.MarshalBinary() // a stored header always marshals
	return b
}

// CompareHeader tells how the cloud's header hb relates to this vault's: nil when it is
// the same; ErrOtherVault; ErrStaleHeader for an older epoch or generation (or a
// different header claiming the same generation); or newer=true when the master
// password was changed on another device (same epoch, higher generation) or the vault
// was replaced there (higher epoch) — epochChanged tells which.
func (v *Vault) CompareHeader(hb []byte) (newer, epochChanged bool, err error) {
	h, err := ParseHeader(hb)
	if err != nil {
		return false, false, err
	}
	v.mu.RLock()
	cur := *v.header
	curBytes, _ := cur.MarshalBinary()
	v.mu.RUnlock()
	switch {
	case h.VaultID != cur.VaultID:
		if h.Epoch < cur.Epoch {
			return false, false, ErrStaleHeader
		}
		return false, false, ErrOtherVault
	case h.Epoch > cur.Epoch:
		return true, true, nil
	case h.Epoch < cur.Epoch, h.Generation < cur.Generation:
		return false, false, ErrStaleHeader
	case h.Generation > cur.Generation:
		return true, false, nil
	case !bytes.Equal(hb, curBytes):
		return false, false, ErrStaleHeader
	}
	return false, false, nil
}

// CheckHeaderPassword reports whether password opens the header hb (a cloud vault's),
// changing nothing: ErrWrongPassword if not, the header's own errors if it is damaged
// or out of bounds.
func CheckHeaderPassword(hb, password []byte) error {
	h, err := ParseHeader(hb)
	if err != nil {
		return err
	}
	key, err := h.unwrap(password)
	if err != nil {
		return err
	}
	secret.Wipe(key)
	return nil
}

// AdoptHeader takes a newer header of the same vault and epoch — the master password
// was changed on another device — after password opens it and it wraps the very key
// this vault uses. Pending changes are kept.
func (v *Vault) AdoptHeader(hb, password []byte) error {
	newer, epochChanged, err := v.CompareHeader(hb)
	if err != nil {
		return err
	}
	if !newer || epochChanged {
		return errors.New("that header is not a newer version of this vault's")
	}
	h, _ := ParseHeader(hb)
	key, err := h.unwrap(password)
	if err != nil {
		return err
	}
	defer secret.Wipe(key)
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.key != nil && !bytes.Equal(key, v.key) {
		return fmt.Errorf("%w: the new header wraps a different key", ErrRemoteCorrupt)
	}
	if v.key == nil { // locked: prove the key against the stored items instead
		if err := v.checkKey(key); err != nil {
			return err
		}
	}
	if err := v.update(func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Put(keyHeader, hb) }); err != nil {
		return err
	}
	v.header = h
	return nil
}

// checkKey reports ErrRemoteCorrupt unless key opens the first stored item.
func (v *Vault) checkKey(key []byte) error {
	return safeView(v.db, func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketItems).Cursor()
		for k, val := c.First(); k != nil; k, val = c.Next() {
			r, err := parseRecord(val)
			if err != nil || r.deleted {
				continue
			}
			if _, err := open(nil, key, r.sealed, itemAD(v.header.VaultID, ID(k))); err != nil {
				return fmt.Errorf("%w: the new header wraps a different key", ErrRemoteCorrupt)
			}
			return nil
		}
		return nil
	})
}

// CreateFromHeader makes a new local vault file for a cloud vault: the cloud's header
// hb, opened with password (which proves it), and no items yet — the sync engine pulls
// them. It returns the vault unlocked.
func CreateFromHeader(path string, hb, password []byte) (*Vault, error) {
	h, err := ParseHeader(hb)
	if err != nil {
		return nil, err
	}
	if fi, err := os.Stat(path); err == nil && fi.Size() > 0 {
		return nil, ErrExists
	}
	key, err := h.unwrap(password)
	if err != nil {
		return nil, err
	}
	v, err := openDB(path, true)
	if err != nil {
		secret.Wipe(key)
		return nil, err
	}
	err = v.db.Update(func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bucketMeta, bucketItems, bucketPending} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		return tx.Bucket(bucketMeta).Put(keyHeader, hb)
	})
	if err != nil {
		secret.Wipe(key)
		return nil, errors.Join(storageErr(err), v.db.Close())
	}
	v.header, v.key, v.idx = h, key, newIndex(0)
	return v, nil
}

// Rebind re-wraps the vault key for a new key epoch (replacing the cloud vault with
// this one bumps the epoch, which is bound to the wrapped key). password must be right.
func (v *Vault) Rebind(password []byte, epoch uint32) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	key, err := v.header.unwrap(password)
	if err != nil {
		return err
	}
	defer secret.Wipe(key)
	return v.rewrap(password, key, func(h *Header) { h.Epoch = epoch })
}

// MarkAllPending marks every stored item as a change to push, based on nothing: for
// uploading this vault as a new or replacing cloud vault.
func (v *Vault) MarkAllPending() error {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.update(func(tx *bolt.Tx) error {
		items, pending := tx.Bucket(bucketItems), tx.Bucket(bucketPending)
		// Collect first: bbolt forbids changing a bucket while iterating over it.
		var tombstones, live [][]byte
		var recs []record
		err := items.ForEach(func(k, val []byte) error {
			r, err := parseRecord(val)
			switch {
			case err != nil: // a damaged record stays as it is and is not uploaded
			case r.deleted:
				tombstones = append(tombstones, bytes.Clone(k))
			default:
				r.base = 0
				r.sealed = bytes.Clone(r.sealed)
				live, recs = append(live, bytes.Clone(k)), append(recs, r)
			}
			return nil
		})
		if err != nil {
			return err
		}
		for i, k := range live {
			if err := items.Put(k, recs[i].marshal()); err != nil {
				return err
			}
			if err := pending.Put(k, nil); err != nil {
				return err
			}
		}
		for _, k := range tombstones {
			if err := items.Delete(k); err != nil {
				return err
			}
			if err := pending.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
}
