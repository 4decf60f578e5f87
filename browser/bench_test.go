package browser_test

import (
	"slices"
	"testing"
	"time"

	"github.com/valvpm/valv/browser"
	"github.com/valvpm/valv/browser/browsertest"
	"github.com/valvpm/valv/internal/benchdata"
)

// BenchmarkFindFill is the app's part of a fill at 10k items: a paired client on the
// real socket asks for the page's logins (the matching runs over every login) and then
// for one login's secrets, 100 times; p50/p99 of each are reported.
func BenchmarkFindFill(b *testing.B) {
	app := browsertest.Start(b, socketPathB(b))
	if _, err := app.Vault.AddAll(benchdata.Items(10_000, 1)); err != nil {
		b.Fatal(err)
	}
	ref := app.AddLogin(b, "Bank", "https://bank.example", "alice", "pw")
	kp, _ := browser.NewKeyPair()
	if err := app.Pairings.Approve(kp.Public[:], "bench", time.Now()); err != nil {
		b.Fatal(err)
	}
	nc, err := browser.Dial(app.Socket)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = nc.Close() })
	c := browser.NewClient(nc, kp, "bench")
	if _, err := c.Hello(); err != nil {
		b.Fatal(err)
	}
	var find, fill []time.Duration
	b.ResetTimer()
	for range b.N {
		for range 100 {
			t0 := time.Now()
			r, err := c.Do(browser.Request{Action: browser.ActionFind, URL: "https://bank.example/login"})
			if err != nil || len(r.Logins) != 1 {
				b.Fatalf("find: %v %+v", err, r)
			}
			t1 := time.Now()
			r, err = c.Do(browser.Request{Action: browser.ActionFill, URL: "https://bank.example/login", Ref: ref})
			if err != nil || r.Password != "pw" {
				b.Fatalf("fill: %v %+v", err, r)
			}
			find, fill = append(find, t1.Sub(t0)), append(fill, time.Since(t1))
		}
	}
	b.StopTimer()
	b.ReportMetric(percentile(find, 50), "find-p50-ms")
	b.ReportMetric(percentile(find, 99), "find-p99-ms")
	b.ReportMetric(percentile(fill, 50), "fill-p50-ms")
	b.ReportMetric(percentile(fill, 99), "fill-p99-ms")
}

func percentile(d []time.Duration, p int) float64 {
	s := slices.Clone(d)
	slices.Sort(s)
	return float64(s[(len(s)-1)*p/100]) / float64(time.Millisecond)
}

func socketPathB(b *testing.B) string {
	return b.TempDir() + "/valv/browser.sock"
}
