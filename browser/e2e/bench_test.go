package e2e

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/performance"
	"github.com/chromedp/chromedp"

	"github.com/valvpm/valv/internal/benchdata"
)

// BenchmarkBrowserFill measures filling in the real browser at 10k logins, 100 times:
// from the click on the login in Valv's menu to the fields filled (fill-*: the page's
// own clock, from the click event to the password field's input event; that is the
// extension, the native host, the app and back) and from the click on the mark to the
// list shown (find-*: measured from Go, so it includes DevTools round trips). It also
// reports the built extension's size, the resident memory of the extension's process
// at rest (/proc of Chromium's --extension-process renderer) and its service worker's
// JavaScript heap (Performance.getMetrics).
func BenchmarkBrowserFill(b *testing.B) {
	e := start(b)
	ctx := e.ctx
	if _, err := e.app.Vault.AddAll(benchdata.Items(10_000, 1)); err != nil {
		b.Fatal(err)
	}
	bank := e.app.AddLogin(b, "Bank", "https://bank.test", "alice", "bank-pw-1")
	stepB(b, ctx, "login page", chromedp.Navigate("https://bank.test/login"))
	openMark(b, ctx, "#username")
	inPanel(b, ctx, menu, `button[data-action="pair"]`, true)
	<-e.app.Prompts
	e.app.Answer(true)
	inPanel(b, ctx, menu, `button[data-ref="`+bank+`"]`, false)
	stepB(b, ctx, "reload", chromedp.Navigate("https://bank.test/login"))

	var find []time.Duration
	b.ResetTimer()
	for range b.N {
		for range 100 {
			stepB(b, ctx, "clear", chromedp.Func(func(ctx context.Context, tt *chromedp.Target) error {
				_, err := chromedp.Evaluate[any](`document.querySelector("#username").value = ""; document.querySelector("#password").value = ""`)(ctx, tt)
				return err
			}))
			t0 := time.Now()
			openMark(b, ctx, "#username")
			inPanel(b, ctx, menu, `button[data-ref="`+bank+`"]`, false)
			find = append(find, time.Since(t0))
			inPanel(b, ctx, menu, `button[data-ref="`+bank+`"]`, true)
			stepB(b, ctx, "filled", chromedp.Func(func(ctx context.Context, tt *chromedp.Target) error {
				_, err := chromedp.Poll[bool](`document.querySelector("#password").value === "bank-pw-1"`)(ctx, tt)
				return err
			}))
		}
	}
	b.StopTimer()
	fills, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`window.valvTimes`))
	if err != nil || len(fills) < 100*b.N {
		b.Fatalf("page timings: %d (%v)", len(fills), err)
	}
	b.ReportMetric(pct(fills, 50), "fill-p50-ms")
	b.ReportMetric(pct(fills, 99), "fill-p99-ms")
	ms := make([]float64, len(find))
	for i, d := range find {
		ms[i] = float64(d) / float64(time.Millisecond)
	}
	b.ReportMetric(pct(ms, 50), "find-p50-ms")
	b.ReportMetric(pct(ms, 99), "find-p99-ms")
	b.ReportMetric(float64(distSize(b))/1024, "dist-KiB")
	if rss, n := extensionRSS(); n > 0 {
		b.ReportMetric(float64(rss)/1024, "ext-rss-MiB")
		b.ReportMetric(float64(n), "ext-procs")
	}
	sw := serviceWorker(b, ctx)
	if err := chromedp.Do(sw, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, performance.Enable, performance.EnableParams{})
		return err
	})); err == nil {
		if m, err := chromedp.Call(sw, performance.GetMetrics, cdp.Empty{}); err == nil {
			for _, x := range m.Metrics {
				if x.Name == "JSHeapUsedSize" {
					b.ReportMetric(x.Value/1024, "sw-heap-KiB")
				}
			}
		}
	}
}

func stepB(b *testing.B, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	b.Helper()
	step(b, ctx, what, actions...)
}

func pct(v []float64, p int) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	return s[(len(s)-1)*p/100]
}

// distSize is the size of the built Chromium extension in bytes.
func distSize(b *testing.B) int64 {
	var n int64
	err := filepath.WalkDir(filepath.Join(repoRoot(b), "extension", "dist", "chromium"), func(_ string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		fi, err := d.Info()
		if err == nil {
			n += fi.Size()
		}
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	return n
}

// extensionRSS is the resident memory (KiB) of Chromium's extension renderer
// processes, found in /proc by their command line, and how many there are (none where
// there is no /proc).
func extensionRSS() (kib int64, procs int) {
	files, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	for _, p := range files {
		cmd, err := os.ReadFile(p)
		if err != nil || !strings.Contains(string(cmd), "--extension-process") {
			continue
		}
		procs++
		status, err := os.ReadFile(filepath.Join(filepath.Dir(p), "status"))
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(status), "\n") {
			if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
				kb, _ := strconv.ParseInt(f[1], 10, 64)
				kib += kb
			}
		}
	}
	return kib, procs
}
