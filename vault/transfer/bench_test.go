package transfer

import (
	"bytes"
	"fmt"
	"os"
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

// BenchmarkImportScale imports browser CSV files of 20k and 60k rows (and 300k with
// VALV_BENCH_LARGE=1) the way valv-cli does, to show the time grows with the rows and no
// faster: the ns/row figure stays flat.
func BenchmarkImportScale(b *testing.B) {
	sizes := []int{20_000, 60_000}
	if os.Getenv("VALV_BENCH_LARGE") == "1" {
		sizes = append(sizes, 300_000)
	}
	for _, n := range sizes {
		b.Run(fmt.Sprintf("rows=%d", n), func(b *testing.B) {
			benchImportN(b, bigChromeCSV(n), ImportOptions{}, n)
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/row")
		})
	}
}

// benchImportWith is benchImport with options (a file's password) for the import.
func benchImportWith(b *testing.B, data []byte, opts ImportOptions) {
	benchImportN(b, data, opts, benchRows)
}

// benchImportN times importing data, which holds rows new items.
func benchImportN(b *testing.B, data []byte, opts ImportOptions, rows int) {
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
		if err != nil || n != rows {
			b.Fatalf("Apply = %d, %v", n, err)
		}
		b.StopTimer()
		if err := v.Close(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
}
