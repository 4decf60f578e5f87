package cloudsync

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/valvpm/valv/account"
	"github.com/valvpm/valv/cloud/cloudtest"
	"github.com/valvpm/valv/cloud/store/pgtest"
	"github.com/valvpm/valv/vault"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// balancer is the load balancer in front of the replicas: it sends everything to one
// of them, and the test moves it when that one dies.
type balancer struct{ to atomic.Pointer[url.URL] }

func (b *balancer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := &httputil.ReverseProxy{Rewrite: func(pr *httputil.ProxyRequest) { pr.SetURL(b.to.Load()) },
		ErrorLog: nil, ErrorHandler: func(w http.ResponseWriter, _ *http.Request, _ error) { w.WriteHeader(http.StatusBadGateway) }}
	p.ServeHTTP(w, r)
}

// TestReplicas: one PostgreSQL, two real valv-cloud processes. Device B, on replica
// B, is told live of an item device A added through replica A. Then replica A is
// SIGKILLed while device A pushes hundreds of items; the balancer sends A to replica B
// and A carries on: every item arrives once, and none is lost.
func TestReplicas(t *testing.T) {
	db := pgtest.Database(t)
	bin := cloudtest.BuildBinary(t)
	dir := t.TempDir()
	plans := cloudtest.UnlimitedPlansFile(t)
	replica := func(name string) *cloudProcess {
		p := &cloudProcess{t: t, bin: bin, data: filepath.Join(dir, name+"-data"), addr: freeAddr(t), plans: plans, extra: []string{"-db", db}}
		p.start()
		t.Cleanup(func() {
			if p.cmd.ProcessState == nil {
				p.kill()
			}
		})
		return p
	}
	ra, rb := replica("a"), replica("b")
	urlA, urlB := "http://"+ra.addr, "http://"+rb.addr
	var lb balancer
	target, _ := url.Parse(urlA)
	lb.to.Store(target)
	front := &http.Server{Handler: &lb}
	frontAddr := freeAddr(t)
	ln, err := net.Listen("tcp", frontAddr)
	if err != nil {
		t.Fatal(err)
	}
	go front.Serve(ln)
	t.Cleanup(func() { front.Close() })
	urlFront := "http://" + frontAddr

	// Device A signs up through the balancer (replica A), B signs in on replica B.
	cA, err := account.New(urlFront, account.Options{})
	if err != nil {
		t.Fatal(err)
	}
	f := cA.NewFlow("")
	st, err := f.CreateAccount(bg, account.CreateForm{Email: "two@example.com", Password: "Account-Pass1", Confirm: "Account-Pass1", Region: "eu"})
	if err == nil && st.Step == account.StepVerifyEmail {
		_, err = f.VerifyEmail(bg, cloudtest.OutboxCode(t, urlA, "two@example.com"))
	}
	if err != nil {
		t.Fatal(err)
	}
	kdf := vault.FloorKDF()
	vA, err := vault.Create(filepath.Join(dir, "a", "vault.db"), masterPW, vault.CreateOptions{KDF: &kdf})
	if err != nil {
		t.Fatal(err)
	}
	defer vA.Close()
	if _, err := vA.Add(&vault.Item{Type: vault.TypeLogin, Title: "first"}); err != nil {
		t.Fatal(err)
	}
	eA := New(vA, cA)
	if _, err := eA.Upload(bg, masterPW); err != nil {
		t.Fatal(err)
	}
	cB, _ := account.New(urlB, account.Options{})
	if _, err := cB.NewFlow("").SignIn(bg, "two@example.com", "Account-Pass1"); err != nil {
		t.Fatal(err)
	}
	vB, _, err := Download(bg, cB, filepath.Join(dir, "b", "vault.db"), masterPW, urlB, "two@example.com")
	if err != nil {
		t.Fatal(err)
	}
	defer vB.Close()
	eB := New(vB, cB)

	// B waits on replica B; A's change through replica A reaches it by NOTIFY.
	told := make(chan time.Time, 1)
	ctx, cancel := context.WithCancel(bg)
	watchDone := make(chan struct{})
	go func() {
		defer close(watchDone)
		Watch(ctx, cB, eB.Cursor, func() {
			select {
			case told <- time.Now():
			default: // the test looks at the first notice only
			}
		})
	}()
	defer func() { cancel(); <-watchDone }()
	if _, err := vA.Add(&vault.Item{Type: vault.TypeLogin, Title: "live", Password: "pw"}); err != nil {
		t.Fatal(err)
	}
	pushed := time.Now()
	if _, err := eA.SyncOnce(bg); err != nil {
		t.Fatal(err)
	}
	select {
	case at := <-told:
		t.Logf("device B was told %v after device A's push began", at.Sub(pushed).Round(time.Millisecond))
	case <-time.After(20 * time.Second):
		t.Fatal("device B was not told of device A's change")
	}
	if _, err := eB.SyncOnce(bg); err != nil {
		t.Fatal(err)
	}
	if !maps.Equal(snapshot(t, vA), snapshot(t, vB)) {
		t.Fatal("device B did not get device A's live change")
	}

	// Replica A dies mid-push; the balancer moves A to replica B.
	killMidPush(t, vA, eA, ra, &lb, urlB)
	if _, err := eB.SyncOnce(bg); err != nil {
		t.Fatal(err)
	}
	if vA.Len() != 302 || !maps.Equal(snapshot(t, vA), snapshot(t, vB)) {
		t.Fatalf("after replica A died: device A has %d items, device B %d, want 302 each", vA.Len(), vB.Len())
	}
	if _, err := os.Stat(ra.data); !os.IsNotExist(err) {
		t.Fatalf("with -db a replica wrote to -data: %v", err)
	}
}

// killMidPush adds 300 items on device A and syncs them in small batches through the
// balancer, SIGKILLing replica A while they are under way, then carries on through
// replica B until nothing is pending.
func killMidPush(t *testing.T, v *vault.Vault, e *Engine, ra *cloudProcess, lb *balancer, urlB string) {
	t.Helper()
	var items []*vault.Item
	for i := range 300 {
		items = append(items, &vault.Item{Type: vault.TypeLogin, Title: fmt.Sprintf("site %d", i), Password: fmt.Sprintf("pw %d", i)})
	}
	if _, err := v.AddAll(items); err != nil {
		t.Fatal(err)
	}
	e.PushBatch = 10
	done := make(chan error, 1)
	go func() { _, err := e.SyncOnce(bg); done <- err }()
	rng := rand.New(rand.NewPCG(13, 13))
	select {
	case err := <-done:
		t.Fatalf("the push ended before replica A was killed: %v", err)
	case <-time.After(time.Duration(20+rng.IntN(40)) * time.Millisecond):
	}
	ra.kill()
	if err := <-done; err == nil {
		t.Log("the sync finished just before the kill")
	}
	b, _ := url.Parse(urlB)
	lb.to.Store(b)
	for attempt := 0; ; attempt++ {
		if attempt > 10 {
			t.Fatal("device A never finished through replica B")
		}
		_, err := e.SyncOnce(bg)
		if n, _ := v.PendingCount(); err == nil && n == 0 {
			return
		}
	}
}
