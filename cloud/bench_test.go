package cloud

import (
	"crypto/rand"
	"fmt"
	"testing"

	"github.com/valvpm/valv/cloud/api"
)

// storeKinds are the backends the vault benchmarks compare, side by side.
var storeKinds = []string{"bbolt", "postgres"}

// BenchmarkPush measures pushes of 100 edited 1 KiB sealed items over HTTP into each
// store (each push edits the items of the previous one, so the vault stays the same
// size).
func BenchmarkPush(b *testing.B) {
	for _, kind := range storeKinds {
		b.Run(kind, func(b *testing.B) { benchPush(b, kind) })
	}
}

func benchPush(b *testing.B, kind string) {
	e := newEnvOn(b, kind)
	tok := e.newAccount("bench@example.com").AccessToken
	e.personal(tok) // more entries than the Free plan keeps
	e.must("PUT", api.PathVault, tok, api.PutHeaderRequest{Header: testHeader("bench", 1)}, nil)
	blob := make([]byte, 1024)
	_, _ = rand.Read(blob)
	items := make([]api.PushItem, 100)
	for j := range items {
		items[j] = api.PushItem{ID: fmt.Sprintf("item-%d", j), Blob: blob}
	}
	b.SetBytes(100 * 1024)
	b.ResetTimer()
	for b.Loop() {
		var pr api.PushResponse
		e.must("POST", api.PathVaultPush, tok, api.PushRequest{KeyEpoch: 1, Items: items}, &pr)
		for j, r := range pr.Items {
			items[j].BaseChange = r.Change
		}
	}
	b.ReportMetric(float64(b.N*100)/b.Elapsed().Seconds(), "items/s")
}

// BenchmarkPull measures full pulls (pages of 1000) of a 5000-item vault from each store.
func BenchmarkPull(b *testing.B) {
	for _, kind := range storeKinds {
		b.Run(kind, func(b *testing.B) { benchPull(b, kind) })
	}
}

func benchPull(b *testing.B, kind string) {
	e := newEnvOn(b, kind)
	tok := e.newAccount("bench@example.com").AccessToken
	e.personal(tok) // more entries than the Free plan keeps
	e.must("PUT", api.PathVault, tok, api.PutHeaderRequest{Header: testHeader("bench", 1)}, nil)
	blob := make([]byte, 1024)
	_, _ = rand.Read(blob)
	for k := 0; k < 5; k++ {
		items := make([]api.PushItem, 1000)
		for j := range items {
			items[j] = api.PushItem{ID: fmt.Sprintf("i-%d-%d", k, j), Blob: blob}
		}
		e.must("POST", api.PathVaultPush, tok, api.PushRequest{KeyEpoch: 1, Items: items}, nil)
	}
	b.SetBytes(5000 * 1024)
	b.ResetTimer()
	for b.Loop() {
		since := uint64(0)
		for {
			var pr api.PullResponse
			e.must("GET", fmt.Sprintf("%s?since=%d&limit=1000", api.PathVaultChanges, since), tok, nil, &pr)
			since = pr.Next
			if !pr.More {
				break
			}
		}
	}
	b.ReportMetric(float64(b.N*5000)/b.Elapsed().Seconds(), "items/s")
}
