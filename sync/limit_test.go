package cloudsync

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/valvpm/valv/cloud/api"
	"github.com/valvpm/valv/cloud/cloudtest"
	"github.com/valvpm/valv/vault"
)

// countingRemote counts the pushes a Remote is asked for, and those refused for the
// plan's entry limit.
type countingRemote struct {
	Remote
	pushes, refused int
}

func (c *countingRemote) Push(ctx context.Context, req api.PushRequest) (*api.PushResponse, error) {
	c.pushes++
	resp, err := c.Remote.Push(ctx, req)
	if apiCode(err) == api.CodeEntryLimit {
		c.refused++
	}
	return resp, err
}

func note(title string) *vault.Item {
	return &vault.Item{Type: vault.TypeNote, Title: title, Notes: "n"}
}

// TestEntryLimitHoldsBackNewEntries: on the Free plan (15 entries, enforced by the real
// valv-cloud) a device with 12 synced entries adds 5 and edits one. The sync pushes the
// edit and as many new entries as fit, holds the other 2 back — pending, on this device,
// nothing lost — and says so with the plan's limit. Syncing again sends no push the
// cloud would refuse; a deletion on another device makes room and the held entries go
// up; the plan changing (Sync now) lets the last ones through.
func TestEntryLimitHoldsBackNewEntries(t *testing.T) {
	env := cloudtest.Start(t, cloudtest.PlanLimits)
	var items []*vault.Item
	for i := range 12 {
		items = append(items, note(fmt.Sprintf("old %02d", i)))
	}
	a := firstDevice(t, env, "free@example.com", items...)
	cr := &countingRemote{Remote: a.c}
	a.e = New(a.v, cr)
	for i := range 5 {
		if _, err := a.v.Add(note(fmt.Sprintf("new %d", i))); err != nil {
			t.Fatal(err)
		}
	}
	old, _ := a.v.Search("old 00", vault.Filter{})
	if len(old) != 1 {
		t.Fatalf("%d entries called old 00", len(old))
	}
	edited := old[0].Clone()
	edited.Notes = "edited"
	if _, err := a.v.Update(edited); err != nil {
		t.Fatal(err)
	}
	local := snapshot(t, a.v)

	_, err := a.e.SyncOnce(bg)
	var le *LimitError
	if !errors.As(err, &le) || !errors.Is(err, ErrEntryLimit) || le.Max != 15 || len(le.Held) != 2 {
		t.Fatalf("sync over the limit: %v (%+v)", err, le)
	}
	if n, _ := a.v.PendingCount(); n != 2 {
		t.Errorf("%d changes pending, want the 2 held back", n)
	}
	if got := snapshot(t, a.v); len(got) != 17 || fmt.Sprint(got) != fmt.Sprint(local) {
		t.Errorf("the device lost or changed entries: %d of 17", len(got))
	}
	if st, _ := a.v.SyncState(); st.LastSync.IsZero() {
		t.Error("a sync that held entries back is not recorded as a sync")
	}
	b := nextDevice(t, env, "free@example.com", "d2")
	cloud := snapshot(t, b.v)
	if len(cloud) != 15 || cloud[edited.ID] != local[edited.ID] {
		t.Fatalf("the cloud has %d entries (want 15), the edit %q", len(cloud), cloud[edited.ID])
	}
	for _, id := range le.Held {
		if _, ok := cloud[id]; ok {
			t.Errorf("held entry %s is in the cloud", id)
		}
	}

	// Nothing changed: no push the cloud would refuse again.
	before := cr.refused
	for range 3 {
		if _, err := a.e.SyncOnce(bg); !errors.Is(err, ErrEntryLimit) {
			t.Fatalf("sync again: %v", err)
		}
	}
	if cr.refused != before {
		t.Errorf("%d refused pushes while nothing changed", cr.refused-before)
	}

	// Another device deletes one entry: room for one held entry.
	if err := b.v.Delete(edited.ID); err != nil {
		t.Fatal(err)
	}
	b.sync(t)
	if _, err := a.e.SyncOnce(bg); !errors.As(err, &le) || len(le.Held) != 1 {
		t.Fatalf("after a deletion elsewhere: %v (%+v)", err, le)
	}
	if n, _ := a.v.PendingCount(); n != 1 {
		t.Errorf("%d pending after room was made, want 1", n)
	}

	// A plan without a limit, then Sync now: the last entry goes up.
	activate(t, env, "free@example.com")
	a.e.RetryEntryLimit()
	if _, err := a.e.SyncOnce(bg); err != nil {
		t.Fatalf("after the plan changed: %v", err)
	}
	if n, _ := a.v.PendingCount(); n != 0 {
		t.Errorf("%d pending on a plan without a limit", n)
	}
	b.sync(t)
	if got, want := snapshot(t, b.v), snapshot(t, a.v); fmt.Sprint(got) != fmt.Sprint(want) || len(got) != 16 {
		t.Errorf("the devices differ: %d and %d entries", len(got), len(want))
	}
}

// activate puts email on the Personal plan (no entry limit) with an activation code,
// as the account's owner would on the website.
func activate(t *testing.T, env *cloudtest.Env, email string) {
	t.Helper()
	if err := env.Server.AddActivationCode("TEST-PERSONAL-1", "personal", 30); err != nil {
		t.Fatal(err)
	}
	env.Post(t, api.PathActivate, env.SignIn(t, email, "Account-Pass1"), api.ActivateRequest{Code: "TEST-PERSONAL-1"}, nil)
}

// TestEntryLimitWithSavesRacingSyncs: on the Free plan (15 entries) a device with 12
// synced entries keeps saving new notes while it syncs. Whatever the interleaving, once
// the saves stop and a sync settles, the cloud holds exactly the plan's 15 entries and
// only the rest stays on this device: the room the engine reckons is counted in one
// read, so a save in between does not make it hold back more than the limit needs.
func TestEntryLimitWithSavesRacingSyncs(t *testing.T) {
	env := cloudtest.Start(t, cloudtest.PlanLimits)
	var items []*vault.Item
	for i := range 12 {
		items = append(items, note(fmt.Sprintf("old %02d", i)))
	}
	a := firstDevice(t, env, "race@example.com", items...)

	stop, done := make(chan struct{}), make(chan error, 1)
	go func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				done <- nil
				return
			default:
			}
			if _, err := a.v.Add(note(fmt.Sprintf("new %03d", i))); err != nil {
				done <- err
				return
			}
		}
	}()
	for range 6 {
		if _, err := a.e.SyncOnce(bg); err != nil && !errors.Is(err, ErrEntryLimit) {
			close(stop)
			<-done
			t.Fatalf("sync while saving: %v", err)
		}
	}
	close(stop)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	_, err := a.e.SyncOnce(bg)
	local := a.v.Len()
	var le *LimitError
	if local > 15 && (!errors.As(err, &le) || len(le.Held) != local-15) {
		t.Fatalf("%d entries here, plan keeps 15: the sync ended with %v, want %d held", local, err, local-15)
	}
	if n, _ := a.v.PendingCount(); n != max(0, local-15) {
		t.Errorf("%d changes pending of %d entries, want %d", n, local, max(0, local-15))
	}
	b := nextDevice(t, env, "race@example.com", "d2")
	if got := len(snapshot(t, b.v)); got != min(local, 15) {
		t.Errorf("the cloud has %d entries, want %d", got, min(local, 15))
	}
}
