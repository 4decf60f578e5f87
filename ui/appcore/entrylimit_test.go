package appcore

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/valvpm/valv/cloud/cloudtest"
	cloudsync "github.com/valvpm/valv/sync"
	"github.com/valvpm/valv/vault"
)

// TestEntryLimitSaid: a vault on the Free plan of a real valv-cloud (15 entries) gets
// 17. The status line says the plan's limit in the plan's number — not that sync
// stopped — and the 2 entries over it stay on this computer, pending.
func TestEntryLimitSaid(t *testing.T) {
	env := cloudtest.Start(t, cloudtest.PlanLimits)
	createCloudAccount(t, env, "free@example.com", "eu")
	news := make(chan func(), 1000)
	acc := testAccountOptions(env)
	tc := newTestCore(t, DefaultSettings(), func(o *Options) {
		o.Accounts = &acc
		o.Sync = SyncOptions{Interval: time.Hour, Debounce: time.Millisecond, OnUI: func(f func()) { news <- f }, NoLive: true}
	})
	var last cloudsync.Status
	tc.ListenSync(func(st cloudsync.Status) { last = st })
	signInCore(t, tc, env, "free@example.com", accountPW, "")
	tc.create(t)
	// The 17 notes arrive in one change (as an import would), so no sync runs between
	// them: a sync that ran after note 14 would put 14 in the cloud and hold 3 back,
	// and the test is about the plan's number, not about when syncs happen to run.
	notes := make([]*vault.Item, 17)
	for i := range notes {
		notes[i] = &vault.Item{Type: vault.TypeNote, Title: fmt.Sprintf("note %02d", i)}
	}
	if v, err := tc.Unlocked(); err != nil {
		t.Fatal(err)
	} else if _, err := v.AddAll(notes); err != nil {
		t.Fatal(err)
	}
	deadline := time.After(2 * time.Minute)
	for !errors.Is(last.Err, cloudsync.ErrEntryLimit) || last.State != cloudsync.StateError || last.Pending != 2 {
		select {
		case f := <-news:
			f()
		case <-deadline:
			t.Fatalf("waited 2 min for the entry limit; status %+v", last)
		}
	}
	m := StatusMessage(last, time.Now())
	if m.Key != "accountError.entryLimit" || m.Args["Count"] != 15 {
		t.Errorf("the status line says %+v", m)
	}
	checkSentence(t, "the entry limit on the status line", m, translations(t))
	if last.Pending != 2 || countItems(t, tc) != 17 {
		t.Errorf("%d pending of %d entries, want 2 of 17", last.Pending, countItems(t, tc))
	}

	// The entries held back are read-only: an edit is refused with the same sentence,
	// the entry is as it was; deleting one is allowed.
	held := last.Err.(*cloudsync.LimitError).Held
	v, err := tc.Unlocked()
	if err != nil {
		t.Fatal(err)
	}
	it, err := v.Get(held[0])
	if err != nil {
		t.Fatal(err)
	}
	edit := it.Clone()
	edit.Title = "changed"
	if _, err := tc.Save(edit); !errors.Is(err, cloudsync.ErrEntryLimit) || !tc.ReadOnly(it.ID) {
		t.Errorf("editing a held entry: %v (read-only %v)", err, tc.ReadOnly(it.ID))
	}
	if now, _ := v.Get(it.ID); now.Title != it.Title {
		t.Errorf("the refused edit changed the entry to %q", now.Title)
	}
	all, err := v.List(vault.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	synced := 0
	for _, it := range all {
		if !slices.Contains(held, it.ID) {
			synced++
			if tc.ReadOnly(it.ID) {
				t.Errorf("%q is read-only, but it is in the cloud", it.Title)
			}
		}
	}
	if synced != 15 {
		t.Errorf("%d entries in the cloud, want 15", synced)
	}
	if err := tc.Delete(held[1]); err != nil {
		t.Errorf("deleting a held entry: %v", err)
	}
}
