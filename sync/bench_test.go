package cloudsync

import (
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/valvpm/valv/account"
	"github.com/valvpm/valv/cloud/cloudtest"
	"github.com/valvpm/valv/internal/benchdata"
	"github.com/valvpm/valv/vault"
)

// countingTransport counts the bytes of requests and responses, bodies and headers
// approximated by their wire size.
type countingTransport struct {
	sent, received atomic.Int64
}

type countingBody struct {
	io.ReadCloser
	n *atomic.Int64
}

func (b countingBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.n.Add(int64(n))
	return n, err
}

func (c *countingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	c.sent.Add(int64(len(req.Method) + len(req.URL.RequestURI()) + 12))
	for k, vs := range req.Header {
		for _, v := range vs {
			c.sent.Add(int64(len(k) + len(v) + 4))
		}
	}
	if req.ContentLength > 0 {
		c.sent.Add(req.ContentLength)
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err == nil {
		resp.Body = countingBody{resp.Body, &c.received}
	}
	return resp, err
}

// benchCloud uploads n realistic items from a first device and returns the env.
func benchCloud(b *testing.B, email string, n int) (*cloudtest.Env, *device) {
	env := cloudtest.Start(b)
	a := firstDevice(b, env, email, benchdata.Items(n, 1)...)
	return env, a
}

// BenchmarkInitialSync10k: a new device pulls and stores a 10k-item vault over
// loopback; the key derivation of the download is outside the timer.
func BenchmarkInitialSync10k(b *testing.B) {
	env, _ := benchCloud(b, "initial@example.com", 10_000)
	c := signIn(b, env, "initial@example.com")
	ah, err := c.VaultHeader(bg)
	if err != nil {
		b.Fatal(err)
	}
	hb, _, err := fromAPI(ah)
	if err != nil {
		b.Fatal(err)
	}
	i := 0
	for b.Loop() {
		b.StopTimer()
		i++
		v, err := vault.CreateFromHeader(filepath.Join(b.TempDir(), fmt.Sprint(i), "vault.db"), hb, masterPW)
		if err != nil {
			b.Fatal(err)
		}
		v.SetSyncState(vault.SyncState{Linked: true, Enabled: true})
		b.StartTimer()
		rep, err := New(v, c).SyncOnce(bg)
		if err != nil || rep.Applied.Added != 10_000 {
			b.Fatalf("initial sync: %v, %d added", err, rep.Applied.Added)
		}
		b.StopTimer()
		v.Close()
		b.StartTimer()
	}
}

// BenchmarkOneItemChange: bytes on the wire for syncing one edited item in a 10k vault.
func BenchmarkOneItemChange(b *testing.B) {
	env, a := benchCloud(b, "one@example.com", 10_000)
	ct := &countingTransport{}
	c, err := account.New(env.URL, account.Options{HTTPClient: &http.Client{Transport: ct}, Now: env.Clock.Now})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := c.NewFlow("").SignIn(bg, "one@example.com", "Account-Pass1"); err != nil {
		b.Fatal(err)
	}
	e := New(a.v, c)
	if _, err := e.SyncOnce(bg); err != nil { // a warm session and an up-to-date cursor
		b.Fatal(err)
	}
	items, _ := a.v.List(vault.Filter{Type: vault.TypeLogin})
	var sent, received int64
	i := 0
	for b.Loop() {
		it := items[i%len(items)].Clone()
		it.Password = fmt.Sprintf("changed-%d", i)
		i++
		if _, err := a.v.Update(it); err != nil {
			b.Fatal(err)
		}
		s0, r0 := ct.sent.Load(), ct.received.Load()
		rep, err := e.SyncOnce(bg)
		if err != nil || rep.Pushed != 1 {
			b.Fatalf("sync: %v, pushed %d", err, rep.Pushed)
		}
		sent += ct.sent.Load() - s0
		received += ct.received.Load() - r0
		items, _ = a.v.List(vault.Filter{Type: vault.TypeLogin})
	}
	b.ReportMetric(float64(sent)/float64(b.N), "bytes-sent/sync")
	b.ReportMetric(float64(received)/float64(b.N), "bytes-received/sync")
}

// BenchmarkConcurrentDevices: 200 devices (50 accounts × 4) each edit one item and
// sync, all at once, against one valv-cloud. Reports syncs per second, the p99
// latency of one sync, and the number of failed syncs (must be 0).
func BenchmarkConcurrentDevices(b *testing.B) {
	const accounts, perAccount = 50, 4
	env := cloudtest.Start(b)
	var devs []*device
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, 4)
	for a := range accounts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			email := fmt.Sprintf("dev%d@example.com", a)
			first := firstDevice(b, env, email, benchdata.Items(50, uint64(a))...)
			group := []*device{first}
			for d := 1; d < perAccount; d++ {
				group = append(group, nextDevice(b, env, email, fmt.Sprintf("a%d-d%d", a, d)))
			}
			mu.Lock()
			devs = append(devs, group...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	var lat []time.Duration
	var failures atomic.Int64
	var syncs atomic.Int64
	start := time.Now()
	for b.Loop() {
		var round sync.WaitGroup
		results := make([]time.Duration, len(devs))
		for i, d := range devs {
			round.Add(1)
			go func() {
				defer round.Done()
				items, _ := d.v.List(vault.Filter{})
				it := items[rand.IntN(len(items))].Clone()
				it.Notes = fmt.Sprintf("edited on %s at %d", d.name, time.Now().UnixNano())
				if _, err := d.v.Update(it); err != nil {
					failures.Add(1)
					return
				}
				t0 := time.Now()
				if _, err := d.e.SyncOnce(bg); err != nil {
					failures.Add(1)
					b.Logf("%s: %v", d.name, err)
					return
				}
				results[i] = time.Since(t0)
				syncs.Add(1)
			}()
		}
		round.Wait()
		lat = append(lat, results...)
	}
	elapsed := time.Since(start)
	slices.Sort(lat)
	b.ReportMetric(float64(syncs.Load())/elapsed.Seconds(), "syncs/s")
	b.ReportMetric(float64(lat[len(lat)*99/100])/1e6, "p99-ms")
	b.ReportMetric(float64(failures.Load()), "errors")
	if failures.Load() > 0 {
		b.Errorf("%d syncs failed", failures.Load())
	}
}

// BenchmarkFileSync100MiB: one 100 MiB file through a real valv-cloud on loopback,
// uploaded from one device and fetched on another (b.SetBytes: MiB/s of the file).
// Attaching and removing the file are outside the timing.
func BenchmarkFileSync100MiB(b *testing.B) {
	env := cloudtest.Start(b)
	a := firstDevice(b, env, "bench-files@example.com", note("Big"))
	d := nextDevice(b, env, "bench-files@example.com", "d2")
	data := testFile(8, vault.MaxAttachmentSize)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		item, att := a.attach(b, "Big", "big.bin", data)
		a.sync(b)
		b.StartTimer()
		a.syncFiles(b, false)
		d.sync(b)
		if err := d.e.Fetch(bg, att.ID); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if _, err := a.v.Detach(item, att.ID); err != nil {
			b.Fatal(err)
		}
		a.sync(b)
		a.syncFiles(b, false)
		d.sync(b)
		b.StartTimer()
	}
}
