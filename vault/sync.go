package vault

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
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

// OutgoingInCloud returns every pending change and how many of the vault's entries
// the cloud already has (live items that are not new here), read in one transaction:
// the two numbers agree with each other even while items are being saved, which the
// plan's entry limit relies on to reckon the room left. It needs no key.
func (v *Vault) OutgoingInCloud() ([]Outgoing, int, error) {
	var out []Outgoing
	inCloud := 0
	err := safeView(v.db, func(tx *bolt.Tx) error {
		pending := map[ID]bool{}
		c := tx.Bucket(bucketPending).Cursor()
		for k, _ := c.First(); k != nil; k, _ = c.Next() {
			var id ID
			copy(id[:], k)
			pending[id] = true
		}
		return tx.Bucket(bucketItems).ForEach(func(k, val []byte) error {
			var id ID
			copy(id[:], k)
			isPending := pending[id]
			r, err := parseRecord(val)
			switch {
			case err != nil && isPending:
				return fmt.Errorf("item %s: %w", id, err)
			case err != nil: // a damaged record the cloud may have: Outgoing skips it too
				return nil
			}
			if !r.deleted && (r.base > 0 || !isPending) {
				inCloud++
			}
			if isPending {
				out = append(out, Outgoing{ID: id, Rev: r.rev, Base: r.base, Deleted: r.deleted, Sealed: bytes.Clone(r.sealed)})
			}
			return nil
		})
	})
	return out, inCloud, err
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

// HeaderRelation is how the cloud's header relates to this vault's, when it is not an
// error (CompareHeader).
type HeaderRelation int

// The relations.
const (
	HeaderSame                HeaderRelation = iota // byte for byte the header this vault has
	HeaderPasswordChanged                           // same vault and epoch, higher generation: the master password was changed on another device
	HeaderPasswordChangedHere                       // same vault and epoch, lower generation: it was changed here, and the cloud is to get this header
	HeaderReplaced                                  // a higher key epoch: replaced, reset or cleared on another device
)

// CompareHeader tells how the cloud's header hb relates to this vault's. It is the one
// decision table of the header, shared by the sync engine and AdoptHeader. linked says
// whether this vault already syncs with that cloud vault: a vault that does not yet
// takes any other vault ID as ErrOtherVault, one that does only under a higher epoch
// (the cloud vault was replaced by another vault). ErrStaleHeader is everything older
// than what this device has: a lower epoch, another vault ID at the same or a lower
// epoch, or a different header claiming the same generation — a rolled-back or
// replayed header.
func (v *Vault) CompareHeader(hb []byte, linked bool) (HeaderRelation, error) {
	h, err := ParseHeader(hb)
	if err != nil {
		return 0, err
	}
	v.mu.RLock()
	cur := *v.header
	curBytes, _ := cur.MarshalBinary()
	v.mu.RUnlock()
	switch {
	case h.VaultID != cur.VaultID && !linked:
		return 0, ErrOtherVault
	case h.Epoch > cur.Epoch:
		return HeaderReplaced, nil
	case h.VaultID != cur.VaultID, h.Epoch < cur.Epoch:
		return 0, ErrStaleHeader
	case h.Generation < cur.Generation:
		return HeaderPasswordChangedHere, nil
	case h.Generation > cur.Generation:
		return HeaderPasswordChanged, nil
	case !bytes.Equal(hb, curBytes):
		return 0, fmt.Errorf("%w: a different header with the same generation", ErrStaleHeader)
	}
	return HeaderSame, nil
}

// CheckHeaderPassword reports whether password opens the header hb (a cloud vault's),
// changing nothing: ErrWrongPassword if not, the header's own errors if it is damaged
// or out of bounds.
func CheckHeaderPassword(hb, password []byte) error {
	h, err := ParseHeader(hb)
	if err != nil {
		return err
	}
	return h.checkPassword(password)
}

// AdoptHeader takes a newer header of the same vault and epoch — the master password
// was changed on another device — after password opens it and it wraps the very key
// this vault uses. Pending changes are kept.
func (v *Vault) AdoptHeader(hb, password []byte) error {
	rel, err := v.CompareHeader(hb, true)
	if err != nil {
		return err
	}
	switch rel {
	case HeaderPasswordChanged:
	case HeaderPasswordChangedHere: // for adopting, an older generation is a replay
		return fmt.Errorf("%w: it is from before this vault's master password change", ErrStaleHeader)
	default:
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
	v.header, v.idx = h, newIndex(0)
	v.setKey(key)
	return v, nil
}

// Rebind re-wraps the vault key for a new key epoch (replacing the cloud vault with
// this one bumps the epoch, which is bound to the wrapped key). password must be right.
func (v *Vault) Rebind(password []byte, epoch uint32) error {
	return v.rekey(password, password, func(h *Header) { h.Epoch = epoch })
}

// MarkAllPending marks every stored item as a change to push, based on nothing: for
// uploading this vault as a new or replacing cloud vault.
func (v *Vault) MarkAllPending() error {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.update(func(tx *bolt.Tx) error {
		items, pending := batchBuckets(tx)
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
		// A new cloud vault has no files yet: every chunk goes up again, and nothing
		// removed here needs deleting there.
		return dropBuckets(tx, bucketUploaded, bucketRemoved)
	})
}
