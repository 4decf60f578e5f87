package vault

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/valvpm/valv/internal/secret"
)

// Bucket and key names in the bbolt file.
var (
	bucketMeta    = []byte("meta")    // "header" → Header bytes
	bucketItems   = []byte("items")   // item ID → record
	bucketPending = []byte("pending") // item ID → empty: changes not yet pushed to the cloud
	keyHeader     = []byte("header")
)

// ErrDiskFull is returned when a change could not be saved because the disk is full.
// The vault is unchanged: the transaction that failed left nothing behind.
var ErrDiskFull = errors.New("the disk is full, so the change was not saved")

// openTimeout is how long Open waits for another process's lock before it reports
// ErrInUse: long enough to ride out a command that is just finishing, short enough to
// feel immediate.
const openTimeout = 300 * time.Millisecond

// Vault is an open vault file. It starts locked; Unlock decrypts it into memory. All
// methods are safe for concurrent use.
//
// Items returned by List, Search and Get-like methods are snapshots: List and Search
// share the vault's own read-only copies (fast at 100k items), Get returns a private
// Clone. Never modify a shared item; Clone it first.
type Vault struct {
	path string
	db   *bolt.DB
	now  func() time.Time

	mu      sync.RWMutex
	header  *Header
	key     []byte         // the vault key (keyMem's bytes); nil when locked
	keyMem  *secret.Locked // locked, non-dumpable pages holding key
	idx     *index
	damaged []ID // items that failed to open at unlock

	attachLimit atomic.Int64 // SetAttachmentLimit

	subMu sync.Mutex
	subs  map[int]func()
	subN  int
}

// CreateOptions tunes a new vault. The zero value calibrates to DefaultKDFTarget.
type CreateOptions struct {
	KDFTarget time.Duration // calibration target; the floor still applies
	KDF       *KDFParams    // explicit parameters instead of calibration (must pass Check)
}

// Create makes a new vault file at path protected by password and returns it unlocked.
// It refuses to touch an existing vault (ErrExists).
func Create(path string, password []byte, opts CreateOptions) (*Vault, error) {
	if fi, err := os.Stat(path); err == nil && fi.Size() > 0 {
		return nil, ErrExists
	}
	var kdf KDFParams
	switch {
	case opts.KDF != nil:
		kdf = *opts.KDF
		kdf.Salt = newSalt()
	case opts.KDFTarget > 0:
		kdf = Calibrate(opts.KDFTarget)
	default:
		kdf = Calibrate(DefaultKDFTarget)
	}
	if err := kdf.Check(); err != nil {
		return nil, err
	}
	h := &Header{Epoch: 1}
	rand.Read(h.VaultID[:])
	vaultKey := make([]byte, KeySize)
	rand.Read(vaultKey)
	if err := h.wrap(password, vaultKey, kdf); err != nil {
		return nil, err
	}
	hb, err := h.MarshalBinary()
	if err != nil {
		return nil, err
	}

	v, err := openDB(path, true)
	if err != nil {
		return nil, err
	}
	err = v.db.Update(func(tx *bolt.Tx) error {
		meta, err := tx.CreateBucketIfNotExists(bucketMeta)
		if err != nil {
			return err
		}
		if meta.Get(keyHeader) != nil {
			return ErrExists
		}
		for _, name := range [][]byte{bucketItems, bucketPending} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		return meta.Put(keyHeader, hb)
	})
	if err != nil {
		return nil, errors.Join(storageErr(err), v.db.Close())
	}
	v.header = h
	v.setKey(vaultKey)
	v.idx = newIndex(0)
	return v, nil
}

// Open opens the vault file at path, locked. It reports ErrNoVault when there is none,
// ErrInUse when another process holds it, and ErrCorrupt for a damaged file.
func Open(path string) (*Vault, error) {
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNoVault
	}
	v, err := openDB(path, false)
	if err != nil {
		return nil, err
	}
	var hb []byte
	err = safeView(v.db, func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if meta == nil || tx.Bucket(bucketItems) == nil || tx.Bucket(bucketPending) == nil {
			return fmt.Errorf("%w: the vault file has no header", ErrCorrupt)
		}
		hb = bytes.Clone(meta.Get(keyHeader))
		return nil
	})
	if err == nil {
		v.header, err = ParseHeader(hb)
	}
	if err == nil {
		err = v.cleanStaging()
	}
	if err != nil {
		return nil, errors.Join(err, v.db.Close())
	}
	return v, nil
}

// openDB opens the bbolt file, creating its folder (0700) and file (0600) when create.
func openDB(path string, create bool) (v *Vault, err error) {
	if create {
		dir := filepath.Dir(path)
		_, statErr := os.Stat(dir)
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("cannot create the vault folder: %w", err)
		}
		// A folder made here is private whatever the umask. One that was there already
		// (/tmp, a shared or removable drive) keeps its rights: changing them would change
		// them for everything else kept there. The vault file itself is always 0600.
		if errors.Is(statErr, fs.ErrNotExist) {
			if err := os.Chmod(dir, 0o700); err != nil {
				return nil, fmt.Errorf("cannot protect the vault folder: %w", err)
			}
		}
	}
	// bbolt can panic on a file whose pages are damaged; a damaged file is user input.
	defer func() {
		if r := recover(); r != nil {
			v, err = nil, fmt.Errorf("%w: the vault file cannot be read", ErrCorrupt)
		}
	}()
	db, err := bolt.Open(path, 0o600, boltOptions())
	switch {
	case errors.Is(err, bolterrors.ErrTimeout):
		return nil, ErrInUse
	case errors.Is(err, bolterrors.ErrInvalid), errors.Is(err, bolterrors.ErrChecksum), errors.Is(err, bolterrors.ErrVersionMismatch):
		return nil, fmt.Errorf("%w: the vault file cannot be read (%v)", ErrCorrupt, err)
	case err != nil:
		return nil, fmt.Errorf("cannot open the vault file: %w", storageErr(err))
	}
	tuneDB(db)
	return &Vault{path: path, db: db, now: time.Now}, nil
}

// safeView runs fn in a read transaction, turning a bbolt panic on damaged pages into
// ErrCorrupt.
func safeView(db *bolt.DB, fn func(*bolt.Tx) error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: the vault file cannot be read", ErrCorrupt)
		}
	}()
	return db.View(fn)
}

// storageErr turns the OS's "no space" into ErrDiskFull.
func storageErr(err error) error {
	if errors.Is(err, syscall.ENOSPC) {
		return fmt.Errorf("%w (%v)", ErrDiskFull, err)
	}
	return err
}

// Path returns the vault file's path.
func (v *Vault) Path() string { return v.path }

// Header returns a copy of the vault's current header.
func (v *Vault) Header() Header {
	v.mu.RLock()
	defer v.mu.RUnlock()
	h := *v.header
	h.KDF.Salt = slices.Clone(h.KDF.Salt)
	h.WrappedKey = slices.Clone(h.WrappedKey)
	return h
}

// Locked reports whether the vault is locked.
func (v *Vault) Locked() bool {
	v.mu.RLock()
	defer v.mu.RUnlock()
	return v.key == nil
}

// Unlock derives the keys from password, decrypts every item and indexes it. Items
// that fail to authenticate are left on disk untouched and listed by Damaged; the rest
// unlock normally, so one bad record never locks a person out of everything.
func (v *Vault) Unlock(password []byte) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.key != nil {
		return nil
	}
	key, err := v.header.unwrap(password)
	if err != nil {
		return err
	}
	idx, damaged, err := v.load(key)
	if err != nil {
		secret.Wipe(key)
		return err
	}
	v.setKey(key)
	v.idx, v.damaged = idx, damaged
	go v.notify()
	return nil
}

// load decrypts every live item under key.
func (v *Vault) load(key []byte) (*index, []ID, error) {
	var idx *index
	var damaged []ID
	err := safeView(v.db, func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketItems)
		idx = newIndex(b.Stats().KeyN)
		vid := v.header.VaultID
		var plain []byte
		return b.ForEach(func(k, val []byte) error {
			var id ID
			if len(k) != len(id) {
				return fmt.Errorf("%w: bad item key", ErrCorrupt)
			}
			copy(id[:], k)
			it, deleted, err := openRecord(key, vid, id, val, &plain, idx.arena)
			if deleted {
				return nil
			}
			if err != nil {
				damaged = append(damaged, id)
				return nil
			}
			idx.add(it)
			return nil
		})
	})
	if err != nil {
		return nil, nil, err
	}
	idx.sort()
	return idx, damaged, nil
}

// openRecord parses and decrypts one stored record. buf is reused between calls to
// save allocations and wiped after use; the item's secret texts go into a (when not
// nil). A tombstone reports deleted and no item.
func openRecord(key []byte, vid VaultID, id ID, val []byte, buf *[]byte, a *secretArena) (it *Item, deleted bool, err error) {
	r, err := parseRecord(val)
	if err != nil {
		return nil, false, err
	}
	if r.deleted {
		return nil, true, nil
	}
	*buf, err = open((*buf)[:0], key, r.sealed, itemAD(vid, id))
	if err == nil {
		it, err = decodeItemIn(*buf, a)
	}
	secret.Wipe(*buf)
	if err != nil {
		return nil, false, err
	}
	it.ID = id
	return it, false, nil
}

// Lock zeroes the vault key, wipes the decrypted items' secrets and search text (the
// arena in secretmem.go: items handed out before read them as zero bytes from now on)
// and drops every decrypted item.
func (v *Vault) Lock() {
	v.mu.Lock()
	v.keyMem.Destroy()
	if v.idx != nil {
		v.idx.arena.wipe()
	}
	v.key, v.keyMem, v.idx, v.damaged = nil, nil, nil, nil
	v.mu.Unlock()
	v.notify()
}

// setKey moves key into locked memory (wiping the heap copy) and makes it the vault
// key. The caller holds v.mu.
func (v *Vault) setKey(key []byte) {
	v.keyMem.Destroy()
	v.keyMem = secret.LockedCopy(key)
	secret.Wipe(key)
	v.key = v.keyMem.Bytes()
}

// Close locks the vault and closes the file.
func (v *Vault) Close() error {
	v.Lock()
	if err := v.db.Close(); err != nil {
		return fmt.Errorf("closing the vault: %w", err)
	}
	return nil
}

// Damaged lists the items that could not be decrypted at unlock.
func (v *Vault) Damaged() []ID {
	v.mu.RLock()
	defer v.mu.RUnlock()
	return slices.Clone(v.damaged)
}

// CheckPassword reports whether password is the master password (ErrWrongPassword if
// not), changing nothing: for confirming a risky step, such as a plaintext export, on
// a vault that is already open.
func (v *Vault) CheckPassword(password []byte) error {
	v.mu.RLock()
	h := v.header
	v.mu.RUnlock()
	return h.checkPassword(password)
}

// ChangeMasterPassword re-wraps the vault key under newPassword with a fresh salt and
// the same KDF cost. Items are not touched: they are sealed under the vault key, which
// does not change. oldPassword must be right even when the vault is unlocked, so a
// person who walks up to an unlocked screen cannot take the vault over.
func (v *Vault) ChangeMasterPassword(oldPassword, newPassword []byte) error {
	return v.rekey(oldPassword, newPassword, func(h *Header) { h.Generation++ })
}

// rekey opens the vault key with password and stores the header changed by edit, the
// key wrapped under newPassword.
func (v *Vault) rekey(password, newPassword []byte, edit func(*Header)) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	key, err := v.header.unwrap(password)
	if err != nil {
		return err
	}
	defer secret.Wipe(key)
	return v.rewrap(newPassword, key, edit)
}

// rewrap stores a copy of the header changed by edit, its vault key re-wrapped for
// password under a fresh salt (same KDF cost). The caller holds v.mu and unwrapped key.
func (v *Vault) rewrap(password, key []byte, edit func(*Header)) error {
	h := *v.header
	edit(&h)
	kdf := h.KDF
	kdf.Salt = newSalt()
	if err := h.wrap(password, key, kdf); err != nil {
		return err
	}
	hb, err := h.MarshalBinary()
	if err != nil {
		return err
	}
	if err := v.update(func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Put(keyHeader, hb) }); err != nil {
		return err
	}
	v.header = &h
	return nil
}

// update runs fn in one write transaction: all of it is saved, or none of it.
func (v *Vault) update(fn func(*bolt.Tx) error) error {
	if err := v.db.Update(fn); err != nil {
		return storageErr(err)
	}
	return nil
}

// Len returns how many items the unlocked vault holds (0 when locked).
func (v *Vault) Len() int {
	v.mu.RLock()
	defer v.mu.RUnlock()
	if v.idx == nil {
		return 0
	}
	return len(v.idx.items)
}

// PendingCount returns how many item changes have not been pushed to the cloud.
func (v *Vault) PendingCount() (int, error) {
	n := 0
	err := safeView(v.db, func(tx *bolt.Tx) error {
		n = tx.Bucket(bucketPending).Stats().KeyN
		return nil
	})
	return n, err
}

// Subscribe calls fn (on its own goroutine) after every change, lock and unlock; the
// UI refreshes and the sync engine schedules a push from it. The returned function
// cancels the subscription.
func (v *Vault) Subscribe(fn func()) (cancel func()) {
	v.subMu.Lock()
	defer v.subMu.Unlock()
	if v.subs == nil {
		v.subs = map[int]func(){}
	}
	v.subN++
	n := v.subN
	v.subs[n] = fn
	return func() {
		v.subMu.Lock()
		delete(v.subs, n)
		v.subMu.Unlock()
	}
}

func (v *Vault) notify() {
	v.subMu.Lock()
	fns := make([]func(), 0, len(v.subs))
	for _, fn := range v.subs {
		fns = append(fns, fn)
	}
	v.subMu.Unlock()
	for _, fn := range fns {
		fn()
	}
}

// Stats are figures about the vault file that need no password.
type Stats struct {
	Items      int   // stored items, damaged ones included
	Tombstones int   // deletions not yet pushed to the cloud
	Pending    int   // changes not yet pushed to the cloud
	FileSize   int64 // bytes
}

// Stats counts records without decrypting anything, so `valv-cli info` works locked.
func (v *Vault) Stats() (Stats, error) {
	var s Stats
	err := safeView(v.db, func(tx *bolt.Tx) error {
		s.FileSize = tx.Size()
		s.Pending = tx.Bucket(bucketPending).Stats().KeyN
		return tx.Bucket(bucketItems).ForEach(func(_, val []byte) error {
			if r, err := parseRecord(val); err == nil && r.deleted {
				s.Tombstones++
			} else {
				s.Items++
			}
			return nil
		})
	})
	return s, err
}
