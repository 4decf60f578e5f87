package transfer

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/valvpm/valv/vault"
)

// The import's budget: 10 000 rows in at most a second, key derivation excluded. The
// benchmarks time the whole import — read, check, duplicate test against a vault that
// already holds 1 000 items, and the one AddAll transaction that seals and stores —
// with the vault created (its KDF run) outside the timer.

const benchRows = 10_000

func BenchmarkImport10kChromeCSV(b *testing.B) {
	benchImport(b, bigChromeCSV(benchRows))
}

func BenchmarkImport10kText(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString("Websites\n\n")
	for i := range benchRows {
		fmt.Fprintf(&buf, "Website name: site %d\nWebsite URL: https://site%d.example\nLogin name: \nLogin: user%d\nPassword: p:%d:ss\nComment: Ghi chú %d\nhàng hai\n\n---\n\n", i, i, i, i, i)
	}
	benchImport(b, buf.Bytes())
}

func BenchmarkImport10kValvJSON(b *testing.B) {
	items := make([]*vault.Item, benchRows)
	for i := range items {
		it := sampleItems()[i%5]
		it.Title = fmt.Sprintf("%s %d", it.Title, i)
		items[i] = it
	}
	data, err := ExportJSON(items)
	if err != nil {
		b.Fatal(err)
	}
	benchImport(b, data)
}

func benchImport(b *testing.B, data []byte) {
	benchImportWith(b, data, ImportOptions{})
}

// benchImportWith is benchImport with options (a file's password) for the import.
func benchImportWith(b *testing.B, data []byte, opts ImportOptions) {
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		b.StopTimer()
		v := newTestVault(b)
		var seed []*vault.Item
		for i := range 1000 {
			seed = append(seed, &vault.Item{Type: vault.TypeNote, Title: fmt.Sprintf("existing %d", i), Notes: "x"})
		}
		if _, err := v.AddAll(seed); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		p, err := Prepare(v, data, opts)
		if err != nil {
			b.Fatal(err)
		}
		n, err := p.Apply(v)
		if err != nil || n != benchRows {
			b.Fatalf("Apply = %d, %v", n, err)
		}
		b.StopTimer()
		if err := v.Close(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
}
