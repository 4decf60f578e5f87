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

// Bolt is the embedded Store: one bbolt file.
type Bolt struct {
	db  *bolt.DB
	hub hub
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

// viewJSON reads the JSON record at k of bucket, or ErrNotFound.
func viewJSON[T any](s *Bolt, bucket, k []byte) (*T, error) {
	var v T
	if err := s.db.View(func(tx *bolt.Tx) error { return getJSON(tx.Bucket(bucket), k, &v) }); err != nil {
		return nil, err
	}
	return &v, nil
}

// decodeJSON decodes a stored record; a missing one is ErrNotFound.
func decodeJSON[T any](raw []byte) (*T, error) {
	if raw == nil {
		return nil, ErrNotFound
	}
	var v T
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, err
	}
	return &v, nil
}

// prefixed calls fn for every record of b whose key starts with prefix, in key order.
func prefixed(b *bolt.Bucket, prefix []byte, fn func(k, v []byte) error) error {
	c := b.Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		if err := fn(k, v); err != nil {
			return err
		}
	}
	return nil
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
	return viewJSON[Account](s, bAccounts, []byte(id))
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
	return viewJSON[Session](s, bSessions, []byte(id))
}

// SessionAccount implements Store.
func (s *Bolt) SessionAccount(id string) (*Session, *Account, error) {
	var se Session
	var a *Account
	err := s.db.View(func(tx *bolt.Tx) error {
		if err := getJSON(tx.Bucket(bSessions), []byte(id), &se); err != nil {
			return err
		}
		var acct Account
		switch err := getJSON(tx.Bucket(bAccounts), []byte(se.AccountID), &acct); {
		case err == nil:
			a = &acct
		case !errors.Is(err, ErrNotFound):
			return err
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return &se, a, nil
}

// Sessions implements Store.
func (s *Bolt) Sessions(accountID string) ([]*Session, error) {
	var out []*Session
	err := s.db.View(func(tx *bolt.Tx) error {
		prefix := key2(accountID, "")
		return prefixed(tx.Bucket(bAcctSess), prefix, func(k, _ []byte) error {
			se, err := decodeJSON[Session](tx.Bucket(bSessions).Get(k[len(prefix):]))
			if err == nil {
				out = append(out, se)
			}
			return err
		})
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

// UpdateSession implements Store.
func (s *Bolt) UpdateSession(id string, fn func(se *Session) (bool, error)) (*Session, error) {
	var se Session
	err := s.db.Update(func(tx *bolt.Tx) error {
		if err := getJSON(tx.Bucket(bSessions), []byte(id), &se); err != nil {
			return err
		}
		keep, err := fn(&se)
		if err != nil {
			return err
		}
		if !keep {
			if err := tx.Bucket(bAcctSess).Delete(key2(se.AccountID, id)); err != nil {
				return err
			}
			return tx.Bucket(bSessions).Delete([]byte(id))
		}
		se.ID = id // the ID is the key; fn cannot move the record
		return putJSON(tx.Bucket(bSessions), []byte(id), &se)
	})
	if err != nil {
		return nil, err
	}
	return &se, nil
}

// DeleteSessions implements Store.
func (s *Bolt) DeleteSessions(accountID, keep string) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		prefix := key2(accountID, "")
		var ids [][]byte
		c := tx.Bucket(bAcctSess).Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			if id := k[len(prefix):]; string(id) != keep {
				ids = append(ids, append([]byte(nil), id...))
			}
		}
		for _, id := range ids {
			if err := tx.Bucket(bAcctSess).Delete(key2(accountID, string(id))); err != nil {
				return err
			}
			if err := tx.Bucket(bSessions).Delete(id); err != nil {
				return err
			}
		}
		return nil
	})
}

// Licences implements Store.
func (s *Bolt) Licences(accountID string) ([]*Licence, error) {
	var out []*Licence
	err := s.db.View(func(tx *bolt.Tx) error {
		return prefixed(tx.Bucket(bLicences), key2(accountID, ""), func(_, v []byte) error {
			l, err := decodeJSON[Licence](v)
			if err == nil {
				out = append(out, l)
			}
			return err
		})
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
