package cloudsync

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/valvpm/valv/account"
	"github.com/valvpm/valv/vault"
)

// fileCanary is written all through test files: it must never be seen on the wire.
const fileCanary = "CANARY-passport-scan-7f3a"

// testFile is n bytes of deterministic noise with the canary every 64 KiB.
func testFile(seed uint64, n int) []byte {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	out := make([]byte, n)
	for i := 0; i+8 <= n; i += 8 {
		v := r.Uint64()
		for j := range 8 {
			out[i+j] = byte(v >> (8 * j))
		}
	}
	for i := 0; i+len(fileCanary) <= n; i += 64 << 10 {
		copy(out[i:], fileCanary)
	}
	return out
}

// attach adds data as a file of the device's first item with that title.
func (d *device) attach(t testing.TB, title, name string, data []byte) (vault.ID, vault.Attachment) {
	t.Helper()
	it := d.item(t, title)
	_, a, err := d.v.Attach(bg, it.ID, name, bytes.NewReader(data))
	if err != nil {
		t.Fatalf("attach on %s: %v", d.name, err)
	}
	return it.ID, a
}

func (d *device) item(t testing.TB, title string) *vault.Item {
	t.Helper()
	items, err := d.v.List(vault.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		if it.Title == title {
			return it
		}
	}
	t.Fatalf("%s has no item %q", d.name, title)
	return nil
}

// readFile opens a file on the device and returns its content.
func (d *device) readFile(item vault.ID, att vault.AttachmentID) ([]byte, error) {
	rc, err := d.v.OpenAttachment(item, att)
	if err != nil {
		return nil, err
	}
	data, err := io.ReadAll(rc)
	return data, errors.Join(err, rc.Close())
}

func (d *device) syncFiles(t testing.TB, download bool) FileReport {
	t.Helper()
	rep, err := d.e.SyncFiles(bg, download)
	if err != nil {
		t.Fatalf("file sync on %s: %v", d.name, err)
	}
	return rep
}

func sameBytes(t testing.TB, what string, got, want []byte) {
	t.Helper()
	if !bytes.Equal(got, want) {
		t.Fatalf("%s: %d bytes (sha256 %x), want %d (sha256 %x)", what, len(got), sha256.Sum256(got), len(want), sha256.Sum256(want))
	}
}

// chunkProxy is a reverse proxy on loopback in front of a valv-cloud that counts the
// chunk uploads reaching the server, per path, and can cut the connection of an
// upload: halfway through its body, or after forwarding it (the server stored the
// chunk, the client never hears so). From then on the network is down for uploads
// (the transport's own retry fails too) until restore.
type chunkProxy struct {
	t   testing.TB
	url string

	mu     sync.Mutex
	puts   map[string]int // chunk path → uploads forwarded to the server
	gets   int
	cutAt  int  // cut the upload after this many were forwarded (0: never)
	after  bool // cut after forwarding rather than halfway through the body
	down   bool
	passed int
}

func newChunkProxy(t testing.TB, target string) *chunkProxy {
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	p := &chunkProxy{t: t, puts: map[string]int{}}
	rp := httputil.NewSingleHostReverseProxy(u)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		isPut := r.Method == http.MethodPut && strings.Contains(r.URL.Path, "/chunks/")
		if r.Method == http.MethodGet && strings.Contains(r.URL.Path, "/chunks/") {
			p.mu.Lock()
			p.gets++
			p.mu.Unlock()
		}
		if !isPut {
			rp.ServeHTTP(w, r)
			return
		}
		p.mu.Lock()
		cut := p.cutAt > 0 && p.passed == p.cutAt
		after := cut && p.after
		if cut {
			p.cutAt = 0
		}
		if p.down {
			cut, after = true, false
		}
		p.down = p.down || cut
		if !cut || after {
			p.passed++
			p.puts[r.URL.Path]++
		}
		p.mu.Unlock()
		switch {
		case !cut:
			rp.ServeHTTP(w, r)
		case after:
			rec := httptest.NewRecorder()
			rp.ServeHTTP(rec, r) // the server stores it; the answer is lost
			hangUp(t, w)
		default:
			_, _ = io.CopyN(io.Discard, r.Body, r.ContentLength/2)
			hangUp(t, w)
		}
	}))
	t.Cleanup(ts.Close)
	p.url = ts.URL
	return p
}

// hangUp closes the client's connection without an answer.
func hangUp(t testing.TB, w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		t.Errorf("hijack: %v", err)
		return
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0) // a reset, as a dropped network gives
	}
	_ = conn.Close()
}

// cut arms the proxy: the upload after n more have passed is cut.
func (p *chunkProxy) cut(n int, afterForwarding bool) {
	p.mu.Lock()
	p.cutAt, p.after = p.passed+n, afterForwarding
	p.mu.Unlock()
}

// restore brings the network back.
func (p *chunkProxy) restore() {
	p.mu.Lock()
	p.down = false
	p.mu.Unlock()
}

// uploads returns how many uploads reached the server, in all and at most per chunk.
func (p *chunkProxy) uploads() (total, most int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, n := range p.puts {
		total += n
		most = max(most, n)
	}
	return total, most
}

// tamperRemote flips a byte of every chunk it downloads.
type tamperRemote struct{ *account.Client }

func (r tamperRemote) GetChunk(ctx context.Context, att string, n int) ([]byte, error) {
	data, err := r.Client.GetChunk(ctx, att, n)
	if len(data) > 40 {
		data[40] ^= 1
	}
	return data, err
}
