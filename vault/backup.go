package vault

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Backup writes a consistent copy of the vault file into dir (0700) as
// vault-<UTC time>.db (0600) and returns its path. The copy is as encrypted as the vault
// itself and opens with the master password it had. Dangerous actions write one before
// they delete anything, so they can be undone.
func (v *Vault) Backup(dir string) (string, error) {
	return writeBackup(dir, "vault-", func(tmp string) error {
		return safeView(v.db, func(tx *bolt.Tx) error { return tx.CopyFile(tmp, 0o600) })
	})
}

// BackupSealed writes a vault file into dir (0700) as cloud-vault-<UTC time>.db (0600)
// from a header and sealed items as the cloud holds them, decrypting nothing: the copy
// of a cloud vault about to be replaced, which opens with that vault's master password
// (not necessarily this device's). Deletions in items are skipped. The copy is not
// linked to any account, so opening it syncs nothing.
func BackupSealed(dir string, hb []byte, items []Incoming) (string, error) {
	if _, err := ParseHeader(hb); err != nil {
		return "", err
	}
	return writeBackup(dir, "cloud-vault-", func(tmp string) error {
		db, err := bolt.Open(tmp, 0o600, boltOptions())
		if err != nil {
			return err
		}
		tuneDB(db)
		err = db.Update(func(tx *bolt.Tx) error { return fillSealed(tx, hb, items) })
		return errors.Join(err, db.Close())
	})
}

// fillSealed puts hb and items into a new vault file's buckets.
func fillSealed(tx *bolt.Tx, hb []byte, items []Incoming) error {
	for _, name := range [][]byte{bucketMeta, bucketItems, bucketPending} {
		if _, err := tx.CreateBucket(name); err != nil {
			return err
		}
	}
	if err := tx.Bucket(bucketMeta).Put(keyHeader, hb); err != nil {
		return err
	}
	b, _ := batchBuckets(tx)
	for _, i := range keyOrder(len(items), func(i int) ID { return items[i].ID }) {
		it := items[i]
		if it.Deleted || len(it.Sealed) == 0 {
			continue
		}
		r := record{rev: 1, sealed: it.Sealed}
		if err := b.Put(bytes.Clone(it.ID[:]), r.marshal()); err != nil {
			return err
		}
	}
	return nil
}

// writeBackup has fill write a temporary file in dir, syncs it and renames it to
// prefix<UTC time>.db, so a backup is either whole or absent.
func writeBackup(dir, prefix string, fill func(tmp string) error) (string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("cannot create the backup folder: %w", err)
	}
	name := filepath.Join(dir, prefix+time.Now().UTC().Format("20060102-150405.000000000")+".db")
	tmp := name + ".tmp"
	err := fill(tmp)
	if err == nil {
		err = syncFile(tmp)
	}
	if err == nil {
		err = os.Rename(tmp, name)
	}
	if err != nil {
		os.Remove(tmp)
		return "", fmt.Errorf("writing the backup: %w", storageErr(err))
	}
	return name, nil
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// BackupDir is where the default vault's backups go: <UserDir()>/backups.
func BackupDir() (string, error) {
	p, err := DefaultPath()
	if err != nil {
		return "", err
	}
	return BackupDirFor(p), nil
}

// BackupDirFor is where the backups of the vault file at path go: a backups folder
// beside it, so a vault kept elsewhere (a USB stick, --vault) keeps its backups with it.
func BackupDirFor(path string) string {
	return filepath.Join(filepath.Dir(path), "backups")
}

// Clear deletes every item, the pending set and the sync bookkeeping's cursor, in one
// transaction (the dangerous action "Clear the vault database"; callers back up first).
// The master password and vault key stay; the dropped items' secrets are wiped as Lock
// wipes them (items handed out before read as zero bytes).
func (v *Vault) Clear() error {
	v.mu.Lock()
	defer v.mu.Unlock()
	err := v.update(func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bucketItems, bucketPending} {
			if err := tx.DeleteBucket(name); err != nil {
				return err
			}
			if _, err := tx.CreateBucket(name); err != nil {
				return err
			}
		}
		return dropBuckets(tx, attachmentBuckets...)
	})
	if err != nil {
		return err
	}
	if v.idx != nil {
		v.idx.arena.wipe()
	}
	if v.key != nil {
		v.idx = newIndex(0)
	}
	v.damaged = nil
	go v.notify()
	return nil
}

// ResetSyncBookkeeping forgets every item's cloud change number and the cursor, and
// empties the pending set: after the cloud vault was replaced with this one, a pull from
// the start re-learns the change numbers (the content is already here).
func (v *Vault) ResetSyncBookkeeping(st SyncState) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.update(func(tx *bolt.Tx) error {
		items := tx.Bucket(bucketItems)
		var keys [][]byte
		var recs []record
		err := items.ForEach(func(k, val []byte) error {
			r, err := parseRecord(val)
			if err != nil {
				return nil
			}
			r.base, r.sealed = 0, append([]byte(nil), r.sealed...)
			keys, recs = append(keys, append([]byte(nil), k...)), append(recs, r)
			return nil
		})
		if err != nil {
			return err
		}
		for i, k := range keys {
			if recs[i].deleted {
				if err := items.Delete(k); err != nil {
					return err
				}
				continue
			}
			if err := items.Put(k, recs[i].marshal()); err != nil {
				return err
			}
		}
		if err := tx.DeleteBucket(bucketPending); err != nil {
			return err
		}
		if _, err := tx.CreateBucket(bucketPending); err != nil {
			return err
		}
		// The cloud is told again which chunks it has (sync asks it before uploading).
		if err := dropBuckets(tx, bucketUploaded); err != nil {
			return err
		}
		st.Cursor, st.LatestSeen = 0, 0
		return putSyncState(tx, st)
	})
}

// dropBuckets deletes the named buckets that exist; the attachment buckets come back
// with the next file.
func dropBuckets(tx *bolt.Tx, names ...[]byte) error {
	for _, name := range names {
		if tx.Bucket(name) == nil {
			continue
		}
		if err := tx.DeleteBucket(name); err != nil {
			return err
		}
	}
	return nil
}
