package cloudsync

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/valvpm/valv/cloud/cloudtest"
	"github.com/valvpm/valv/vault"
)

// TestRandomInterleavings drives three devices through random offline edits, deletes,
// syncs and reconnects (fixed seeds, 1,200 operations each), then checks that all
// devices converge and that every password ever saved is still there — current, in
// an item's history or in a conflict copy — unless its item was deleted after it was
// saved (a deletion is a person's choice; an edit made elsewhere at the same time
// still brings the item back, with that edit's values).
//
// Each item is edited at most four times, so the five-entry password history can hold
// every earlier value; deletions never pick conflict copies (a person deleting a copy
// means to drop it).
func TestRandomInterleavings(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) { randomRun(t, seed, 1200) })
	}
}

func randomRun(t *testing.T, seed uint64, ops int) {
	rng := rand.New(rand.NewPCG(seed, 77))
	env := cloudtest.Start(t)
	email := fmt.Sprintf("random%d@example.com", seed)
	devs := []*device{firstDevice(t, env, email)}
	devs = append(devs, nextDevice(t, env, email, "d2"), nextDevice(t, env, email, "d3"))
	online := []bool{true, true, true}

	saved := map[string]vault.ID{} // every password ever saved → its item
	edits := map[vault.ID]int{}
	deleted := map[vault.ID]int{} // item → the op that last deleted it
	savedAt := map[string]int{}   // password → the op that saved it
	n := 0
	logs := map[vault.ID][]string{} // per item: what happened to it, for failure messages
	logf := func(id vault.ID, f string, a ...any) { logs[id] = append(logs[id], fmt.Sprintf(f, a...)) }
	next := func() string { n++; return fmt.Sprintf("pw-%d-%d", seed, n) }

	for op := range ops {
		i := rng.IntN(len(devs))
		d := devs[i]
		items, _ := d.v.List(vault.Filter{})
		switch k := rng.IntN(100); {
		case k < 25 || len(items) == 0: // add
			pw := next()
			it, err := d.v.Add(&vault.Item{Type: vault.TypeLogin, Title: fmt.Sprintf("item %d", n), Password: pw})
			if err != nil {
				t.Fatal(err)
			}
			saved[pw], savedAt[pw] = it.ID, op
			logf(it.ID, "op %d: %s adds %s", op, d.name, pw)
		case k < 55: // edit the password, sometimes the title too
			it := items[rng.IntN(len(items))].Clone()
			if edits[it.ID] >= 4 || strings.Contains(it.Title, "conflict copy") {
				continue
			}
			edits[it.ID]++
			it.Password = next()
			if rng.IntN(3) == 0 {
				it.Title += "'"
			}
			if _, err := d.v.Update(it); err != nil {
				t.Fatal(err)
			}
			saved[it.Password], savedAt[it.Password] = it.ID, op
			logf(it.ID, "op %d: %s sets %s (title %q)", op, d.name, it.Password, it.Title)
		case k < 62: // delete
			it := items[rng.IntN(len(items))]
			if strings.Contains(it.Title, "conflict copy") {
				continue
			}
			if err := d.v.Delete(it.ID); err != nil {
				t.Fatal(err)
			}
			deleted[it.ID] = op
			logf(it.ID, "op %d: %s deletes", op, d.name)
		case k < 70: // connectivity changes
			online[i] = !online[i]
		default: // sync, when online
			if online[i] {
				rep, err := d.e.SyncOnce(bg)
				if err != nil {
					t.Fatalf("op %d: sync on %s: %v", op, d.name, err)
				}
				if rep.Applied.Conflicts > 0 || rep.Pushed > 0 || rep.Pulled > 0 {
					for id := range logs {
						logf(id, "op %d: %s syncs (pulled %d pushed %d conflicts %d)", op, d.name, rep.Pulled, rep.Pushed, rep.Applied.Conflicts)
					}
				}
			}
		}
	}
	// Everyone back online; sync until nothing moves.
	for round := range 4 {
		for _, d := range devs {
			if _, err := d.e.SyncOnce(bg); err != nil {
				t.Fatalf("final round %d on %s: %v", round, d.name, err)
			}
		}
	}
	want := snapshot(t, devs[0].v)
	for _, d := range devs[1:] {
		if got := snapshot(t, d.v); !maps.Equal(got, want) {
			t.Fatalf("%s differs from d1 after syncing (%d vs %d items)", d.name, len(got), len(want))
		}
	}
	for _, d := range devs {
		if n, _ := d.v.PendingCount(); n != 0 {
			t.Errorf("%s still has %d pending changes", d.name, n)
		}
	}
	// Nothing saved is lost.
	have := map[string]bool{}
	present := map[vault.ID]bool{}
	items, _ := devs[0].v.List(vault.Filter{})
	for _, it := range items {
		present[it.ID] = true
		have[it.Password] = true
		for _, h := range it.History {
			have[h.Password] = true
		}
	}
	lost := 0
	for pw, id := range saved {
		// A deletion after the value was saved drops it on purpose, even when a
		// concurrent edit on another device brings the item back with that device's
		// own values.
		if del, wasDeleted := deleted[id]; !have[pw] && !(wasDeleted && del > savedAt[pw]) {
			lost++
			if lost < 3 {
				t.Errorf("password %s of item %s was lost:\n%s", pw, id, strings.Join(logs[id], "\n"))
			}
		}
	}
	copies := 0
	for _, it := range items {
		if strings.Contains(it.Title, "conflict copy") {
			copies++
		}
	}
	t.Logf("seed %d: %d items, %d passwords saved, %d deleted, %d conflict copies, %d lost", seed, len(items), len(saved), len(deleted), copies, lost)
}
