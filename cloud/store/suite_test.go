package store

import (
	"context"
	"os"
	"testing"

	"github.com/valvpm/valv/cloud/store/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// backend opens one kind of Store: fresh gives a new empty location (a folder, a
// database), open opens the store there, again after a Close as well.
type backend struct {
	name  string
	fresh func(t *testing.T) string
	open  func(t *testing.T, loc string) Store
}

var backends = []backend{
	{name: "bbolt", fresh: func(t *testing.T) string { return t.TempDir() },
		open: func(t *testing.T, dir string) Store { return open(t, dir) }},
	{name: "postgres", fresh: func(t *testing.T) string { return pgtest.Database(t) },
		open: func(t *testing.T, url string) Store { return openPG(t, url) }},
}

func openPG(t *testing.T, url string) *Postgres {
	t.Helper()
	s, err := OpenPostgres(context.Background(), url, t.Logf)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// closeStore closes s at the end of the test, checking the error.
func closeStore(t *testing.T, s Store) {
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	})
}

// The Store contract: every test runs against every backend.
var contract = []struct {
	name string
	fn   func(t *testing.T, b backend)
}{
	{"PersistAndDelete", testPersistAndDelete},
	{"TempExpiry", testTempExpiry},
	{"SessionUpdates", testSessionUpdates},
	{"SessionAccount", testSessionAccount},
	{"VaultAccounting", testVaultAccounting},
	{"AccountIndexes", testAccountIndexes},
	{"RedeemOnce", testRedeemOnce},
	{"PushConflicts", testPushConflicts},
	{"PullPages", testPullPages},
	{"ReplaceAndWipe", testReplaceAndWipe},
	{"ConcurrentPushes", testConcurrentPushes},
	{"RacingPushesOneWins", testRacingPushesOneWins},
	{"AtomicCounters", testAtomicCounters},
	{"CounterHammer", testCounterHammer},
	{"WatchAnnounces", testWatchAnnounces},
	{"ChunksStoreAndRead", testChunksStoreAndRead},
	{"ChunksQuota", testChunksQuota},
	{"ChunksRacingQuota", testChunksRacingQuota},
	{"ChunksFreed", testChunksFreed},
}

func TestStore(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			for _, c := range contract {
				t.Run(c.name, func(t *testing.T) { c.fn(t, b) })
			}
		})
	}
}
