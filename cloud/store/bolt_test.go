package store

import (
	"errors"
	"testing"

	bolt "go.etcd.io/bbolt"

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

// TestVaultRecount: a vault stored before items counted their overhead is recounted on
// its next change, so its limits hold from then on.
func TestVaultRecount(t *testing.T) {
	s := open(t, t.TempDir())
	defer func() {
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	}()
	if _, err := s.PutVaultHeader("a", api.VaultHeader{VaultID: "v", KeyEpoch: 1, WrappedKey: []byte("k")}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Push("a", api.PushRequest{KeyEpoch: 1, Items: []api.PushItem{{ID: "x"}, {ID: "y"}, {ID: "z", Deleted: true}}}, Limits{}); err != nil {
		t.Fatal(err)
	}
	// As an older server left it: blob bytes only, no entry count.
	err := s.db.Update(func(tx *bolt.Tx) error {
		return putJSON(tx.Bucket(bVaults).Bucket([]byte("a")), kMeta, &vaultMeta{LatestChange: 3, Epoch: 1})
	})
	if err != nil {
		t.Fatal(err)
	}
	lim := Limits{MaxEntries: 2}
	var le *EntryLimitError
	if _, err := s.Push("a", api.PushRequest{KeyEpoch: 1, Items: []api.PushItem{{ID: "w"}}}, lim); !errors.As(err, &le) {
		t.Fatalf("after the recount a third entry must be refused: %v", err)
	}
}
