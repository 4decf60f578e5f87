package health

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/valvpm/valv/internal/benchdata"
	"github.com/valvpm/valv/vault"
)

// BenchmarkHealth10k: the whole report over 10,000 unlocked items (the KDF is not
// part of it: the items are already in memory), built-in filter, no network. About
// one login in twenty has a common password and one in twenty shares its password,
// so every path is taken. Target: ≤ 1 s.
func BenchmarkHealth10k(b *testing.B) {
	items := benchdata.Items(10_000, 15)
	logins := 0
	for i, it := range items {
		if it.Type != vault.TypeLogin && it.Type != vault.TypeApp {
			continue
		}
		switch logins++; logins % 20 {
		case 0:
			it.Password = []string{"password", "iloveyou1", "dragon", "letmein"}[i%4]
		case 1:
			it.Password = fmt.Sprintf("shared-Zq8!vR3#tL6@%d", i%50)
		}
	}
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		r, err := Check(context.Background(), items, Options{Now: now})
		if err != nil || r.Counts[Exposed] == 0 || r.Counts[Reused] == 0 {
			b.Fatalf("%v %v", r.Counts, err)
		}
	}
}
