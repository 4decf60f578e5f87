package cloudsync

import (
	"errors"
	"fmt"

	"github.com/valvpm/valv/vault"
)

// The plan's entry limit. A plan may keep only so many entries in the cloud (the Free
// plan's max_entries); the server refuses a push that would keep more, all of it. The
// engine then pushes what does not add an entry (edits, deletions) and as many new
// entries as there is room for, and holds the other new entries back: they stay on
// this device, pending and never lost, and read-only in the apps. It does not ask
// again with the same push until something that could make room happened — the cloud
// changed, an entry was deleted, or the person asked (Sync now, a new plan).

// ErrEntryLimit: the account's plan keeps no more entries in the cloud; the new
// entries beyond it stay on this device. A sync that ends with it synced everything
// else (the error is a *LimitError).
var ErrEntryLimit = errors.New("the plan keeps no more entries in the cloud; the new ones stay on this device")

// LimitError says which entries the plan's limit kept on this device.
type LimitError struct {
	Max  int        // the plan's limit (0: the server did not say)
	Held []vault.ID // new entries not in the cloud, still pending here
}

func (e *LimitError) Error() string {
	return fmt.Sprintf("the plan keeps up to %d entries in the cloud; %d stay on this device", e.Max, len(e.Held))
}

// Is makes errors.Is(err, ErrEntryLimit) hold.
func (e *LimitError) Is(target error) bool { return target == ErrEntryLimit }

// hold is the engine's memory of a refusal for the entry limit.
type hold struct {
	max     int
	latest  uint64              // the cloud's latest change when the hold was last confirmed
	allowed map[vault.ID]bool   // new entries the cloud has room for, sent despite the hold
	held    map[vault.ID]uint64 // new entries held back → their local revision
}

// grows reports whether pushing o adds an entry to the cloud: a new item. (An edit of
// an item the cloud has, or a deletion, never does.)
func grows(o vault.Outgoing) bool { return o.Base == 0 && !o.Deleted }

// RetryEntryLimit makes the next sync send the entries held back for the plan's limit
// again, as after the plan changed. Safe to call from any goroutine.
func (e *Engine) RetryEntryLimit() { e.retryLimit.Store(true) }

// keepHold decides at the start of a push whether the last refusal still stands: not
// when the cloud changed since (another device may have made room) or a retry was asked
// for.
func (e *Engine) keepHold(latest uint64) {
	if e.retryLimit.Swap(false) || (e.hold != nil && e.hold.latest != latest) {
		e.hold = nil
	}
	if e.hold != nil {
		e.hold.allowed, e.hold.held = nil, map[vault.ID]uint64{}
	}
}

// freed reports whether out deleted an entry the cloud had, which makes room.
func freed(out []vault.Outgoing) bool {
	for _, o := range out {
		if o.Deleted && o.Base > 0 {
			return true
		}
	}
	return false
}

// outgoing is the next batch to push: the pending changes, without the new entries
// held back.
func (e *Engine) outgoing() ([]vault.Outgoing, error) {
	if e.hold == nil {
		return e.v.Outgoing(e.PushBatch)
	}
	all, err := e.v.Outgoing(0) // held entries would fill every batch of the pending list's head
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, o := range all {
		if len(out) == e.PushBatch {
			break
		}
		if grows(o) && !e.hold.allowed[o.ID] {
			e.hold.held[o.ID] = o.Rev
			continue
		}
		out = append(out, o)
	}
	return out, nil
}

// holdBack answers a refusal for the entry limit. The first in a push lets through as
// many new entries as this device reckons the cloud has room for (the plan's limit
// less the entries it already synced); a second one holds every new entry back. A
// refusal with no new entry to hold back is not the engine's to solve and is returned.
func (e *Engine) holdBack(refusal error, first bool) error {
	all, inCloud, err := e.v.OutgoingInCloud() // one read: a save in between would skew the room
	if err != nil {
		return err
	}
	var news []vault.Outgoing
	for _, o := range all {
		if grows(o) {
			news = append(news, o)
		}
	}
	if len(news) == 0 || (!first && e.hold != nil && len(e.hold.allowed) == 0) {
		return refusal
	}
	limit := 0
	var lim interface{ EntryLimit() int }
	if errors.As(refusal, &lim) {
		limit = lim.EntryLimit()
	}
	room := 0
	if first {
		room = min(len(news), max(0, limit-inCloud))
	}
	e.hold = &hold{max: limit, allowed: map[vault.ID]bool{}, held: map[vault.ID]uint64{}}
	for _, o := range news[:room] {
		e.hold.allowed[o.ID] = true
	}
	return nil
}

// limitResult ends a push: a *LimitError while entries are held back. The hold is
// confirmed at the cloud's latest change, which this device's own pushes moved.
func (e *Engine) limitResult(latest uint64) error {
	if e.hold == nil {
		return nil
	}
	e.hold.latest = latest
	le := &LimitError{Max: e.hold.max}
	for id := range e.hold.held {
		le.Held = append(le.Held, id)
	}
	if len(le.Held) == 0 {
		e.hold = nil // everything fitted after all
		return nil
	}
	return le
}
