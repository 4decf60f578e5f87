package cloud

import (
	"crypto/rand"
	"fmt"
	"testing"

	"github.com/valvpm/valv/cloud/api"
)

// BenchmarkPush measures pushes of 100 edited 1 KiB sealed items over HTTP into bbolt
// (each push edits the items of the previous one, so the vault stays the same size).
func BenchmarkPush(b *testing.B) {
	e := newEnv(b)
	tok := e.newAccount("bench@example.com").AccessToken
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

// BenchmarkPull measures full pulls (pages of 1000) of a 5000-item vault.
func BenchmarkPull(b *testing.B) {
	e := newEnv(b)
	tok := e.newAccount("bench@example.com").AccessToken
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
