package cloudsync

import "github.com/valvpm/valv/cloud/api"

// The cursor moves on pull, and also past a push of this device's own when nobody
// else's change came between: the server numbers each account's changes one by one
// with no gap, so when the numbers a push was given are exactly cursor+1 … latest, the
// device already holds every change up to latest. Without this, the notice of its own
// push would make a device pull back what it just sent.

// pastOwnPush returns the cursor after a push answered with resp; sent holds the IDs
// of the items the push carried. Any change of another device among them, or an
// answer that does not add up, leaves the cursor where it was: the next pull fetches
// the lot.
func pastOwnPush(cursor uint64, resp *api.PushResponse, sent map[string]uint64) uint64 {
	n := uint64(len(resp.Items))
	if n == 0 || resp.LatestChange != cursor+n {
		return cursor
	}
	seen := make(map[uint64]bool, n)
	for _, it := range resp.Items {
		if _, ok := sent[it.ID]; !ok || it.Change <= cursor || it.Change > resp.LatestChange || seen[it.Change] {
			return cursor
		}
		seen[it.Change] = true
	}
	return resp.LatestChange
}

// Cursor returns the latest change up to which this device holds the cloud vault. It
// waits for a sync under way to end, so a live-sync notice of the device's own push,
// which can arrive before the push's answer, finds the push already counted.
func (e *Engine) Cursor() uint64 {
	e.syncing.Lock()
	defer e.syncing.Unlock()
	st, err := e.v.SyncState()
	if err != nil {
		return 0
	}
	return st.Cursor
}
