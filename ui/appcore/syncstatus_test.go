package appcore

import (
	"fmt"
	"testing"
	"time"

	cloudsync "github.com/valvpm/valv/sync"
	"github.com/valvpm/valv/vault"
)

func failed(err error) cloudsync.Status {
	return cloudsync.Status{State: cloudsync.StateError, Err: err}
}

// TestProblemOf: each status that needs the person names its choice; the rest none.
func TestProblemOf(t *testing.T) {
	cases := []struct {
		st   cloudsync.Status
		want Problem
	}{
		{cloudsync.Status{State: cloudsync.StateSynced}, NoProblem},
		{cloudsync.Status{State: cloudsync.StateSynced, PasswordChanged: true}, ProblemPassword},
		{cloudsync.Status{State: cloudsync.StateOffline, Err: cloudsync.ErrOtherVault}, NoProblem},
		{failed(fmt.Errorf("link: %w", cloudsync.ErrOtherVault)), ProblemOtherVault},
		{failed(vault.ErrOtherVault), ProblemOtherVault},
		{failed(cloudsync.ErrReplaced), ProblemReplaced},
		{failed(cloudsync.ErrCloudWiped), ProblemWiped},
		{failed(ErrNeedMasterPassword), ProblemNeedMaster},
		{failed(cloudsync.ErrRolledBack), NoProblem},
	}
	for _, c := range cases {
		if got := ProblemOf(c.st); got != c.want {
			t.Errorf("%v (%v): problem %d, want %d", c.st.State, c.st.Err, got, c.want)
		}
	}
	if !Resolvable(failed(cloudsync.ErrRolledBack)) || Resolvable(cloudsync.Status{State: cloudsync.StateSynced}) {
		t.Error("What to do… is offered for the wrong statuses")
	}
}

// TestProblemToOpen: a problem's dialog opens once by itself, again when the person
// asks, and once more after sync was well in between.
func TestProblemToOpen(t *testing.T) {
	tc := newTestCore(t, DefaultSettings())
	other := failed(cloudsync.ErrOtherVault)
	steps := []struct {
		st    cloudsync.Status
		asked bool
		want  Problem
	}{
		{other, false, ProblemOtherVault},
		{other, false, NoProblem}, // the runner says it again: not again
		{other, true, ProblemOtherVault},
		{failed(cloudsync.ErrReplaced), false, ProblemReplaced},
		{cloudsync.Status{State: cloudsync.StateSyncing}, false, NoProblem},
		{failed(cloudsync.ErrReplaced), false, NoProblem}, // syncing is not well yet
		{cloudsync.Status{State: cloudsync.StateSynced}, false, NoProblem},
		{failed(cloudsync.ErrReplaced), false, ProblemReplaced},
	}
	for i, s := range steps {
		if got := tc.ProblemToOpen(s.st, s.asked); got != s.want {
			t.Errorf("step %d: opens %d, want %d", i, got, s.want)
		}
	}
}

// TestStatusMessage: the status line's sentence, with today's syncs said by time only.
func TestStatusMessage(t *testing.T) {
	now := time.Date(2026, 5, 6, 18, 0, 0, 0, time.Local)
	cases := []struct {
		st   cloudsync.Status
		key  string
		args map[string]any
	}{
		{cloudsync.Status{State: cloudsync.StateSynced, LastSync: now.Add(-3 * time.Hour)}, "sync.synced", map[string]any{"Time": "15:00"}},
		{cloudsync.Status{State: cloudsync.StateSynced, LastSync: now.Add(-24 * time.Hour)}, "sync.synced", map[string]any{"Time": "2026-05-05 18:00"}},
		{cloudsync.Status{State: cloudsync.StateSynced, PasswordChanged: true}, "sync.passwordChangedShort", nil},
		{cloudsync.Status{State: cloudsync.StateOffline, Pending: 3}, "sync.offlinePending", map[string]any{"Count": 3}},
		{cloudsync.Status{State: cloudsync.StateOffline}, "sync.offline", nil},
		{cloudsync.Status{State: cloudsync.StateSyncing}, "sync.syncing", nil},
		{cloudsync.Status{State: cloudsync.StateIdle}, "sync.idle", nil},
		{cloudsync.Status{State: cloudsync.StateOff}, "sync.off", nil},
	}
	langs := translations(t)
	for _, c := range cases {
		m := StatusMessage(c.st, now)
		if m.Key != c.key || fmt.Sprint(m.Args) != fmt.Sprint(c.args) {
			t.Errorf("%v: %+v, want %s %v", c.st.State, m, c.key, c.args)
		}
		checkSentence(t, c.key, m, langs)
	}
	m := StatusMessage(failed(cloudsync.ErrRolledBack), now)
	if r, ok := m.Args["Reason"].(Message); m.Key != "sync.error" || !ok || r.Key != "sync.errRolledBack" {
		t.Errorf("a refused cloud says %+v", m)
	}
	if never := StatusMessage(cloudsync.Status{State: cloudsync.StateSynced}, now); never.Args["Time"].(Message).Key != "sync.never" {
		t.Errorf("a sync that never happened says %+v", never)
	}
}

// TestNewConflicts: items changed on two devices are told once, when the sync that found
// them has finished.
func TestNewConflicts(t *testing.T) {
	synced := cloudsync.Status{State: cloudsync.StateSynced}
	synced.Last.Applied.Conflicts = 2
	if n := NewConflicts(cloudsync.Status{State: cloudsync.StateSyncing}, synced); n != 2 {
		t.Errorf("the sync that found 2 conflicts tells %d", n)
	}
	if n := NewConflicts(synced, synced); n != 0 {
		t.Errorf("the same report again tells %d", n)
	}
}
