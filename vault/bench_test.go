package vault_test

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/valvpm/valv/internal/benchdata"
	"github.com/valvpm/valv/vault"
)

// Benchmarks for the vault's performance targets. scripts/bench runs them and prints
// the table; the KDF is excluded where the figure says so (it is slow by design).

var benchPassword = []byte("bench-Pass-1")

// benchVault creates a vault of n realistic items in b.TempDir and returns it
// unlocked.
func benchVault(b *testing.B, n int) *vault.Vault {
	b.Helper()
	kdf := vault.FloorKDF()
	v, err := vault.Create(filepath.Join(b.TempDir(), "vault.db"), benchPassword, vault.CreateOptions{KDF: &kdf})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { v.Close() })
	items := benchdata.Items(n, 1)
	for chunk := range slices.Chunk(items, 10000) {
		if _, err := v.AddAll(chunk); err != nil {
			b.Fatal(err)
		}
	}
	return v
}

// BenchmarkUnlock: decrypt + decode + index every item, KDF excluded.
func BenchmarkUnlock(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(fmt.Sprintf("items=%d", n), func(b *testing.B) {
			v := benchVault(b, n)
			key, err := v.VaultKeyForTest(benchPassword)
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				v.Lock()
				if err := v.UnlockWithKeyForTest(slices.Clone(key)); err != nil {
					b.Fatal(err)
				}
			}
			if v.Len() != n {
				b.Fatalf("unlocked %d items", v.Len())
			}
		})
	}
}

// BenchmarkSearch: one query over the whole vault, rotating through queries that match
// many, few and no items.
func BenchmarkSearch(b *testing.B) {
	queries := []string{"amber", "river summit", "example.org", "Åsa", "no-such-thing"}
	for _, n := range []int{10_000, 100_000} {
		b.Run(fmt.Sprintf("items=%d", n), func(b *testing.B) {
			v := benchVault(b, n)
			i := 0
			for b.Loop() {
				if _, err := v.Search(queries[i%len(queries)], vault.Filter{}); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

// BenchmarkSaveItem: encrypt one item and commit it (fsync) in a 10k vault; reports
// the p50 and p99 latency of single saves.
func BenchmarkSaveItem(b *testing.B) {
	v := benchVault(b, 10_000)
	extra := benchdata.Items(1000, 2)
	var lat []time.Duration
	i := 0
	for b.Loop() {
		start := time.Now()
		if _, err := v.Add(extra[i%len(extra)]); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
		i++
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2])/1e6, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100])/1e6, "p99-ms")
}

// BenchmarkUnlockedHeap reports the live heap after unlocking 10k items, and the
// vault file's size per item.
func BenchmarkUnlockedHeap(b *testing.B) {
	v := benchVault(b, 10_000)
	path := v.Path()
	if err := v.Close(); err != nil {
		b.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	var ms runtime.MemStats
	for b.Loop() {
		v, err := vault.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		key, _ := v.VaultKeyForTest(benchPassword)
		runtime.GC()
		runtime.ReadMemStats(&ms)
		before := ms.HeapAlloc
		if err := v.UnlockWithKeyForTest(key); err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		runtime.ReadMemStats(&ms)
		b.ReportMetric(float64(ms.HeapAlloc-before)/(1<<20), "unlocked-heap-MiB")
		b.ReportMetric(float64(ms.HeapAlloc)/(1<<20), "total-heap-MiB")
		runtime.KeepAlive(v)
		v.Close()
	}
	b.ReportMetric(float64(fi.Size())/10_000, "file-B/item")
}
