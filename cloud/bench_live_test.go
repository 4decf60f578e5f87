package cloud

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/valvpm/valv/cloud/api"
	"github.com/valvpm/valv/cloud/store/pgtest"
)

// Shape of BenchmarkLiveReplicas: 250 accounts × 4 devices, across two replicas, each
// account pushing once per round at a random moment within liveSpread.
const (
	liveAccounts   = 250
	liveDevices    = 4
	liveSpread     = time.Second
	liveBlobBytes  = 512
	liveRoundLimit = 2 * time.Minute
)

// BenchmarkLiveReplicas: 1,000 simulated devices (250 accounts × 4) long-poll two real
// valv-cloud processes on one PostgreSQL; devices 0 and 2 of an account use replica A,
// 1 and 3 replica B. Each round, one device of every account pushes an edit of its
// item, at a random moment within a second; its three siblings are told by their
// waits (across replicas through LISTEN/NOTIFY) and pull. Reported: the time from the
// push to each sibling's notice (p50/p99) and to all three having pulled it (p50/p99),
// the push's own answer (p50),
// the siblings' incremental pulls per second, failed requests (must be 0), and per
// replica its resident memory and PostgreSQL connections after the rounds, with every
// device parked again.
//
// The devices speak the real protocol over HTTP and push sealed-looking random blobs
// (the server never opens an item). Each comes from an address of its own through
// -trust-proxy, as devices behind a load balancer do, so the per-address limits on
// sign-in hold at their defaults.
func BenchmarkLiveReplicas(b *testing.B) {
	if testing.Short() {
		b.Skip("builds and starts the real binary twice")
	}
	db := pgtest.Database(b)
	bin := buildBinary(b)
	var reps [2]*binaryServer
	for i, name := range []string{"replica-a", "replica-b"} {
		reps[i] = startBinary(b, bin, "-db", db+"&application_name="+name, "-trust-proxy", "127.0.0.1")
	}
	tr := &http.Transport{MaxIdleConnsPerHost: 2 * liveAccounts * liveDevices, IdleConnTimeout: time.Minute}
	b.Cleanup(tr.CloseIdleConnections)
	sim := &liveSim{client: &http.Client{Transport: tr}}
	accts := sim.setUp(b, reps)

	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for _, a := range accts {
		for _, d := range a.devs {
			wg.Add(1)
			go func() { defer wg.Done(); sim.watch(ctx, a, d) }()
		}
	}
	defer func() { cancel(); wg.Wait() }()
	sim.awaitParked(b, accts)

	var notice, pulled, pushed []time.Duration
	var busy time.Duration
	pulls0 := sim.pulls.Load()
	round := 0
	for b.Loop() {
		t0 := time.Now()
		n, p, q := sim.round(b, accts, round)
		busy += time.Since(t0)
		notice, pulled, pushed = append(notice, n...), append(pulled, p...), append(pushed, q...)
		round++
	}
	b.StopTimer()
	pulls := sim.pulls.Load() - pulls0
	sim.awaitParked(b, accts)
	rss := [2]float64{}
	for i, r := range reps {
		rss[i] = float64(r.rss(b, "VmRSS:")) / (1 << 20)
	}
	conns := dbConnections(b, db)
	cancel()
	wg.Wait()
	if e := sim.errors.Load(); e > 0 {
		b.Errorf("%d requests failed; first: %v", e, sim.firstErr.Load())
	}
	slices.Sort(notice)
	slices.Sort(pulled)
	slices.Sort(pushed)
	b.ReportMetric(ms(pct(pushed, 50)), "push-p50-ms")
	b.ReportMetric(ms(pct(notice, 50)), "notice-p50-ms")
	b.ReportMetric(ms(pct(notice, 99)), "notice-p99-ms")
	b.ReportMetric(ms(pct(pulled, 50)), "all3-pulled-p50-ms")
	b.ReportMetric(ms(pct(pulled, 99)), "all3-pulled-p99-ms")
	b.ReportMetric(float64(pulls)/busy.Seconds(), "pulls/s")
	b.ReportMetric(float64(sim.errors.Load()), "errors")
	b.ReportMetric(rss[0], "replicaA-RSS-MiB")
	b.ReportMetric(rss[1], "replicaB-RSS-MiB")
	b.ReportMetric(float64(conns["replica-a"]), "replicaA-db-conns")
	b.ReportMetric(float64(conns["replica-b"]), "replicaB-db-conns")
}

func ms(d time.Duration) float64 { return float64(d) / 1e6 }

// pct is the p-th percentile of sorted durations.
func pct(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, len(sorted)*p/100)]
}

// liveSim is the devices' side: one HTTP client for all, and their failures.
type liveSim struct {
	client   *http.Client
	errors   atomic.Int64
	firstErr atomic.Value
	pulls    atomic.Int64 // pulls the devices' notices started
}

// liveDevice is one simulated device: its replica, address, session and cursor.
type liveDevice struct {
	base, ip, tok string
	idx           int
	item          string // the item this device edits
	mu            sync.Mutex
	since, base0  uint64 // cursor; change of the device's item as last pushed or pulled
	parked        atomic.Bool
}

// liveAccount is the four devices of one account and the push under way.
type liveAccount struct {
	devs   []*liveDevice
	mu     sync.Mutex
	last   [liveDevices]heldAt // each device's latest cursor, and when it got there
	pusher int
	want   uint64    // change number of the round's push, 0 before it is answered
	t0     time.Time // when the push was sent
	done   chan struct{}
	// of the round: each sibling's notice, and when the last of them had pulled
	notice []time.Duration
	pulled time.Duration
	pushed time.Duration // the push's own answer
}

// heldAt is when a device was told of the change up to cursor, and had pulled it.
type heldAt struct {
	cursor       uint64
	told, pulled time.Time
}

func (s *liveSim) fail(err error) {
	if s.errors.Add(1) == 1 {
		s.firstErr.Store(err.Error())
	}
}

// do sends one request as device d (its address, its token) and decodes the answer.
func (s *liveSim) do(ctx context.Context, d *liveDevice, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		raw, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(ctx, method, d.base+path, body)
	if err != nil {
		return err
	}
	if in != nil {
		req.Header.Set("Content-Type", api.ContentTypeJSON)
	}
	req.Header.Set("X-Forwarded-For", d.ip)
	if d.tok != "" {
		req.Header.Set(api.HeaderAuthorize, "Bearer "+d.tok)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return err
	}
	raw, err := io.ReadAll(resp.Body)
	if cerr := resp.Body.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if resp.StatusCode >= 300 {
		return fmt.Errorf("%s %s: %s %s", method, path, resp.Status, bytes.TrimSpace(raw))
	}
	if out != nil {
		return json.Unmarshal(raw, out)
	}
	return nil
}

// setUp signs up the accounts (device 0 proves the address with the outbox's code),
// signs in the other devices, puts each account's header and one item per device.
func (s *liveSim) setUp(b *testing.B, reps [2]*binaryServer) []*liveAccount {
	ctx := context.Background()
	accts := make([]*liveAccount, liveAccounts)
	errs := make(chan error, liveAccounts)
	sem := make(chan struct{}, 8)
	var wg sync.WaitGroup
	for i := range accts {
		a := &liveAccount{}
		for j := range liveDevices {
			n := i*liveDevices + j
			a.devs = append(a.devs, &liveDevice{base: reps[j%2].base, idx: j, ip: fmt.Sprintf("10.%d.%d.%d", n>>16, n>>8&255, n&255), item: fmt.Sprintf("item-%d", j)})
		}
		accts[i] = a
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			errs <- s.setUpAccount(ctx, a, fmt.Sprintf("live%d@example.com", i), reps[0])
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			b.Fatal(err)
		}
	}
	return accts
}

func (s *liveSim) setUpAccount(ctx context.Context, a *liveAccount, email string, rep *binaryServer) error {
	const pw = "Live-bench-1"
	d0 := a.devs[0]
	var sess api.Session
	if err := s.do(ctx, d0, "POST", api.PathAccounts, api.CreateAccountRequest{Email: email, Password: pw, AcceptTerms: true, Region: "eu"}, &sess); err != nil {
		return err
	}
	d0.tok = sess.AccessToken
	if sess.EmailCheck != nil {
		code, err := s.outboxCode(ctx, rep.base, email)
		if err != nil {
			return err
		}
		if err := s.do(ctx, d0, "POST", api.PathEmailVerify, api.EmailVerifyRequest{ChallengeID: sess.EmailCheck.ChallengeID, Code: code}, nil); err != nil {
			return err
		}
	}
	for _, d := range a.devs[1:] {
		var r api.SignInResponse
		if err := s.do(ctx, d, "POST", api.PathSessions, api.SignInRequest{Email: email, Password: pw, ClientName: "device " + strconv.Itoa(d.idx)}, &r); err != nil {
			return err
		}
		if r.Session == nil {
			return fmt.Errorf("%s: sign-in gave no session: %+v", email, r)
		}
		d.tok = r.Session.AccessToken
	}
	var h api.VaultHeader
	if err := s.do(ctx, d0, "PUT", api.PathVault, api.PutHeaderRequest{Header: testHeader(email, 1)}, &h); err != nil {
		return err
	}
	items := make([]api.PushItem, len(a.devs))
	for i, d := range a.devs {
		items[i] = api.PushItem{ID: d.item, Blob: randomBlob()}
	}
	var pr api.PushResponse
	if err := s.do(ctx, d0, "POST", api.PathVaultPush, api.PushRequest{KeyEpoch: 1, Items: items}, &pr); err != nil {
		return err
	}
	for i, d := range a.devs {
		d.since, d.base0 = pr.LatestChange, pr.Items[i].Change
	}
	return nil
}

func randomBlob() []byte {
	blob := make([]byte, liveBlobBytes)
	_, _ = rand.Read(blob)
	return blob
}

// outboxCode is the newest code the dev outbox of base sent to email.
func (s *liveSim) outboxCode(ctx context.Context, base, email string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", base+api.PathDevOutbox, nil)
	if err != nil {
		return "", err
	}
	req.Header.Set("Accept", api.ContentTypeJSON)
	resp, err := s.client.Do(req)
	if err != nil {
		return "", err
	}
	var ob api.OutboxResponse
	err = json.NewDecoder(resp.Body).Decode(&ob)
	if cerr := resp.Body.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", err
	}
	for _, m := range slices.Backward(ob.Messages) {
		if m.To == email && m.Code != "" {
			return m.Code, nil
		}
	}
	return "", fmt.Errorf("no code was sent to %s", email)
}

// watch is a device's live sync: wait with its cursor; when the vault moved past it,
// pull. The cursor is read after the answer under the device's lock, which its own
// push holds, so its own push is no news (as sync.Engine does).
func (s *liveSim) watch(ctx context.Context, a *liveAccount, d *liveDevice) {
	var epoch uint64
	for ctx.Err() == nil {
		d.mu.Lock()
		since := d.since
		d.mu.Unlock()
		var st api.VaultState
		d.parked.Store(true)
		err := s.do(ctx, d, "GET", api.PathVaultWait+"?since="+strconv.FormatUint(since, 10)+"&epoch="+strconv.FormatUint(epoch, 10), nil, &st)
		d.parked.Store(false)
		if err != nil {
			if ctx.Err() == nil {
				s.fail(err)
				select { // back off, as a device does
				case <-ctx.Done():
				case <-time.After(time.Second):
				}
			}
			continue
		}
		told := time.Now()
		epoch = st.KeyEpoch
		d.mu.Lock()
		if st.LatestChange > d.since {
			if err := s.pull(ctx, d); err != nil && ctx.Err() == nil {
				s.fail(err)
			}
			s.pulls.Add(1)
		}
		since = d.since
		d.mu.Unlock()
		a.seen(d.idx, since, told, time.Now())
	}
}

// pull fetches every change after the device's cursor; the caller holds d.mu.
func (s *liveSim) pull(ctx context.Context, d *liveDevice) error {
	for {
		var pr api.PullResponse
		if err := s.do(ctx, d, "GET", api.PathVaultChanges+"?since="+strconv.FormatUint(d.since, 10)+"&limit=1000", nil, &pr); err != nil {
			return err
		}
		for _, it := range pr.Items {
			if it.ID == d.item {
				d.base0 = it.Change
			}
		}
		d.since = pr.Next
		if !pr.More {
			return nil
		}
	}
}

// seen records that device idx holds the account's vault up to cursor.
func (a *liveAccount) seen(idx int, cursor uint64, told, pulled time.Time) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if cursor > a.last[idx].cursor {
		a.last[idx] = heldAt{cursor, told, pulled}
	}
	a.check()
}

// check ends the round's push once every sibling holds it (a notice can come before
// the push's answer). The caller holds a.mu.
func (a *liveAccount) check() {
	if a.want == 0 || a.notice != nil {
		return
	}
	var last time.Time
	for i, h := range a.last {
		if i == a.pusher {
			continue
		}
		if h.cursor < a.want {
			return
		}
		if h.pulled.After(last) {
			last = h.pulled
		}
	}
	for i, h := range a.last {
		if i != a.pusher {
			a.notice = append(a.notice, h.told.Sub(a.t0))
		}
	}
	a.pulled = last.Sub(a.t0)
	close(a.done)
}

// push sends device d's edit of its item, holding its lock so its own notice waits
// for the answer.
func (s *liveSim) push(a *liveAccount, d *liveDevice) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	a.mu.Lock()
	a.t0, a.want, a.pusher, a.notice = time.Now(), 0, d.idx, nil
	a.done = make(chan struct{})
	a.mu.Unlock()
	var pr api.PushResponse
	err := s.do(context.Background(), d, "POST", api.PathVaultPush, api.PushRequest{KeyEpoch: 1,
		Items: []api.PushItem{{ID: d.item, BaseChange: d.base0, Blob: randomBlob()}}}, &pr)
	if err != nil {
		return err
	}
	took := time.Since(a.t0)
	if len(pr.Items) != 1 {
		return errors.New("the push was answered without its item")
	}
	if pr.LatestChange == d.since+1 {
		d.since = pr.LatestChange // nobody else's change came between
	}
	d.base0 = pr.Items[0].Change
	a.mu.Lock()
	a.want, a.pushed = pr.Items[0].Change, took
	a.check()
	a.mu.Unlock()
	return nil
}

// round has one device of every account push, at random moments within liveSpread,
// and returns each sibling's notice time and each push's time to all three pulled.
func (s *liveSim) round(b *testing.B, accts []*liveAccount, round int) (notice, pulled, pushed []time.Duration) {
	var wg sync.WaitGroup
	var mu sync.Mutex
	for _, a := range accts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			time.Sleep(mrand.N(liveSpread)) // the moment this account's person edits
			if err := s.push(a, a.devs[round%liveDevices]); err != nil {
				s.fail(err)
				return
			}
			select {
			case <-a.done:
			case <-time.After(liveRoundLimit):
				s.fail(errors.New("a push did not reach its three siblings"))
				return
			}
			a.mu.Lock()
			mu.Lock()
			notice, pulled, pushed = append(notice, a.notice...), append(pulled, a.pulled), append(pushed, a.pushed)
			mu.Unlock()
			a.mu.Unlock()
		}()
	}
	wg.Wait()
	if s.errors.Load() > 0 {
		b.Fatalf("requests failed; first: %v", s.firstErr.Load())
	}
	return notice, pulled, pushed
}

// awaitParked polls until every device has a wait under way (set-up, not a check).
func (s *liveSim) awaitParked(b *testing.B, accts []*liveAccount) {
	deadline := time.Now().Add(2 * time.Minute)
	for {
		n := 0
		for _, a := range accts {
			for _, d := range a.devs {
				if d.parked.Load() {
					n++
				}
			}
		}
		if n == liveAccounts*liveDevices {
			return
		}
		if time.Now().After(deadline) {
			b.Fatalf("%d devices waiting, want %d", n, liveAccounts*liveDevices)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// dbConnections counts the database's connections by application name (the replicas
// name themselves in their -db URL).
func dbConnections(b *testing.B, db string) map[string]int {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, db)
	if err != nil {
		b.Fatal(err)
	}
	defer func() {
		if err := conn.Close(ctx); err != nil {
			b.Error(err)
		}
	}()
	rows, err := conn.Query(ctx, `SELECT application_name, count(*) FROM pg_stat_activity
		WHERE datname = current_database() GROUP BY application_name`)
	if err != nil {
		b.Fatal(err)
	}
	out := map[string]int{}
	var name string
	var n int
	if _, err := pgx.ForEachRow(rows, []any{&name, &n}, func() error { out[name] = n; return nil }); err != nil {
		b.Fatal(err)
	}
	return out
}

// rss reads one memory line (VmRSS:, VmHWM:) of the process's status, in bytes.
func (s *binaryServer) rss(b *testing.B, field string) int64 {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		b.Skipf("no /proc: %v", err)
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if v, ok := strings.CutPrefix(line, field); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err != nil {
				b.Fatal(err)
			}
			return kb << 10
		}
	}
	b.Fatalf("no %s", field)
	return 0
}
