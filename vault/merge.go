package vault

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/valvpm/valv/internal/secret"
)

// Merging what a pull brings: decideMerge is the conflict policy as a pure function of
// what this device holds and what the cloud sent; ApplyRemote authenticates the batch
// and carries the decisions out in one transaction.

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

// mergeAction is what applying one incoming item does.
type mergeAction int

// The actions of decideMerge.
const (
	mergeSkip      mergeAction = iota // an echo of what this device holds, or nothing to delete
	mergeAdd                          // new here: store the cloud's version
	mergeUpdate                       // no local edit: the cloud's version replaces ours
	mergeRemove                       // deleted there, nothing pending here: delete it here
	mergeForget                       // deleted on both sides: the tombstone is done
	mergeKeepLocal                    // deleted there, edited here: the edit wins and is pushed again
	mergeRevive                       // deleted here, edited there: the edit comes back
	mergeRepair                       // edited on both sides, ours unreadable: the cloud's stands
	mergeBoth                         // edited on both sides: mergeConflict decides
)

var mergeActionNames = [...]string{"skip", "add", "update", "remove", "forget", "keep-local", "revive", "repair", "both"}

func (a mergeAction) String() string { return mergeActionNames[a] }

// localCopy is what this device holds of an item a pulled change touches.
type localCopy struct {
	stored   bool   // a readable record is stored (a damaged one counts as none)
	base     uint64 // the cloud change the record is based on
	pending  bool   // a local change waits to be pushed
	deleted  bool   // the record is a tombstone
	readable bool   // the item is decrypted in memory
}

// decideMerge is the conflict policy for one pulled change (change, deleted there or
// not) against the local copy. Nothing a person typed is lost: an edit beats a
// deletion on either side, and two edits are merged.
func decideMerge(l localCopy, change uint64, deleted bool) mergeAction {
	switch {
	case l.stored && change <= l.base:
		return mergeSkip
	case !l.stored && deleted:
		return mergeSkip
	case !l.stored:
		return mergeAdd
	case !l.pending && deleted:
		return mergeRemove
	case !l.pending:
		return mergeUpdate
	case deleted && l.deleted:
		return mergeForget
	case deleted:
		return mergeKeepLocal
	case l.deleted:
		return mergeRevive
	case !l.readable:
		return mergeRepair
	}
	return mergeBoth
}

// ApplyRemote merges items pulled from the cloud and stores st, in one transaction.
// Every item is authenticated first; one that fails refuses the whole batch
// (ErrRemoteCorrupt). Rules, so that nothing a person typed is lost:
//   - no local change pending: the cloud's version replaces the local one;
//   - a change pending on both sides: the newer edit wins; the other becomes part of
//     its password history when only the password differs, else a visible conflict
//     copy (a new item whose title carries conflictSuffix);
//   - deleted there, edited here: the edit wins and is pushed again;
//   - deleted here, edited there: the edit wins and comes back;
//   - a change at or below what this device already holds is an echo and ignored.
func (v *Vault) ApplyRemote(in []Incoming, st SyncState) (ApplyReport, error) {
	if err := v.lockFor(nil); err != nil {
		return ApplyReport{}, err
	}
	defer v.mu.Unlock()
	remote, err := v.openIncoming(in)
	if err != nil {
		return ApplyReport{}, err
	}
	a := &applier{v: v, now: v.now().UTC()}
	err = v.update(func(tx *bolt.Tx) error {
		a.items, a.pending = batchBuckets(tx)
		a.removed = tx.Bucket(bucketRemoved)
		// In key order, so a large first download does not shift one growing bbolt
		// leaf on every Put (see keyOrder).
		for _, i := range keyOrder(len(in), func(i int) ID { return in[i].ID }) {
			if err := a.apply(in[i], remote[i]); err != nil {
				return err
			}
		}
		if err := a.freeDropped(tx); err != nil {
			return err
		}
		return putSyncState(tx, st)
	})
	if err != nil {
		return ApplyReport{}, err
	}
	v.idx.apply(a.changes)
	if len(a.changes) > 0 {
		go v.notify()
	}
	return a.rep, nil
}

// openIncoming authenticates and decodes every item of a pull (nil for a deletion).
// One that fails refuses the batch. The caller holds v.mu.
func (v *Vault) openIncoming(in []Incoming) ([]*Item, error) {
	vid := v.header.VaultID
	remote := make([]*Item, len(in))
	var buf []byte
	for i, x := range in {
		if x.Deleted {
			continue
		}
		var err error
		if buf, err = open(buf[:0], v.key, x.Sealed, itemAD(vid, x.ID)); err != nil {
			return nil, fmt.Errorf("%w (item %s)", ErrRemoteCorrupt, x.ID)
		}
		it, err := decodeItemIn(buf, v.idx.arena)
		secret.Wipe(buf)
		if err != nil {
			return nil, fmt.Errorf("%w (item %s)", ErrRemoteCorrupt, x.ID)
		}
		it.ID = x.ID
		remote[i] = it
	}
	return remote, nil
}

// applier carries out decideMerge's actions inside ApplyRemote's transaction, and
// collects the index changes to make once it commits.
type applier struct {
	v              *Vault
	items, pending *bolt.Bucket
	now            time.Time
	removed        *bolt.Bucket // files removed here (may be nil)
	rep            ApplyReport
	changes        []indexChange
}

// removedHere reports whether this device removed the file id.
func (a *applier) removedHere(id AttachmentID) bool {
	return a.removed != nil && a.removed.Get(id[:]) != nil
}

// indexChange is an item replaced (old and new), added (new) or removed (old).
type indexChange struct{ old, new *Item }

// apply merges one pulled change; rit is its decrypted item (nil for a deletion).
func (a *applier) apply(x Incoming, rit *Item) error {
	local, stored := a.local(x.ID)
	old := a.v.idx.get(x.ID)
	l := localCopy{stored: stored, base: local.base, pending: a.pending.Get(x.ID[:]) != nil, deleted: local.deleted, readable: old != nil}
	// The cloud's version, stored as the next local revision of the item.
	theirs := record{rev: local.rev + 1, base: x.Change, sealed: x.Sealed}
	switch decideMerge(l, x.Change, x.Deleted) {
	case mergeAdd:
		a.rep.Added++
		return a.take(x.ID, theirs, old, rit)
	case mergeUpdate:
		a.rep.Updated++
		return a.take(x.ID, theirs, old, rit)
	case mergeRemove:
		a.rep.Deleted++
		a.changes = append(a.changes, indexChange{old, nil})
		return a.drop(x.ID)
	case mergeForget:
		return a.drop(x.ID)
	case mergeKeepLocal:
		a.rep.Conflicts++
		local.base, local.rev, local.sealed = x.Change, local.rev+1, bytes.Clone(local.sealed)
		return a.put(x.ID, local, true)
	case mergeRevive, mergeRepair:
		a.rep.Conflicts++
		return a.take(x.ID, theirs, nil, rit)
	case mergeBoth:
		a.rep.Conflicts++
		return a.mergeBoth(x.ID, theirs, old, rit)
	}
	return nil // mergeSkip
}

// local reads the stored record of id; a damaged one counts as none, so the cloud's
// copy repairs it.
func (a *applier) local(id ID) (record, bool) {
	val := a.items.Get(id[:])
	if val == nil {
		return record{}, false
	}
	r, err := parseRecord(val)
	if err != nil {
		return record{}, false
	}
	return r, true
}

// take stores the cloud's version r of id, which needs no push.
func (a *applier) take(id ID, r record, old, rit *Item) error {
	a.changes = append(a.changes, indexChange{old, rit})
	return a.put(id, r, false)
}

func (a *applier) put(id ID, r record, isPending bool) error {
	if err := a.items.Put(id[:], r.marshal()); err != nil {
		return err
	}
	if isPending {
		return a.pending.Put(id[:], nil)
	}
	return a.pending.Delete(id[:])
}

func (a *applier) drop(id ID) error {
	if err := a.items.Delete(id[:]); err != nil {
		return err
	}
	return a.pending.Delete(id[:])
}

// freeDropped frees the chunks of files that the pulled versions of items no longer
// have: removed on another device, which deletes them in the cloud itself.
func (a *applier) freeDropped(tx *bolt.Tx) error {
	for _, c := range a.changes {
		if c.old == nil {
			continue
		}
		for _, f := range c.old.Attachments {
			if c.new != nil {
				if _, kept := c.new.Attachment(f.ID); kept {
					continue
				}
			}
			if err := freeFile(tx, f.ID, false); err != nil {
				return err
			}
		}
	}
	return nil
}

// mergeBoth settles an item edited on both sides: the newer edit wins (theirs is the
// cloud's as a record), the other's password joins the history, and anything more
// that differs is kept as a conflict copy.
func (a *applier) mergeBoth(id ID, theirs record, lit, rit *Item) error {
	winner, loser := lit, rit
	if rit.Modified.After(lit.Modified) {
		winner, loser = rit, lit
	}
	merged, copyItem := mergeConflict(winner, loser, a.now, a.removedHere)
	if copyItem != nil {
		if err := a.addCopy(copyItem); err != nil {
			return err
		}
	}
	a.changes = append(a.changes, indexChange{lit, merged})
	if merged == rit {
		return a.put(id, theirs, false) // the cloud's version stands as is
	}
	// The merged version is new: pushed on top of the cloud's change.
	merged.ID = id
	theirs.sealed = seal(a.v.key, encodeItem(merged), itemAD(a.v.header.VaultID, id))
	return a.put(id, theirs, true)
}

// addCopy stores a conflict copy as a new item, to be pushed.
func (a *applier) addCopy(c *Item) error {
	c.ID = newID()
	for a.v.idx.get(c.ID) != nil || a.items.Get(c.ID[:]) != nil {
		c.ID = newID()
	}
	r := record{rev: 1, sealed: seal(a.v.key, encodeItem(c), itemAD(a.v.header.VaultID, c.ID))}
	if err := a.put(c.ID, r, true); err != nil {
		return err
	}
	a.rep.Copies = append(a.rep.Copies, c.ID)
	a.changes = append(a.changes, indexChange{nil, c})
	return nil
}

// conflictSuffix marks the title of a conflict copy. It is stored as it is, the same
// on every device whatever its language, so that merging stays deterministic and
// valv-cli and exports read a plain title; the app shows it in the person's language
// (ConflictCopyOf).
const conflictSuffix = " (conflict copy)"

// ConflictCopyOf reports whether title is a conflict copy's, and if so the title of
// the item it copies, for a front end to name the copy in its own language.
func ConflictCopyOf(title string) (original string, ok bool) {
	return strings.CutSuffix(title, conflictSuffix)
}

// mergeConflict decides between two versions of one item edited on two devices. It
// returns the version to keep (winner itself when nothing needs adding) and, when the
// loser holds more than an old password, a conflict copy of it. The kept version has
// the files of both, except those removedHere says this device removed: files are
// never edited, only added and removed, so keeping both sides' loses nothing, and the
// conflict copy has none (a file's chunks are bound to its item).
func mergeConflict(winner, loser *Item, now time.Time, removedHere func(AttachmentID) bool) (merged, conflictCopy *Item) {
	a, b := winner.Clone(), loser.Clone()
	for _, x := range []*Item{a, b} {
		x.ID, x.Created, x.Modified, x.History, x.Attachments = ID{}, time.Time{}, time.Time{}, nil, nil
	}
	files := unionFiles(winner, loser, removedHere)
	if reflect.DeepEqual(a, b) && sameFiles(files, winner.Attachments) {
		return winner, nil // the same edit made twice
	}
	merged = winner.Clone()
	merged.Attachments = files
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
		conflictCopy.Attachments = nil
		conflictCopy.Title = loser.Title + conflictSuffix
		conflictCopy.Created, conflictCopy.Modified = now, now
	}
	if reflect.DeepEqual(merged.History, winner.History) && sameFiles(files, winner.Attachments) {
		return winner, conflictCopy
	}
	return merged, conflictCopy
}

// sameFiles reports whether two lists name the same files under the same names.
func sameFiles(x, y []Attachment) bool {
	return slices.EqualFunc(x, y, func(a, b Attachment) bool { return a.ID == b.ID && a.Name == b.Name })
}

// unionFiles is the winner's files, then the loser's that the winner lacks, without
// those removed on this device.
func unionFiles(winner, loser *Item, removedHere func(AttachmentID) bool) []Attachment {
	var out []Attachment
	for _, x := range []*Item{winner, loser} {
		for _, f := range x.Attachments {
			if !removedHere(f.ID) && !slices.ContainsFunc(out, func(o Attachment) bool { return o.ID == f.ID }) {
				out = append(out, f)
			}
		}
	}
	if len(out) == 0 {
		return winner.Attachments // nil or empty alike: keep the winner's own
	}
	return out
}
