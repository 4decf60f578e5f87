package appcore

import (
	"errors"
	"time"

	cloudsync "github.com/valvpm/valv/sync"
	"github.com/valvpm/valv/vault"
)

// Problem is a choice a sync status asks of the person; each has its dialog.
type Problem int

// The problems, and none.
const (
	NoProblem         Problem = iota
	ProblemPassword           // the master password was changed on another device
	ProblemOtherVault         // the account has another vault in the cloud: merge, keep or replace
	ProblemReplaced           // the cloud vault was replaced or reset on another device
	ProblemWiped              // the cloud vault was cleared on another device
	ProblemNeedMaster         // linking needs this vault's master password
)

// ProblemOf names the choice st asks of the person.
func ProblemOf(st cloudsync.Status) Problem {
	switch {
	case st.PasswordChanged:
		return ProblemPassword
	case st.State != cloudsync.StateError:
		return NoProblem
	case errors.Is(st.Err, cloudsync.ErrOtherVault), errors.Is(st.Err, vault.ErrOtherVault):
		return ProblemOtherVault
	case errors.Is(st.Err, cloudsync.ErrReplaced):
		return ProblemReplaced
	case errors.Is(st.Err, cloudsync.ErrCloudWiped):
		return ProblemWiped
	case errors.Is(st.Err, ErrNeedMasterPassword):
		return ProblemNeedMaster
	}
	return NoProblem
}

// Resolvable reports whether the status line offers What to do…: a choice to make, or
// a refusal to read in full.
func Resolvable(st cloudsync.Status) bool {
	return ProblemOf(st) != NoProblem || st.State == cloudsync.StateError
}

// ProblemToOpen decides whether st's problem opens its dialog now: always when the
// person asked (What to do…), otherwise once per problem until sync is well again, so a
// runner reporting the same problem every few minutes does not keep opening it.
func (c *Controller) ProblemToOpen(st cloudsync.Status, asked bool) Problem {
	p := ProblemOf(st)
	c.cloud.mu.Lock()
	defer c.cloud.mu.Unlock()
	seen := c.cloud.opened
	if p != NoProblem || st.State == cloudsync.StateSynced {
		c.cloud.opened = p
	}
	if p == NoProblem || (!asked && p == seen) {
		return NoProblem
	}
	return p
}

// NewConflicts is how many items changed on two devices the sync from prev to st
// found, once, when that sync has finished (both versions are kept; the person is told).
func NewConflicts(prev, st cloudsync.Status) int {
	if st.State == cloudsync.StateSynced && prev.State != cloudsync.StateSynced {
		return st.Last.Applied.Conflicts
	}
	return 0
}

// StatusMessage is the status line's sentence for st; now tells whether the last sync
// was today (then only its time is said).
func StatusMessage(st cloudsync.Status, now time.Time) Message {
	switch st.State {
	case cloudsync.StateSyncing:
		return Message{Key: "sync.syncing"}
	case cloudsync.StateSynced:
		if st.PasswordChanged {
			return Message{Key: "sync.passwordChangedShort"}
		}
		return Message{Key: "sync.synced", Args: map[string]any{"Time": syncTime(st.LastSync, now)}}
	case cloudsync.StateOffline:
		if st.Pending > 0 {
			return Message{Key: "sync.offlinePending", Args: map[string]any{"Count": st.Pending}}
		}
		return Message{Key: "sync.offline"}
	case cloudsync.StateError:
		return Message{Key: "sync.error", Args: map[string]any{"Reason": MessageFor(st.Err)}}
	case cloudsync.StateIdle:
		return Message{Key: "sync.idle"}
	}
	return Message{Key: "sync.off"}
}

// syncTime is when the last sync was: the time today, else the date and time (forms
// every language reads the same way).
func syncTime(t, now time.Time) any {
	if t.IsZero() {
		return Message{Key: "sync.never"}
	}
	t, now = t.Local(), now.Local()
	if y, m, d := t.Date(); y == now.Year() && m == now.Month() && d == now.Day() {
		return t.Format("15:04")
	}
	return t.Format("2006-01-02 15:04")
}
