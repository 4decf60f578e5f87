package vault_test

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/valvpm/valv/internal/benchdata"
	"github.com/valvpm/valv/vault"
)

// BenchmarkImport: one AddAll of n new items into an empty vault, the one transaction
// an import makes; the KDF (vault creation) is excluded.
func BenchmarkImport(b *testing.B) {
	for _, n := range []int{10_000, 100_000, 300_000} {
		b.Run(fmt.Sprintf("items=%d", n), func(b *testing.B) {
			items := benchdata.Items(n, 3)
			kdf := vault.FloorKDF()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				v, err := vault.Create(filepath.Join(b.TempDir(), fmt.Sprintf("v%d.db", i)), benchPassword, vault.CreateOptions{KDF: &kdf})
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				if _, err := v.AddAll(items); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				if err := v.Close(); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
			}
		})
	}
}
