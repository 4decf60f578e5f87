package store

import (
	"context"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/valvpm/valv/cloud/store/pgtest"
)

// TestPostgresRetriesDeadlock: two transactions lock two rows in opposite orders, so
// PostgreSQL ends one of them for a deadlock; that one runs again and both succeed, as
// two racing calls on bbolt (one writer at a time) would. Without the retry the
// ended one fails with deadlock_detected.
func TestPostgresRetriesDeadlock(t *testing.T) {
	s := openPG(t, pgtest.Database(t))
	closeStore(t, s)
	for _, k := range []string{"a", "b"} {
		if err := s.write(func(ctx context.Context, tx pgx.Tx) error {
			_, err := tx.Exec(ctx, "INSERT INTO temp (kind, key, expires) VALUES ('t', $1, 0)", []byte(k))
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	lock := func(ctx context.Context, tx pgx.Tx, k string) error {
		_, err := tx.Exec(ctx, "SELECT 1 FROM temp WHERE kind = 't' AND key = $1 FOR UPDATE", []byte(k))
		return err
	}
	var holding sync.WaitGroup // each transaction holds its first row
	holding.Add(2)
	var mu sync.Mutex
	runs := 0
	errs := make(chan error, 2)
	for _, order := range [][2]string{{"a", "b"}, {"b", "a"}} {
		first := true
		go func() {
			errs <- s.write(func(ctx context.Context, tx pgx.Tx) error {
				mu.Lock()
				runs++
				mu.Unlock()
				if err := lock(ctx, tx, order[0]); err != nil {
					return err
				}
				if first { // both hold one row before either asks for the other
					first = false
					holding.Done()
					holding.Wait()
				}
				return lock(ctx, tx, order[1])
			})
		}()
	}
	for range 2 {
		if err := <-errs; err != nil {
			t.Errorf("a transaction failed: %v", err)
		}
	}
	// Three runs at least: one again after the deadlock. There can be more: the run
	// again may lock its first row before the other transaction, woken by the abort,
	// takes it, and then the two deadlock once more (seen once in a full -race run).
	if runs < 3 {
		t.Errorf("the two transactions ran %d times, want 3 or more (one again after the deadlock)", runs)
	}
}
