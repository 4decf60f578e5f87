package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/valvpm/valv/cloud/api"
)

// Top-level buckets. Vaults get one nested bucket per account so that deleting an
// account or wiping a vault is one DeleteBucket.
var (
	bAccounts   = []byte("accounts")   // id → Account JSON
	bEmails     = []byte("emails")     // email → id
	bIdentities = []byte("identities") // provider \x00 subject → id
	bSessions   = []byte("sessions")   // id → Session JSON
	bAcctSess   = []byte("acct_sess")  // accountID \x00 sessionID → nil
	bLicences   = []byte("licences")   // accountID \x00 licenceID → Licence JSON
	bCodes      = []byte("codes")      // activation code → ActivationCode JSON
	bTemp       = []byte("temp")       // kind → nested: key → 8-byte expiry ‖ value
	bVaults     = []byte("vaults")     // accountID → nested vault bucket
	topBuckets  = [][]byte{bAccounts, bEmails, bIdentities, bSessions, bAcctSess, bLicences, bCodes, bTemp, bVaults}
)

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

// Bolt is the embedded Store: one bbolt file.
type Bolt struct {
	db *bolt.DB
}

var _ Store = (*Bolt)(nil)

// Open opens (creating if needed) the store in dir/valv-cloud.db. The folder is made
// 0700 and the file 0600: it holds password hashes and everyone's sealed vaults. A second
// process on the same folder fails after a short wait instead of hanging.
func Open(dir string) (*Bolt, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("store: create data folder: %w", err)
	}
	db, err := bolt.Open(filepath.Join(dir, "valv-cloud.db"), 0o600, &bolt.Options{Timeout: 2 * time.Second})
	if err != nil {
		return nil, fmt.Errorf("store: open %s (is another valv-cloud using it?): %w", dir, err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range topBuckets {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		cerr := db.Close()
		return nil, errors.Join(fmt.Errorf("store: init: %w", err), cerr)
	}
	return &Bolt{db: db}, nil
}

// Close closes the bbolt file.
func (s *Bolt) Close() error { return s.db.Close() }

func key2(a, b string) []byte { return []byte(a + "\x00" + b) }

func getJSON(b *bolt.Bucket, k []byte, v any) error {
	raw := b.Get(k)
	if raw == nil {
		return ErrNotFound
	}
	return json.Unmarshal(raw, v)
}

func putJSON(b *bolt.Bucket, k []byte, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return b.Put(k, raw)
}

// CreateAccount implements Store.
func (s *Bolt) CreateAccount(a *Account) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		if tx.Bucket(bEmails).Get([]byte(a.Email)) != nil {
			return ErrEmailTaken
		}
		for _, id := range a.Identities {
			if tx.Bucket(bIdentities).Get(key2(id.Provider, id.Subject)) != nil {
				return ErrIdentityTaken
			}
		}
		return writeAccount(tx, nil, a)
	})
}

// writeAccount stores a and moves its index entries from old (nil for a new account).
func writeAccount(tx *bolt.Tx, old, a *Account) error {
	emails, ids := tx.Bucket(bEmails), tx.Bucket(bIdentities)
	if old != nil && old.Email != a.Email {
		if emails.Get([]byte(a.Email)) != nil {
			return ErrEmailTaken
		}
		if err := emails.Delete([]byte(old.Email)); err != nil {
			return err
		}
	}
	if err := emails.Put([]byte(a.Email), []byte(a.ID)); err != nil {
		return err
	}
	if old != nil {
		for _, id := range old.Identities {
			if err := ids.Delete(key2(id.Provider, id.Subject)); err != nil {
				return err
			}
		}
	}
	for _, id := range a.Identities {
		k := key2(id.Provider, id.Subject)
		if v := ids.Get(k); v != nil && string(v) != a.ID {
			return ErrIdentityTaken
		}
		if err := ids.Put(k, []byte(a.ID)); err != nil {
			return err
		}
	}
	return putJSON(tx.Bucket(bAccounts), []byte(a.ID), a)
}

// Account implements Store.
func (s *Bolt) Account(id string) (*Account, error) {
	var a Account
	err := s.db.View(func(tx *bolt.Tx) error { return getJSON(tx.Bucket(bAccounts), []byte(id), &a) })
	if err != nil {
		return nil, err
	}
	return &a, nil
}

func (s *Bolt) accountByIndex(bucket, k []byte) (*Account, error) {
	var a Account
	err := s.db.View(func(tx *bolt.Tx) error {
		id := tx.Bucket(bucket).Get(k)
		if id == nil {
			return ErrNotFound
		}
		return getJSON(tx.Bucket(bAccounts), id, &a)
	})
	if err != nil {
		return nil, err
	}
	return &a, nil
}

// AccountByEmail implements Store.
func (s *Bolt) AccountByEmail(email string) (*Account, error) {
	return s.accountByIndex(bEmails, []byte(email))
}

// AccountByIdentity implements Store.
func (s *Bolt) AccountByIdentity(provider, subject string) (*Account, error) {
	return s.accountByIndex(bIdentities, key2(provider, subject))
}

// UpdateAccount implements Store.
func (s *Bolt) UpdateAccount(id string, fn func(a *Account) error) (*Account, error) {
	var a Account
	err := s.db.Update(func(tx *bolt.Tx) error {
		var old Account
		if err := getJSON(tx.Bucket(bAccounts), []byte(id), &old); err != nil {
			return err
		}
		if err := getJSON(tx.Bucket(bAccounts), []byte(id), &a); err != nil {
			return err
		}
		if err := fn(&a); err != nil {
			return err
		}
		a.ID = id // the ID is the key; fn cannot move the record
		return writeAccount(tx, &old, &a)
	})
	if err != nil {
		return nil, err
	}
	return &a, nil
}

// DeleteAccount implements Store.
func (s *Bolt) DeleteAccount(id string) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		var a Account
		if err := getJSON(tx.Bucket(bAccounts), []byte(id), &a); err != nil {
			return err
		}
		if err := tx.Bucket(bEmails).Delete([]byte(a.Email)); err != nil {
			return err
		}
		for _, i := range a.Identities {
			if err := tx.Bucket(bIdentities).Delete(key2(i.Provider, i.Subject)); err != nil {
				return err
			}
		}
		prefix := key2(id, "")
		sessions := tx.Bucket(bSessions)
		if err := deletePrefix(tx.Bucket(bAcctSess), prefix, func(k []byte) error {
			return sessions.Delete(k[len(prefix):])
		}); err != nil {
			return err
		}
		if err := deletePrefix(tx.Bucket(bLicences), prefix, func([]byte) error { return nil }); err != nil {
			return err
		}
		if tx.Bucket(bVaults).Bucket([]byte(id)) != nil {
			if err := tx.Bucket(bVaults).DeleteBucket([]byte(id)); err != nil {
				return err
			}
		}
		return tx.Bucket(bAccounts).Delete([]byte(id))
	})
}

// deletePrefix deletes every key with prefix, calling also(k) first for each.
func deletePrefix(b *bolt.Bucket, prefix []byte, also func(k []byte) error) error {
	var keys [][]byte
	c := b.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		keys = append(keys, append([]byte(nil), k...))
	}
	for _, k := range keys {
		if err := also(k); err != nil {
			return err
		}
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// PutSession implements Store.
func (s *Bolt) PutSession(se *Session) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		if err := tx.Bucket(bAcctSess).Put(key2(se.AccountID, se.ID), []byte{}); err != nil {
			return err
		}
		return putJSON(tx.Bucket(bSessions), []byte(se.ID), se)
	})
}

// Session implements Store.
func (s *Bolt) Session(id string) (*Session, error) {
	var se Session
	err := s.db.View(func(tx *bolt.Tx) error { return getJSON(tx.Bucket(bSessions), []byte(id), &se) })
	if err != nil {
		return nil, err
	}
	return &se, nil
}

// Sessions implements Store.
func (s *Bolt) Sessions(accountID string) ([]*Session, error) {
	var out []*Session
	err := s.db.View(func(tx *bolt.Tx) error {
		prefix := key2(accountID, "")
		c := tx.Bucket(bAcctSess).Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			var se Session
			if err := getJSON(tx.Bucket(bSessions), k[len(prefix):], &se); err != nil {
				return err
			}
			out = append(out, &se)
		}
		return nil
	})
	return out, err
}

// DeleteSession implements Store.
func (s *Bolt) DeleteSession(accountID, id string) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		k := key2(accountID, id)
		if tx.Bucket(bAcctSess).Get(k) == nil {
			return ErrNotFound
		}
		if err := tx.Bucket(bAcctSess).Delete(k); err != nil {
			return err
		}
		return tx.Bucket(bSessions).Delete([]byte(id))
	})
}

// Licences implements Store.
func (s *Bolt) Licences(accountID string) ([]*Licence, error) {
	var out []*Licence
	err := s.db.View(func(tx *bolt.Tx) error {
		prefix := key2(accountID, "")
		c := tx.Bucket(bLicences).Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			var l Licence
			if err := json.Unmarshal(v, &l); err != nil {
				return err
			}
			out = append(out, &l)
		}
		return nil
	})
	return out, err
}

// PutLicence implements Store.
func (s *Bolt) PutLicence(l *Licence) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		return putJSON(tx.Bucket(bLicences), key2(l.AccountID, l.ID), l)
	})
}

// PutActivationCode implements Store.
func (s *Bolt) PutActivationCode(c *ActivationCode) error {
	return s.db.Update(func(tx *bolt.Tx) error { return putJSON(tx.Bucket(bCodes), []byte(c.Code), c) })
}

// RedeemActivationCode implements Store.
func (s *Bolt) RedeemActivationCode(code, accountID string, now time.Time, mk func(c *ActivationCode) *Licence) (*Licence, error) {
	var l *Licence
	err := s.db.Update(func(tx *bolt.Tx) error {
		var c ActivationCode
		if err := getJSON(tx.Bucket(bCodes), []byte(code), &c); err != nil {
			return err
		}
		if c.UsedBy != "" {
			return ErrCodeUsed
		}
		c.UsedBy, c.UsedAt = accountID, now
		if err := putJSON(tx.Bucket(bCodes), []byte(code), &c); err != nil {
			return err
		}
		l = mk(&c)
		return putJSON(tx.Bucket(bLicences), key2(l.AccountID, l.ID), l)
	})
	if err != nil {
		return nil, err
	}
	return l, nil
}

// Temp implements Store.
func (s *Bolt) Temp(kind, key string, now time.Time, fn TempFunc) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		b, err := tx.Bucket(bTemp).CreateBucketIfNotExists([]byte(kind))
		if err != nil {
			return err
		}
		var cur []byte
		if raw := b.Get([]byte(key)); len(raw) >= 8 {
			exp := time.Unix(0, int64(binary.BigEndian.Uint64(raw[:8])))
			if now.Before(exp) {
				cur = append([]byte(nil), raw[8:]...)
			}
		}
		val, exp, err := fn(cur)
		if err != nil {
			return err
		}
		if val == nil {
			return b.Delete([]byte(key))
		}
		rec := make([]byte, 8+len(val))
		binary.BigEndian.PutUint64(rec, uint64(exp.UnixNano()))
		copy(rec[8:], val)
		return b.Put([]byte(key), rec)
	})
}

// PurgeExpired implements Store.
func (s *Bolt) PurgeExpired(now time.Time) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bTemp).ForEachBucket(func(kind []byte) error {
			b := tx.Bucket(bTemp).Bucket(kind)
			var dead [][]byte
			err := b.ForEach(func(k, v []byte) error {
				if len(v) < 8 || !now.Before(time.Unix(0, int64(binary.BigEndian.Uint64(v[:8])))) {
					dead = append(dead, append([]byte(nil), k...))
				}
				return nil
			})
			if err != nil {
				return err
			}
			for _, k := range dead {
				if err := b.Delete(k); err != nil {
					return err
				}
			}
			return nil
		})
	})
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
		v, err := openVault(tx, accountID, false)
		if err != nil {
			return err
		}
		h, err := v.header()
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
