package store

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/valvpm/valv/cloud/api"
)

// testPersistAndDelete: committed data survives a reopen, and deleting an account
// removes its indexes, sessions, licences and vault but nothing of another account.
func testPersistAndDelete(t *testing.T, b backend) {
	loc := b.fresh(t)
	s := b.open(t, loc)
	for _, id := range []string{"a", "b"} {
		if err := s.CreateAccount(&Account{ID: id, Email: id + "@example.com", Identities: []Identity{{"google", "sub-" + id}}}); err != nil {
			t.Fatal(err)
		}
		if err := s.PutSession(&Session{ID: "s-" + id, AccountID: id}); err != nil {
			t.Fatal(err)
		}
		if err := s.PutLicence(&Licence{ID: "l-" + id, AccountID: id, Plan: "personal"}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.PutVaultHeader(id, api.VaultHeader{VaultID: "v", KeyEpoch: 1, WrappedKey: []byte("k")}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.CreateAccount(&Account{ID: "c", Email: "a@example.com"}); !errors.Is(err, ErrEmailTaken) {
		t.Fatalf("duplicate e-mail: %v", err)
	}
	if err := s.CreateAccount(&Account{ID: "c", Email: "c@example.com", Identities: []Identity{{"google", "sub-a"}}}); !errors.Is(err, ErrIdentityTaken) {
		t.Fatalf("duplicate identity: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = b.open(t, loc)
	defer func() {
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	}()
	if err := s.DeleteAccount("a"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AccountByEmail("a@example.com"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("e-mail index after delete: %v", err)
	}
	if _, err := s.AccountByIdentity("google", "sub-a"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("identity index after delete: %v", err)
	}
	if _, err := s.Session("s-a"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("session after delete: %v", err)
	}
	if _, err := s.VaultHeader("a"); !errors.Is(err, ErrVaultNotFound) {
		t.Fatalf("vault after delete: %v", err)
	}
	if l, err := s.Licences("a"); err != nil || len(l) != 0 {
		t.Fatalf("licences after delete: %v %v", l, err)
	}
	if b, err := s.AccountByIdentity("google", "sub-b"); err != nil || b.ID != "b" {
		t.Fatalf("other account: %v %v", b, err)
	}
	if ss, err := s.Sessions("b"); err != nil || len(ss) != 1 {
		t.Fatalf("other sessions: %v %v", ss, err)
	}
	if err := s.DeleteSession("b", "s-a"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("deleting a session through another account: %v", err)
	}
	// Changing the e-mail moves the index.
	if _, err := s.UpdateAccount("b", func(a *Account) error { a.Email = "new@example.com"; return nil }); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AccountByEmail("b@example.com"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("old e-mail still indexed: %v", err)
	}
}

func testTempExpiry(t *testing.T, b backend) {
	s := b.open(t, b.fresh(t))
	defer func() {
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	}()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	put := func(val []byte, ttl time.Duration) TempFunc {
		return func([]byte) ([]byte, time.Time, error) { return val, now.Add(ttl), nil }
	}
	var got []byte
	read := func(v []byte) ([]byte, time.Time, error) { got = v; return v, now.Add(time.Minute), nil }
	// peek reads a record as of now, without changing it (an absent one stays absent).
	peek := func(kind, key string, at time.Time) []byte {
		t.Helper()
		got = []byte("unread")
		keep := func(v []byte) ([]byte, time.Time, error) {
			got = v
			if v == nil {
				return nil, time.Time{}, nil
			}
			return v, now.Add(10 * time.Minute), nil
		}
		if err := s.Temp(kind, key, at, keep); err != nil {
			t.Fatal(err)
		}
		return got
	}
	for _, r := range []struct {
		kind, key string
		ttl       time.Duration
	}{{"k", "short", time.Minute}, {"k", "long", 10 * time.Minute}, {"other", "short", time.Minute}} {
		if err := s.Temp(r.kind, r.key, now, put([]byte(r.key), r.ttl)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Temp("k", "short", now.Add(59*time.Second), read); err != nil || string(got) != "short" {
		t.Fatalf("before expiry: %q %v", got, err)
	}
	if err := s.Temp("k", "short", now.Add(time.Minute), read); err != nil || got != nil {
		t.Fatalf("at expiry: %q %v", got, err)
	}
	// That read found nothing and so deleted the record: store it again for the purge.
	if err := s.Temp("k", "short", now, put([]byte("short"), time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := s.PurgeExpired(now.Add(2 * time.Minute)); err != nil {
		t.Fatal(err)
	}
	// Read as of the start, when nothing had expired yet: what the purge deleted is
	// gone from the file, what it kept is still there, in every kind.
	for key, want := range map[string]string{"k/short": "", "other/short": "", "k/long": "long"} {
		kind, name, _ := strings.Cut(key, "/")
		if v := peek(kind, name, now); string(v) != want {
			t.Errorf("%s after the purge: %q, want %q", key, v, want)
		}
	}
}

// testSessionUpdates: UpdateSession is a read-modify-write that can also delete, and
// DeleteSessions ends all of an account's sessions but the one kept.
func testSessionUpdates(t *testing.T, b backend) {
	s := b.open(t, b.fresh(t))
	defer func() {
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	}()
	for _, id := range []string{"s1", "s2", "s3"} {
		if err := s.PutSession(&Session{ID: id, AccountID: "a", Client: "old"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.PutSession(&Session{ID: "other", AccountID: "b"}); err != nil {
		t.Fatal(err)
	}
	se, err := s.UpdateSession("s1", func(se *Session) (bool, error) { se.Client = "new"; return true, nil })
	if err != nil || se.Client != "new" {
		t.Fatalf("update: %+v %v", se, err)
	}
	stop := errors.New("stop")
	if _, err := s.UpdateSession("s1", func(se *Session) (bool, error) { se.Client = "lost"; return true, stop }); !errors.Is(err, stop) {
		t.Fatalf("aborted update: %v", err)
	}
	if got, _ := s.Session("s1"); got.Client != "new" {
		t.Fatalf("an aborted update was stored: %q", got.Client)
	}
	if _, err := s.UpdateSession("s2", func(*Session) (bool, error) { return false, nil }); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Session("s2"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("deleted by update: %v", err)
	}
	if _, err := s.UpdateSession("nope", func(*Session) (bool, error) { return true, nil }); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing session: %v", err)
	}
	if err := s.DeleteSessions("a", "s3"); err != nil {
		t.Fatal(err)
	}
	if l, _ := s.Sessions("a"); len(l) != 1 || l[0].ID != "s3" {
		t.Fatalf("after DeleteSessions: %+v", l)
	}
	if l, _ := s.Sessions("b"); len(l) != 1 {
		t.Fatalf("another account's sessions: %+v", l)
	}
}

// testVaultAccounting: every item counts a fixed overhead towards the size, tombstones
// too; live entries are counted; pulls are paged by bytes.
func testVaultAccounting(t *testing.T, b backend) {
	s := b.open(t, b.fresh(t))
	defer func() {
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	}()
	if _, err := s.PutVaultHeader("a", api.VaultHeader{VaultID: "v", KeyEpoch: 1, WrappedKey: []byte("k")}); err != nil {
		t.Fatal(err)
	}
	lim := Limits{MaxVaultBytes: 3*api.ItemOverheadBytes + 20, MaxEntries: 2, MaxPullBytes: 5}
	push := func(items ...api.PushItem) error {
		_, err := s.Push("a", api.PushRequest{KeyEpoch: 1, Items: items}, lim)
		return err
	}
	if err := push(api.PushItem{ID: "x", Blob: []byte("12345")}, api.PushItem{ID: "y", Blob: []byte("12345")}); err != nil {
		t.Fatal(err)
	}
	var le *EntryLimitError
	if err := push(api.PushItem{ID: "z", Blob: []byte("1")}); !errors.As(err, &le) || le.Max != 2 {
		t.Fatalf("third entry: %v", err)
	}
	// A tombstone is not an entry but takes room.
	if err := push(api.PushItem{ID: "t", Deleted: true}); err != nil {
		t.Fatal(err)
	}
	if err := push(api.PushItem{ID: "t2", Deleted: true}); !errors.Is(err, ErrVaultTooLarge) {
		t.Fatalf("fourth stored item: %v", err)
	}
	pr, err := s.Pull("a", 0, 100, lim)
	if err != nil || len(pr.Items) != 1 || !pr.More {
		t.Fatalf("first page by bytes: %+v %v", pr, err)
	}
	if _, err := s.Pull("a", pr.LatestChange+1, 100, lim); !errors.Is(err, ErrSinceAhead) {
		t.Fatalf("since ahead: %v", err)
	}
}

// testSessionAccount: a session comes with its account, or with none once the account
// is gone; an unknown session is ErrNotFound.
func testSessionAccount(t *testing.T, b backend) {
	s := b.open(t, b.fresh(t))
	closeStore(t, s)
	if err := s.CreateAccount(&Account{ID: "a", Email: "a@example.com", Blocked: true}); err != nil {
		t.Fatal(err)
	}
	for _, se := range []*Session{{ID: "s1", AccountID: "a", Client: "laptop"}, {ID: "s2", AccountID: "gone"}} {
		if err := s.PutSession(se); err != nil {
			t.Fatal(err)
		}
	}
	se, a, err := s.SessionAccount("s1")
	if err != nil || se.ID != "s1" || se.Client != "laptop" || a == nil || a.Email != "a@example.com" || !a.Blocked {
		t.Fatalf("s1: %+v %+v %v", se, a, err)
	}
	if se, a, err := s.SessionAccount("s2"); err != nil || se.AccountID != "gone" || a != nil {
		t.Fatalf("s2 of a deleted account: %+v %+v %v", se, a, err)
	}
	if _, _, err := s.SessionAccount("nope"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown session: %v", err)
	}
}
