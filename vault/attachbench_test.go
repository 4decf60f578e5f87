package vault

import (
	"context"
	"io"
	"runtime"
	"sync"
	"testing"
	"time"
)

// Benchmarks of a 100 MiB file: MiB/s (b.SetBytes) and the peak heap above the idle
// process while it streams (target: at most 32 MiB), sampled every millisecond.

// heapPeak samples the in-use heap until stop is called, which returns the peak above
// the level at the start (after a GC).
func heapPeak() (stop func() float64) {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	idle, peak := ms.HeapInuse, ms.HeapInuse
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				var m runtime.MemStats
				runtime.ReadMemStats(&m)
				peak = max(peak, m.HeapInuse)
			}
		}
	}()
	return func() float64 {
		close(done)
		wg.Wait()
		return float64(peak-idle) / (1 << 20)
	}
}

const benchFileSize = MaxAttachmentSize

func BenchmarkAttach100MiB(b *testing.B) {
	v := newTestVault(b)
	it := addDocument(b, v)
	b.SetBytes(benchFileSize)
	var peak float64
	b.ResetTimer()
	for range b.N {
		stop := heapPeak()
		_, a, err := v.Attach(context.Background(), it.ID, "big.bin", &failingReader{n: benchFileSize, err: io.EOF})
		peak = max(peak, stop())
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if _, err := v.Detach(it.ID, a.ID); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	b.ReportMetric(peak, "peak-heap-MiB")
}

func BenchmarkOpenAttachment100MiB(b *testing.B) {
	v := newTestVault(b)
	it := addDocument(b, v)
	_, a, err := v.Attach(context.Background(), it.ID, "big.bin", &failingReader{n: benchFileSize, err: io.EOF})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(benchFileSize)
	var peak float64
	b.ResetTimer()
	for range b.N {
		stop := heapPeak()
		r, err := v.OpenAttachment(it.ID, a.ID)
		if err != nil {
			b.Fatal(err)
		}
		n, err := io.Copy(io.Discard, r)
		if err == nil {
			err = r.Close()
		}
		peak = max(peak, stop())
		if err != nil || n != benchFileSize {
			b.Fatalf("read %d bytes: %v", n, err)
		}
	}
	b.ReportMetric(peak, "peak-heap-MiB")
}
