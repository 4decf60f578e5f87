package store

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/valvpm/valv/cloud/api"
)

func open(t *testing.T, dir string) *Bolt {
	t.Helper()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestPersistAndDelete: committed data survives a reopen, and deleting an account
// removes its indexes, sessions, licences and vault but nothing of another account.
func TestPersistAndDelete(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir)
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
	s = open(t, dir)
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

func TestTempExpiry(t *testing.T) {
	s := open(t, t.TempDir())
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
