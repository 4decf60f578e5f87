package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/valvpm/valv/cloud/api"
)

// The cloud vault store in the bbolt file: one nested bucket per account, holding the
// header, the items and the change log.

// Keys inside one account's vault bucket.
var (
	kHeader  = []byte("header")  // api.VaultHeader JSON (LatestChange not kept here)
	kMeta    = []byte("meta")    // vaultMeta JSON, survives a wipe
	bItems   = []byte("items")   // item ID → api.VaultItem JSON
	bChanges = []byte("changes") // 8-byte big-endian change number → item ID
)

// vaultMeta is the vault bookkeeping that outlives a wipe, so change numbers keep rising
// and a later vault needs a higher key epoch.
type vaultMeta struct {
	LatestChange uint64 `json:"latest_change"`
	Bytes        int64  `json:"bytes"`
	Epoch        uint64 `json:"epoch"` // highest key epoch ever used
}

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
	return v, nil
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

// openHeader opens the account's existing vault and reads its header.
func openHeader(tx *bolt.Tx, accountID string) (*vaultTx, *api.VaultHeader, error) {
	v, err := openVault(tx, accountID, false)
	if err != nil {
		return nil, nil, err
	}
	h, err := v.header()
	return v, h, err
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
		v.meta.Bytes -= int64(len(old.Blob))
	}
	v.meta.LatestChange++
	it := api.VaultItem{ID: p.ID, Change: v.meta.LatestChange, Deleted: p.Deleted}
	if !p.Deleted {
		it.Blob = p.Blob
	}
	v.meta.Bytes += int64(len(it.Blob))
	if err := cb.Put(changeKey(it.Change), []byte(it.ID)); err != nil {
		return 0, err
	}
	return it.Change, putJSON(ib, []byte(it.ID), &it)
}

// checkItems validates IDs and sizes before anything is written.
func checkItems(items []api.PushItem, lim Limits) error {
	if lim.MaxPushItems > 0 && len(items) > lim.MaxPushItems {
		return ErrTooManyItems
	}
	seen := make(map[string]bool, len(items))
	for _, it := range items {
		if it.ID == "" || len(it.ID) > MaxItemIDLen || seen[it.ID] {
			return fmt.Errorf("%w: %q", ErrInvalidItem, truncate(it.ID))
		}
		seen[it.ID] = true
		if !it.Deleted && lim.MaxItemBytes > 0 && len(it.Blob) > lim.MaxItemBytes {
			return fmt.Errorf("%w: item %q has %d bytes", ErrItemTooLarge, it.ID, len(it.Blob))
		}
	}
	return nil
}

func truncate(s string) string {
	if len(s) > 32 {
		return s[:32] + "…"
	}
	return s
}

func checkHeader(h api.VaultHeader) error {
	if h.VaultID == "" || len(h.VaultID) > MaxItemIDLen || len(h.WrappedKey) == 0 || h.KeyEpoch == 0 {
		return ErrInvalidHeader
	}
	if len(h.WrappedKey) > 4096 || len(h.KDF) > 4096 {
		return ErrInvalidHeader
	}
	return nil
}

func putHeader(v *vaultTx, h api.VaultHeader) error {
	h.LatestChange = 0
	if h.KDF == nil {
		h.KDF = json.RawMessage("null")
	}
	return putJSON(v.b, kHeader, &h)
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
	return out, err
}

// Push implements Store.
func (s *Bolt) Push(accountID string, req api.PushRequest, lim Limits) (*api.PushResponse, error) {
	if err := checkItems(req.Items, lim); err != nil {
		return nil, err
	}
	var out api.PushResponse
	err := s.db.Update(func(tx *bolt.Tx) error {
		v, h, err := openHeader(tx, accountID)
		if err != nil {
			return err
		}
		if h.KeyEpoch != req.KeyEpoch {
			return &EpochError{Current: h.KeyEpoch}
		}
		olds := make([]*api.VaultItem, len(req.Items))
		var conflicts []api.VaultItem
		size := v.meta.Bytes
		for i, p := range req.Items {
			old, err := v.item(p.ID)
			if err != nil {
				return err
			}
			olds[i] = old
			var cur uint64
			if old != nil {
				cur = old.Change
				size -= int64(len(old.Blob))
			}
			if cur != p.BaseChange {
				if old == nil { // a base the server never had: tell the client it is absent
					old = &api.VaultItem{ID: p.ID, Deleted: true}
				}
				conflicts = append(conflicts, *old)
			}
			if !p.Deleted {
				size += int64(len(p.Blob))
			}
		}
		if len(conflicts) > 0 {
			return &ConflictError{Items: conflicts}
		}
		if lim.MaxVaultBytes > 0 && size > lim.MaxVaultBytes {
			return ErrVaultTooLarge
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
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// Pull implements Store.
func (s *Bolt) Pull(accountID string, since uint64, limit int) (*api.PullResponse, error) {
	if limit <= 0 || limit > api.MaxPullLimit {
		limit = api.MaxPullLimit
	}
	out := api.PullResponse{Items: []api.VaultItem{}, Next: since}
	err := s.db.View(func(tx *bolt.Tx) error {
		v, h, err := openHeader(tx, accountID)
		if err != nil {
			return err
		}
		out.KeyEpoch, out.LatestChange = h.KeyEpoch, h.LatestChange
		cb, ib := v.b.Bucket(bChanges), v.b.Bucket(bItems)
		if cb == nil || ib == nil {
			return nil
		}
		c := cb.Cursor()
		k, id := c.Seek(changeKey(since + 1))
		for ; k != nil && len(out.Items) < limit; k, id = c.Next() {
			var it api.VaultItem
			if err := getJSON(ib, id, &it); err != nil {
				return fmt.Errorf("store: change %d points to a missing item: %w", binary.BigEndian.Uint64(k), err)
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
	if err := checkHeader(h); err != nil {
		return nil, err
	}
	if err := checkItems(items, lim); err != nil {
		return nil, err
	}
	var size int64
	for _, it := range items {
		if !it.Deleted {
			size += int64(len(it.Blob))
		}
	}
	if lim.MaxVaultBytes > 0 && size > lim.MaxVaultBytes {
		return nil, ErrVaultTooLarge
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
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// clear drops header and items but keeps meta (change counter, epoch).
func (v *vaultTx) clear() error {
	for _, b := range [][]byte{bItems, bChanges} {
		if v.b.Bucket(b) != nil {
			if err := v.b.DeleteBucket(b); err != nil {
				return err
			}
		}
	}
	v.meta.Bytes = 0
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
		if err := v.clear(); err != nil {
			return err
		}
		v.meta.Epoch++
		out = api.ReplaceResponse{KeyEpoch: v.meta.Epoch, LatestChange: v.meta.LatestChange}
		return v.saveMeta()
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}
