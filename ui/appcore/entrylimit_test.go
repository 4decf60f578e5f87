package appcore

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/valvpm/valv/cloud/cloudtest"
	cloudsync "github.com/valvpm/valv/sync"
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
		o.Sync = SyncOptions{Interval: time.Hour, Debounce: time.Millisecond, OnUI: func(f func()) { news <- f }}
	})
	var last cloudsync.Status
	tc.ListenSync(func(st cloudsync.Status) { last = st })
	signInCore(t, tc, env, "free@example.com", accountPW, "")
	tc.create(t)
	for i := range 17 {
		addNote(t, tc, fmt.Sprintf("note %02d", i))
	}
	deadline := time.After(2 * time.Minute)
	for !errors.Is(last.Err, cloudsync.ErrEntryLimit) || last.State != cloudsync.StateError {
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
}
