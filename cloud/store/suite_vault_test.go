package store

import (
	"errors"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/valvpm/valv/cloud/api"
)

// newVault opens a fresh store with a vault (key epoch 1) for account "a".
func newVault(t *testing.T, b backend) (Store, string) {
	t.Helper()
	loc := b.fresh(t)
	s := b.open(t, loc)
	closeStore(t, s)
	if _, err := s.PutVaultHeader("a", api.VaultHeader{VaultID: "v", KeyEpoch: 1, WrappedKey: []byte("k")}); err != nil {
		t.Fatal(err)
	}
	return s, loc
}

func push(t *testing.T, s Store, items ...api.PushItem) *api.PushResponse {
	t.Helper()
	r, err := s.Push("a", api.PushRequest{KeyEpoch: 1, Items: items}, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// pullAll pulls every change after since, page by page.
func pullAll(t *testing.T, s Store, since uint64, lim Limits) []api.VaultItem {
	t.Helper()
	var out []api.VaultItem
	for {
		pr, err := s.Pull("a", since, 0, lim)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, pr.Items...)
		since = pr.Next
		if !pr.More {
			return out
		}
	}
}

// race runs fn(i) for i < n in goroutines released together, and waits for them.
func race(n int, fn func(i int)) {
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			fn(i)
		}()
	}
	close(start)
	wg.Wait()
}

func testAccountIndexes(t *testing.T, b backend) {
	s := b.open(t, b.fresh(t))
	closeStore(t, s)
	if err := s.CreateAccount(&Account{ID: "a", Email: "a@example.com", Identities: []Identity{{"google", "ga"}}}); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateAccount(&Account{ID: "b", Email: "b@example.com"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateAccount("b", func(a *Account) error { a.Email = "a@example.com"; return nil }); !errors.Is(err, ErrEmailTaken) {
		t.Fatalf("moving onto a taken e-mail: %v", err)
	}
	if _, err := s.UpdateAccount("b", func(a *Account) error { a.Identities = []Identity{{"google", "ga"}}; return nil }); !errors.Is(err, ErrIdentityTaken) {
		t.Fatalf("linking a taken identity: %v", err)
	}
	if got, err := s.Account("b"); err != nil || got.Email != "b@example.com" || len(got.Identities) != 0 {
		t.Fatalf("a refused update changed the account: %+v %v", got, err)
	}
	if _, err := s.UpdateAccount("a", func(a *Account) error { a.Identities = []Identity{{"apple", "aa"}}; return nil }); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AccountByIdentity("google", "ga"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("an unlinked identity still finds the account: %v", err)
	}
	if got, err := s.AccountByIdentity("apple", "aa"); err != nil || got.ID != "a" {
		t.Fatalf("the new identity: %+v %v", got, err)
	}
	if _, err := s.UpdateAccount("nobody", func(*Account) error { return nil }); !errors.Is(err, ErrNotFound) {
		t.Fatalf("updating a missing account: %v", err)
	}
	var mu sync.Mutex
	won := 0
	race(8, func(i int) {
		err := s.CreateAccount(&Account{ID: fmt.Sprint("c", i), Email: "c@example.com"})
		mu.Lock()
		defer mu.Unlock()
		switch {
		case err == nil:
			won++
		case !errors.Is(err, ErrEmailTaken):
			t.Errorf("racing sign-up: %v", err)
		}
	})
	if won != 1 {
		t.Fatalf("%d accounts got the same e-mail", won)
	}
}

func testRedeemOnce(t *testing.T, b backend) {
	s := b.open(t, b.fresh(t))
	closeStore(t, s)
	if err := s.PutActivationCode(&ActivationCode{Code: "CODE-1", Plan: "personal", Days: 30}); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	var got []*Licence
	race(8, func(i int) {
		l, err := s.RedeemActivationCode("CODE-1", fmt.Sprint("acct", i), now, func(c *ActivationCode) *Licence {
			return &Licence{ID: "l", AccountID: c.UsedBy, Plan: c.Plan}
		})
		mu.Lock()
		defer mu.Unlock()
		if err == nil {
			got = append(got, l)
		} else if !errors.Is(err, ErrCodeUsed) {
			t.Errorf("racing redeem: %v", err)
		}
	})
	if len(got) != 1 {
		t.Fatalf("one code gave %d licences", len(got))
	}
	if ls, err := s.Licences(got[0].AccountID); err != nil || len(ls) != 1 || ls[0].Plan != "personal" {
		t.Fatalf("the winner's licences: %+v %v", ls, err)
	}
	if _, err := s.RedeemActivationCode("NO-SUCH\x00CODE", "x", now, nil); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown code: %v", err)
	}
}

func testPushConflicts(t *testing.T, b backend) {
	s, _ := newVault(t, b)
	if _, err := s.Push("nobody", api.PushRequest{KeyEpoch: 1, Items: []api.PushItem{{ID: "x"}}}, Limits{}); !errors.Is(err, ErrVaultNotFound) {
		t.Fatalf("push without a vault: %v", err)
	}
	r := push(t, s, api.PushItem{ID: "x", Blob: []byte("one")})
	if r.LatestChange != 1 || len(r.Items) != 1 || r.Items[0].Change != 1 {
		t.Fatalf("first push: %+v", r)
	}
	_, err := s.Push("a", api.PushRequest{KeyEpoch: 1, Items: []api.PushItem{
		{ID: "new", Blob: []byte("n")}, {ID: "x", Blob: []byte("two")}, {ID: "ghost", BaseChange: 7, Deleted: true}}}, Limits{})
	var ce *ConflictError
	if !errors.As(err, &ce) || len(ce.Items) != 2 || string(ce.Items[0].Blob) != "one" || ce.Items[0].Change != 1 ||
		ce.Items[1].ID != "ghost" || !ce.Items[1].Deleted {
		t.Fatalf("stale bases: %+v", err)
	}
	if h, err := s.VaultHeader("a"); err != nil || h.LatestChange != 1 {
		t.Fatalf("a refused push changed the vault: %+v %v", h, err)
	}
	var ee *EpochError
	if _, err := s.Push("a", api.PushRequest{KeyEpoch: 2, Items: []api.PushItem{{ID: "y"}}}, Limits{}); !errors.As(err, &ee) || ee.Current != 1 {
		t.Fatalf("wrong epoch: %v", err)
	}
	for _, items := range [][]api.PushItem{{{ID: ""}}, {{ID: "d"}, {ID: "d"}}, {{ID: string(make([]byte, MaxItemIDLen+1))}}} {
		if _, err := s.Push("a", api.PushRequest{KeyEpoch: 1, Items: items}, Limits{}); !errors.Is(err, ErrInvalidItem) {
			t.Fatalf("bad IDs %q: %v", items[0].ID, err)
		}
	}
	if _, err := s.Push("a", api.PushRequest{KeyEpoch: 1, Items: []api.PushItem{{ID: "p", Blob: make([]byte, 11)}}}, Limits{MaxItemBytes: 10}); !errors.Is(err, ErrItemTooLarge) {
		t.Fatalf("an item over the limit: %v", err)
	}
	// An ID with bytes no text column takes is stored and read back exactly.
	odd := "id\x00é"
	push(t, s, api.PushItem{ID: odd, Blob: []byte("b")}, api.PushItem{ID: "x", BaseChange: 1, Deleted: true})
	items := pullAll(t, s, 1, Limits{})
	if len(items) != 2 || items[0].ID != odd || items[1].ID != "x" || !items[1].Deleted || items[1].Blob != nil {
		t.Fatalf("after the second push: %+v", items)
	}
}

func testPullPages(t *testing.T, b backend) {
	s, _ := newVault(t, b)
	for i := range 10 {
		push(t, s, api.PushItem{ID: fmt.Sprint("i", i), Blob: []byte("abc")})
	}
	pr, err := s.Pull("a", 0, 4, Limits{})
	if err != nil || len(pr.Items) != 4 || !pr.More || pr.Next != 4 || pr.LatestChange != 10 || pr.KeyEpoch != 1 {
		t.Fatalf("page by count: %+v %v", pr, err)
	}
	if pr, err = s.Pull("a", 4, 0, Limits{MaxPullBytes: 7}); err != nil || len(pr.Items) != 2 || !pr.More || pr.Next != 6 {
		t.Fatalf("page by bytes: %+v %v", pr, err)
	}
	if pr, err = s.Pull("a", 4, 0, Limits{MaxPullBytes: 2}); err != nil || len(pr.Items) != 1 || pr.Next != 5 {
		t.Fatalf("an item over the page's bytes comes alone: %+v %v", pr, err)
	}
	if pr, err = s.Pull("a", 10, 0, Limits{}); err != nil || len(pr.Items) != 0 || pr.More || pr.Next != 10 {
		t.Fatalf("nothing new: %+v %v", pr, err)
	}
	// A changed item moves to the end: a device that pulled it before sees it again.
	push(t, s, api.PushItem{ID: "i0", BaseChange: 1, Blob: []byte("new")})
	items := pullAll(t, s, 0, Limits{MaxPullBytes: 5})
	if len(items) != 10 || items[0].ID != "i1" || items[9].ID != "i0" || items[9].Change != 11 || string(items[9].Blob) != "new" {
		t.Fatalf("after an edit: %+v", items)
	}
}

func testReplaceAndWipe(t *testing.T, b backend) {
	s, _ := newVault(t, b)
	push(t, s, api.PushItem{ID: "x"}, api.PushItem{ID: "y"}, api.PushItem{ID: "z"})
	var ee *EpochError
	h2 := api.VaultHeader{VaultID: "v2", KeyEpoch: 1, WrappedKey: []byte("k2")}
	if _, err := s.Replace("a", h2, nil, Limits{}); !errors.As(err, &ee) || ee.Current != 1 {
		t.Fatalf("replace with the same epoch: %v", err)
	}
	h2.KeyEpoch = 2
	lim := Limits{MaxEntries: 1}
	var le *EntryLimitError
	if _, err := s.Replace("a", h2, []api.PushItem{{ID: "p"}, {ID: "q"}}, lim); !errors.As(err, &le) {
		t.Fatalf("replace over the entry limit: %v", err)
	}
	r, err := s.Replace("a", h2, []api.PushItem{{ID: "p", Blob: []byte("P")}, {ID: "q", Deleted: true}}, lim)
	if err != nil || r.KeyEpoch != 2 || r.LatestChange != 5 {
		t.Fatalf("replace: %+v %v", r, err)
	}
	if items := pullAll(t, s, 0, Limits{}); len(items) != 2 || items[0].Change != 4 || items[1].ID != "q" {
		t.Fatalf("the replaced vault: %+v", items)
	}
	if _, err := s.Push("a", api.PushRequest{KeyEpoch: 2, Items: []api.PushItem{{ID: "r"}}}, lim); !errors.As(err, &le) {
		t.Fatalf("replace kept no entry count: %v", err)
	}
	w, err := s.Wipe("a")
	if err != nil || w.KeyEpoch != 3 || w.LatestChange != 5 {
		t.Fatalf("wipe: %+v %v", w, err)
	}
	if _, err := s.VaultHeader("a"); !errors.Is(err, ErrVaultNotFound) {
		t.Fatalf("header after a wipe: %v", err)
	}
	if _, err := s.PutVaultHeader("a", api.VaultHeader{VaultID: "v3", KeyEpoch: 3, WrappedKey: []byte("k")}); !errors.As(err, &ee) || ee.Current != 3 {
		t.Fatalf("a new vault at the wiped epoch: %v", err)
	}
	h, err := s.PutVaultHeader("a", api.VaultHeader{VaultID: "v4", KeyEpoch: 4, WrappedKey: []byte("k")})
	if err != nil || h.LatestChange != 5 {
		t.Fatalf("a new vault: %+v %v", h, err)
	}
	if _, err := s.PutVaultHeader("a", api.VaultHeader{VaultID: "other", KeyEpoch: 4, WrappedKey: []byte("k")}); !errors.Is(err, ErrVaultExists) {
		t.Fatalf("another vault ID: %v", err)
	}
	if items := pullAll(t, s, 0, Limits{}); len(items) != 0 {
		t.Fatalf("the new vault has old items: %+v", items)
	}
}

// testConcurrentPushes: many devices push at once while another pulls along. Change
// numbers are 1…n with no gap, and the puller, following its Next, misses nothing: a
// change number it passed is never taken by a push that commits later.
func testConcurrentPushes(t *testing.T, b backend) {
	s, _ := newVault(t, b)
	const writers, pushes, per = 12, 8, 3
	done := make(chan struct{})
	pulled := make(chan map[string]uint64, 1)
	go func() {
		seen, since := map[string]uint64{}, uint64(0)
		for finished := false; ; {
			select {
			case <-done:
				finished = true
			default:
			}
			pr, err := s.Pull("a", since, 0, Limits{})
			if err != nil {
				t.Error(err)
				break
			}
			for _, it := range pr.Items {
				seen[it.ID] = it.Change
			}
			since = pr.Next
			if finished && !pr.More {
				break
			}
		}
		pulled <- seen
	}()
	race(writers, func(w int) {
		for p := range pushes {
			var items []api.PushItem
			for k := range per {
				items = append(items, api.PushItem{ID: fmt.Sprintf("w%d-p%d-%d", w, p, k), Blob: []byte("x")})
			}
			if _, err := s.Push("a", api.PushRequest{KeyEpoch: 1, Items: items}, Limits{}); err != nil {
				t.Error(err)
			}
		}
	})
	close(done)
	seen := <-pulled
	const n = writers * pushes * per
	items := pullAll(t, s, 0, Limits{})
	if len(items) != n || len(seen) != n {
		t.Fatalf("%d items stored, %d pulled along, want %d", len(items), len(seen), n)
	}
	for i, it := range items {
		if it.Change != uint64(i+1) || seen[it.ID] != it.Change {
			t.Fatalf("item %d: %+v, pulled along as change %d", i, it, seen[it.ID])
		}
	}
}

// testRacingPushesOneWins: devices pushing the same item on the same base at once:
// exactly one wins each round, the others get the winner's version as a conflict.
func testRacingPushesOneWins(t *testing.T, b backend) {
	s, _ := newVault(t, b)
	base := uint64(0)
	for round := range 5 {
		var mu sync.Mutex
		var wins []uint64
		conflicts := 0
		race(6, func(i int) {
			r, err := s.Push("a", api.PushRequest{KeyEpoch: 1, Items: []api.PushItem{{ID: "x", BaseChange: base, Blob: []byte(fmt.Sprint(round, i))}}}, Limits{})
			mu.Lock()
			defer mu.Unlock()
			var ce *ConflictError
			switch {
			case err == nil:
				wins = append(wins, r.Items[0].Change)
			case errors.As(err, &ce):
				conflicts++
			default:
				t.Error(err)
			}
		})
		if len(wins) != 1 || conflicts != 5 {
			t.Fatalf("round %d: %d won, %d conflicts", round, len(wins), conflicts)
		}
		base = wins[0]
	}
	if h, err := s.VaultHeader("a"); err != nil || h.LatestChange != 5 {
		t.Fatalf("five wins made changes up to %+v %v", h, err)
	}
}

var errFull = errors.New("full")

// testAtomicCounters: a check-and-count in one Temp call holds under a race: of many
// attempts at once no more pass than the limit, and no increment is lost.
func testAtomicCounters(t *testing.T, b backend) {
	s := b.open(t, b.fresh(t))
	closeStore(t, s)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	count := func(limit int) TempFunc {
		return func(v []byte) ([]byte, time.Time, error) {
			n, _ := strconv.Atoi(string(v))
			if limit > 0 && n >= limit {
				return v, now.Add(time.Hour), errFull
			}
			return []byte(strconv.Itoa(n + 1)), now.Add(time.Hour), nil
		}
	}
	var mu sync.Mutex
	passed := 0
	race(24, func(int) {
		err := s.Temp("fail_ip", "192.0.2.1", now, count(5))
		mu.Lock()
		defer mu.Unlock()
		if err == nil {
			passed++
		} else if !errors.Is(err, errFull) {
			t.Error(err)
		}
	})
	race(24, func(int) {
		if err := s.Temp("rate", "ip:192.0.2.1|minute", now, count(0)); err != nil {
			t.Error(err)
		}
	})
	var got []byte
	read := func(v []byte) ([]byte, time.Time, error) { got = v; return v, now.Add(time.Hour), nil }
	if err := s.Temp("fail_ip", "192.0.2.1", now, read); err != nil || passed != 5 || string(got) != "5" {
		t.Fatalf("%d of 24 passed a limit of 5, counted %q: %v", passed, got, err)
	}
	if err := s.Temp("rate", "ip:192.0.2.1|minute", now, read); err != nil || string(got) != "24" {
		t.Fatalf("24 racing increments counted %q: %v", got, err)
	}
}

// testWatchAnnounces: pushes, replaces and wipes wake the account's watchers; with a
// shared database, the watchers of another process on it too.
func testWatchAnnounces(t *testing.T, b backend) {
	s, loc := newVault(t, b)
	other := s
	if b.name == "postgres" {
		other = b.open(t, loc)
		closeStore(t, other)
	}
	changed, stop := other.Watch("a")
	defer stop()
	await := func(what string) {
		t.Helper()
		select {
		case <-changed:
		case <-time.After(5 * time.Second):
			t.Fatalf("no notice of the %s within 5 s", what)
		}
	}
	drain := func() {
		for len(changed) > 0 {
			<-changed
		}
	}
	drain() // a notice may come without a change (a new listening connection)
	push(t, s, api.PushItem{ID: "x"})
	await("push")
	if _, err := s.Replace("a", api.VaultHeader{VaultID: "v", KeyEpoch: 2, WrappedKey: []byte("k")}, nil, Limits{}); err != nil {
		t.Fatal(err)
	}
	await("replace")
	if _, err := s.Wipe("a"); err != nil {
		t.Fatal(err)
	}
	await("wipe")
}

// testCounterHammer: many goroutines count up and down on one record at once, as
// parallel sign-ins reserve and release their failures: a count back at zero deletes
// the record while others wait to change it, peeks abort their transaction, and
// expired records are purged meanwhile. Every call succeeds and nothing is lost.
func testCounterHammer(t *testing.T, b backend) {
	s := b.open(t, b.fresh(t))
	closeStore(t, s)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	add := func(d int) TempFunc {
		return func(v []byte) ([]byte, time.Time, error) {
			n, _ := strconv.Atoi(string(v))
			if n += d; n <= 0 {
				return nil, time.Time{}, nil // back at zero: the record goes
			}
			return []byte(strconv.Itoa(n)), now.Add(time.Hour), nil
		}
	}
	peek := func([]byte) ([]byte, time.Time, error) { return nil, time.Time{}, errFull }
	const workers, rounds = 32, 8
	var mu sync.Mutex
	var errs []error
	note := func(err error) {
		if err != nil && !errors.Is(err, errFull) {
			mu.Lock()
			errs = append(errs, err)
			mu.Unlock()
		}
	}
	race(workers+1, func(i int) {
		if i == workers { // the sweeper
			for range rounds {
				note(s.PurgeExpired(now))
			}
			return
		}
		for range rounds {
			// Each take-back follows its own count, so the count never goes below zero.
			note(s.Temp("fail_acct", "race@example.com", now, add(1)))
			note(s.Temp("fail_acct", "race@example.com", now, peek))
			note(s.Temp("fail_acct", "race@example.com", now, add(-1)))
		}
		note(s.Temp("fail_acct", "race@example.com", now, add(1)))
	})
	for _, err := range errs[:min(len(errs), 5)] {
		t.Errorf("a racing counter call failed: %v", err)
	}
	if len(errs) > 0 {
		t.Fatalf("%d of %d racing counter calls failed", len(errs), workers*(3*rounds+1)+rounds)
	}
	var got []byte
	read := func(v []byte) ([]byte, time.Time, error) { got = v; return v, now.Add(time.Hour), nil }
	if err := s.Temp("fail_acct", "race@example.com", now, read); err != nil || string(got) != strconv.Itoa(workers) {
		t.Fatalf("after the race the count is %q, want %d: %v", got, workers, err)
	}
}
