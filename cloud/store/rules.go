package store

import (
	"encoding/json"
	"fmt"

	"github.com/valvpm/valv/cloud/api"
)

// The vault rules both backends apply, so that they refuse and count alike: sizes,
// limits, conflicts and pull pages are decided here, and a backend only reads and
// writes records.

// vaultMeta is the vault bookkeeping that outlives a wipe, so change numbers keep rising
// and a later vault needs a higher key epoch.
type vaultMeta struct {
	LatestChange uint64 `json:"latest_change"`
	Bytes        int64  `json:"bytes"`   // every stored item's itemSize, tombstones too
	Entries      int    `json:"entries"` // live (not deleted) items
	Epoch        uint64 `json:"epoch"`   // highest key epoch ever used
	// AttachmentBytes is every stored chunk's chunkSize; a wipe or replace clears it
	// with the chunks.
	AttachmentBytes int64 `json:"attachment_bytes,omitempty"`
	// Accounting is 1 once Bytes and Entries are counted as above. Vaults stored
	// before counted blobs only; they are recounted when next written.
	Accounting int `json:"accounting,omitempty"`
}

// itemSize is what one stored item counts towards the vault's size: a fixed overhead
// (its record, ID and change index) on top of the blob, so empty items are not free.
func itemSize(blobLen int) int64 { return api.ItemOverheadBytes + int64(blobLen) }

// checkItems validates IDs and sizes before anything is written; maxBytes bounds the
// blobs together (0: no bound).
func checkItems(items []api.PushItem, lim Limits, maxBytes int64) error {
	if lim.MaxPushItems > 0 && len(items) > lim.MaxPushItems {
		return ErrTooManyItems
	}
	seen := make(map[string]bool, len(items))
	var total int64
	for _, it := range items {
		if it.ID == "" || len(it.ID) > MaxItemIDLen || seen[it.ID] {
			return fmt.Errorf("%w: %q", ErrInvalidItem, truncate(it.ID))
		}
		seen[it.ID] = true
		if it.Deleted {
			continue
		}
		if lim.MaxItemBytes > 0 && len(it.Blob) > lim.MaxItemBytes {
			return fmt.Errorf("%w: item %q has %d bytes", ErrItemTooLarge, it.ID, len(it.Blob))
		}
		if total += int64(len(it.Blob)); maxBytes > 0 && total > maxBytes {
			return ErrPushTooLarge
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
	if h.VaultID == "" || len(h.VaultID) > MaxItemIDLen || len(h.WrappedKey) == 0 || h.KeyEpoch == 0 || h.KeyEpoch > api.MaxKeyEpoch {
		return ErrInvalidHeader
	}
	if len(h.WrappedKey) > 4096 || len(h.KDF) > 4096 {
		return ErrInvalidHeader
	}
	return nil
}

// headerRecord is the stored form of a header: the latest change is kept with the
// vault's bookkeeping, not in the header.
func headerRecord(h api.VaultHeader) ([]byte, error) {
	h.LatestChange = 0
	if h.KDF == nil {
		h.KDF = json.RawMessage("null")
	}
	return json.Marshal(&h)
}

// storedItem is what the push rules need to know of an item the vault holds.
type storedItem struct {
	found   bool
	change  uint64
	deleted bool
	blobLen int
}

func (s storedItem) size() int64 {
	if !s.found {
		return 0
	}
	return itemSize(s.blobLen)
}

// pushPlan is a push that passed the rules: the vault's size and entries after it.
type pushPlan struct {
	bytes   int64
	entries int
}

// planPush checks a push against the stored items (cur[i] is req's items[i] as
// stored). Stale bases win over limits: conflicts lists the indexes of the items whose
// base is not the stored change, and then nothing else was checked.
func planPush(items []api.PushItem, cur []storedItem, meta vaultMeta, lim Limits) (plan pushPlan, conflicts []int, err error) {
	plan = pushPlan{bytes: meta.Bytes, entries: meta.Entries}
	for i, p := range items {
		old := cur[i]
		plan.bytes -= old.size()
		if old.found && !old.deleted {
			plan.entries--
		}
		if old.change != p.BaseChange {
			conflicts = append(conflicts, i)
		}
		if p.Deleted {
			plan.bytes += itemSize(0)
		} else {
			plan.bytes += itemSize(len(p.Blob))
			plan.entries++
		}
	}
	if len(conflicts) > 0 {
		return plan, conflicts, nil
	}
	// A vault already over a limit (it was lowered, or the plan changed) may still
	// shrink: only growth past a limit is refused.
	if lim.MaxVaultBytes > 0 && plan.bytes > lim.MaxVaultBytes && plan.bytes > meta.Bytes {
		return plan, nil, ErrVaultTooLarge
	}
	if lim.MaxEntries > 0 && plan.entries > lim.MaxEntries && plan.entries > meta.Entries {
		return plan, nil, &EntryLimitError{Max: lim.MaxEntries}
	}
	return plan, nil, nil
}

// checkReplace checks a whole new vault against the limits: its size and entries.
func checkReplace(h api.VaultHeader, items []api.PushItem, lim Limits) (plan pushPlan, err error) {
	if err := checkHeader(h); err != nil {
		return plan, err
	}
	if err := checkItems(items, lim, 0); err != nil {
		return plan, err
	}
	for _, it := range items {
		if it.Deleted {
			plan.bytes += itemSize(0)
		} else {
			plan.bytes += itemSize(len(it.Blob))
			plan.entries++
		}
	}
	if lim.MaxVaultBytes > 0 && plan.bytes > lim.MaxVaultBytes {
		return plan, ErrVaultTooLarge
	}
	if lim.MaxEntries > 0 && plan.entries > lim.MaxEntries {
		return plan, &EntryLimitError{Max: lim.MaxEntries}
	}
	return plan, nil
}

// pullLimit is the page size a pull asked for, within the protocol's bound.
func pullLimit(limit int) int {
	if limit <= 0 || limit > api.MaxPullLimit {
		return api.MaxPullLimit
	}
	return limit
}

// pullPage decides which items, in change order, make one pull page: at most limit of
// them and no more blob bytes than maxBytes (0: no bound), but always the first.
type pullPage struct {
	limit, maxBytes int
	n, bytes        int
}

// take reports whether the next item, of blobLen bytes, is on the page, counting it.
func (p *pullPage) take(blobLen int) bool {
	if p.n >= p.limit {
		return false
	}
	if p.bytes+blobLen > p.maxBytes && p.maxBytes > 0 && p.n > 0 {
		return false
	}
	p.n++
	p.bytes += blobLen
	return true
}

// conflictAnswer is the ConflictError for the stale items of a push; stored[i] is
// items[i] as stored, nil when absent.
func conflictAnswer(items []api.PushItem, stale []int, stored []*api.VaultItem, budget int) error {
	var c conflictList
	for _, i := range stale {
		old := stored[i]
		if old == nil { // a base the server never had: tell the client it is absent
			old = &api.VaultItem{ID: items[i].ID, Deleted: true}
		}
		c.add(*old, budget)
	}
	return &ConflictError{Items: c.items}
}

// conflictList collects the server's versions for a conflict answer, up to a byte
// budget (0: none): a push of a thousand stale deletions must not make the answer carry
// the whole vault. The client learns of the rest when it pushes them again.
type conflictList struct {
	items []api.VaultItem
	bytes int
}

func (c *conflictList) add(it api.VaultItem, budget int) {
	if budget > 0 && len(c.items) > 0 && c.bytes+len(it.Blob) > budget {
		return
	}
	c.items = append(c.items, it)
	c.bytes += len(it.Blob)
}
