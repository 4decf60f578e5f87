package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/valvpm/valv/cloud/api"
)

// Keys inside one account's vault bucket.
var (
	kHeader  = []byte("header")  // api.VaultHeader JSON (LatestChange not kept here)
	kMeta    = []byte("meta")    // vaultMeta JSON, survives a wipe
	bItems   = []byte("items")   // item ID → api.VaultItem JSON
	bChanges = []byte("changes") // 8-byte big-endian change number → item ID
	// bAttachments holds one bucket per attachment ID: 4-byte big-endian chunk index
	// → sealed chunk.
	bAttachments = []byte("attachments")
)

func changeKey(n uint64) []byte {
	var k [8]byte
	binary.BigEndian.PutUint64(k[:], n)
	return k[:]
}

// vaultTx gives the vault operations one account's vault bucket (created when write).
type vaultTx struct {
	b    *bolt.Bucket
	meta vaultMeta
}

func openVault(tx *bolt.Tx, accountID string, write bool) (*vaultTx, error) {
	vb := tx.Bucket(bVaults).Bucket([]byte(accountID))
	if vb == nil {
		if !write {
			return nil, ErrVaultNotFound
		}
		var err error
		if vb, err = tx.Bucket(bVaults).CreateBucket([]byte(accountID)); err != nil {
			return nil, err
		}
	}
	v := &vaultTx{b: vb}
	if raw := vb.Get(kMeta); raw != nil {
		if err := json.Unmarshal(raw, &v.meta); err != nil {
			return nil, err
		}
	}
	if tx.Writable() && v.meta.Accounting == 0 {
		if err := v.recount(); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// recount sets Bytes and Entries from the stored items.
func (v *vaultTx) recount() error {
	v.meta.Bytes, v.meta.Entries, v.meta.Accounting = 0, 0, 1
	ib := v.b.Bucket(bItems)
	if ib == nil {
		return nil
	}
	return ib.ForEach(func(_, raw []byte) error {
		var it api.VaultItem
		if err := json.Unmarshal(raw, &it); err != nil {
			return err
		}
		v.meta.Bytes += itemSize(len(it.Blob))
		if !it.Deleted {
			v.meta.Entries++
		}
		return nil
	})
}

func (v *vaultTx) header() (*api.VaultHeader, error) {
	var h api.VaultHeader
	if err := getJSON(v.b, kHeader, &h); err != nil {
		if errors.Is(err, ErrNotFound) {
			return nil, ErrVaultNotFound
		}
		return nil, err
	}
	h.LatestChange = v.meta.LatestChange
	return &h, nil
}

func (v *vaultTx) saveMeta() error { return putJSON(v.b, kMeta, &v.meta) }

func (v *vaultTx) item(id string) (*api.VaultItem, error) {
	ib := v.b.Bucket(bItems)
	if ib == nil {
		return nil, nil
	}
	var it api.VaultItem
	if err := getJSON(ib, []byte(id), &it); err != nil {
		if errors.Is(err, ErrNotFound) {
			return nil, nil
		}
		return nil, err
	}
	return &it, nil
}

// write stores the new version of an item under the next change number.
func (v *vaultTx) write(p api.PushItem, old *api.VaultItem) (uint64, error) {
	ib, err := v.b.CreateBucketIfNotExists(bItems)
	if err != nil {
		return 0, err
	}
	cb, err := v.b.CreateBucketIfNotExists(bChanges)
	if err != nil {
		return 0, err
	}
	if old != nil {
		if err := cb.Delete(changeKey(old.Change)); err != nil {
			return 0, err
		}
		v.meta.Bytes -= itemSize(len(old.Blob))
		if !old.Deleted {
			v.meta.Entries--
		}
	}
	v.meta.LatestChange++
	it := api.VaultItem{ID: p.ID, Change: v.meta.LatestChange, Deleted: p.Deleted}
	if !p.Deleted {
		it.Blob = p.Blob
		v.meta.Entries++
	}
	v.meta.Bytes += itemSize(len(it.Blob))
	if err := cb.Put(changeKey(it.Change), []byte(it.ID)); err != nil {
		return 0, err
	}
	return it.Change, putJSON(ib, []byte(it.ID), &it)
}

func putHeader(v *vaultTx, h api.VaultHeader) error {
	raw, err := headerRecord(h)
	if err != nil {
		return err
	}
	return v.b.Put(kHeader, raw)
}

// VaultHeader implements Store.
func (s *Bolt) VaultHeader(accountID string) (*api.VaultHeader, error) {
	var h *api.VaultHeader
	err := s.db.View(func(tx *bolt.Tx) error {
		v, err := openVault(tx, accountID, false)
		if err != nil {
			return err
		}
		h, err = v.header()
		return err
	})
	return h, err
}

// PutVaultHeader implements Store.
func (s *Bolt) PutVaultHeader(accountID string, h api.VaultHeader) (*api.VaultHeader, error) {
	if err := checkHeader(h); err != nil {
		return nil, err
	}
	var out *api.VaultHeader
	err := s.db.Update(func(tx *bolt.Tx) error {
		v, err := openVault(tx, accountID, true)
		if err != nil {
			return err
		}
		cur, err := v.header()
		switch {
		case errors.Is(err, ErrVaultNotFound):
			if h.KeyEpoch <= v.meta.Epoch {
				return &EpochError{Current: v.meta.Epoch}
			}
			v.meta.Epoch = h.KeyEpoch
		case err != nil:
			return err
		case cur.VaultID != h.VaultID:
			return ErrVaultExists
		case cur.KeyEpoch != h.KeyEpoch:
			return &EpochError{Current: cur.KeyEpoch}
		}
		if err := putHeader(v, h); err != nil {
			return err
		}
		if err := v.saveMeta(); err != nil {
			return err
		}
		out, err = v.header()
		return err
	})
	s.announce(accountID, err)
	return out, err
}

// Push implements Store.
func (s *Bolt) Push(accountID string, req api.PushRequest, lim Limits) (*api.PushResponse, error) {
	if err := checkItems(req.Items, lim, lim.MaxPushBytes); err != nil {
		return nil, err
	}
	var out api.PushResponse
	err := s.db.Update(func(tx *bolt.Tx) error {
		v, err := openVault(tx, accountID, false)
		if err != nil {
			return err
		}
		h, err := v.header()
		if err != nil {
			return err
		}
		if h.KeyEpoch != req.KeyEpoch {
			return &EpochError{Current: h.KeyEpoch}
		}
		olds := make([]*api.VaultItem, len(req.Items))
		cur := make([]storedItem, len(req.Items))
		for i, p := range req.Items {
			if olds[i], err = v.item(p.ID); err != nil {
				return err
			}
			if old := olds[i]; old != nil {
				cur[i] = storedItem{found: true, change: old.Change, deleted: old.Deleted, blobLen: len(old.Blob)}
			}
		}
		_, stale, err := planPush(req.Items, cur, v.meta, lim)
		if err != nil {
			return err
		}
		if len(stale) > 0 {
			return conflictAnswer(req.Items, stale, olds, lim.MaxPullBytes)
		}
		for i, p := range req.Items {
			c, err := v.write(p, olds[i])
			if err != nil {
				return err
			}
			out.Items = append(out.Items, api.PushResult{ID: p.ID, Change: c})
		}
		out.LatestChange = v.meta.LatestChange
		return v.saveMeta()
	})
	s.announce(accountID, err)
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// Pull implements Store.
func (s *Bolt) Pull(accountID string, since uint64, limit int, lim Limits) (*api.PullResponse, error) {
	page := pullPage{limit: pullLimit(limit), maxBytes: lim.MaxPullBytes}
	out := api.PullResponse{Items: []api.VaultItem{}, Next: since}
	err := s.db.View(func(tx *bolt.Tx) error {
		v, err := openVault(tx, accountID, false)
		if err != nil {
			return err
		}
		h, err := v.header()
		if err != nil {
			return err
		}
		out.KeyEpoch, out.LatestChange = h.KeyEpoch, h.LatestChange
		if since > h.LatestChange { // also keeps since+1 below from wrapping to 0
			return ErrSinceAhead
		}
		cb, ib := v.b.Bucket(bChanges), v.b.Bucket(bItems)
		if cb == nil || ib == nil {
			return nil
		}
		c := cb.Cursor()
		k, id := c.Seek(changeKey(since + 1))
		for ; k != nil; k, id = c.Next() {
			var it api.VaultItem
			if err := getJSON(ib, id, &it); err != nil {
				return fmt.Errorf("store: change %d points to a missing item: %w", binary.BigEndian.Uint64(k), err)
			}
			if !page.take(len(it.Blob)) {
				break // this item starts the next page
			}
			out.Items = append(out.Items, it)
			out.Next = it.Change
		}
		out.More = k != nil
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// Replace implements Store.
func (s *Bolt) Replace(accountID string, h api.VaultHeader, items []api.PushItem, lim Limits) (*api.ReplaceResponse, error) {
	if _, err := checkReplace(h, items, lim); err != nil {
		return nil, err
	}
	var out api.ReplaceResponse
	err := s.db.Update(func(tx *bolt.Tx) error {
		v, err := openVault(tx, accountID, true)
		if err != nil {
			return err
		}
		if h.KeyEpoch <= v.meta.Epoch {
			return &EpochError{Current: v.meta.Epoch}
		}
		if err := v.clear(); err != nil {
			return err
		}
		v.meta.Epoch = h.KeyEpoch
		if err := putHeader(v, h); err != nil {
			return err
		}
		for _, p := range items {
			if _, err := v.write(p, nil); err != nil {
				return err
			}
		}
		out = api.ReplaceResponse{KeyEpoch: v.meta.Epoch, LatestChange: v.meta.LatestChange}
		return v.saveMeta()
	})
	s.announce(accountID, err)
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// clear drops header, items and attachments but keeps meta (change counter, epoch).
func (v *vaultTx) clear() error {
	v.meta.AttachmentBytes = 0
	for _, b := range [][]byte{bItems, bChanges, bAttachments} {
		if v.b.Bucket(b) != nil {
			if err := v.b.DeleteBucket(b); err != nil {
				return err
			}
		}
	}
	v.meta.Bytes, v.meta.Entries = 0, 0
	return v.b.Delete(kHeader)
}

// Wipe implements Store.
func (s *Bolt) Wipe(accountID string) (*api.ReplaceResponse, error) {
	var out api.ReplaceResponse
	err := s.db.Update(func(tx *bolt.Tx) error {
		v, err := openVault(tx, accountID, true)
		if err != nil {
			return err
		}
		if v.meta.Epoch >= api.MaxKeyEpoch {
			return ErrEpochLimit
		}
		if err := v.clear(); err != nil {
			return err
		}
		v.meta.Epoch++
		out = api.ReplaceResponse{KeyEpoch: v.meta.Epoch, LatestChange: v.meta.LatestChange}
		return v.saveMeta()
	})
	s.announce(accountID, err)
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// announce tells the vault's watchers of a change that committed.
func (s *Bolt) announce(accountID string, err error) {
	if err == nil {
		s.hub.publish(accountID)
	}
}
