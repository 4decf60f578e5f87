package cloud

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/valvpm/valv/cloud/api"
	"github.com/valvpm/valv/cloud/store"
)

// pushStream is a push body of n items with blobs of size bytes, generated while it is
// read so that an 89 MiB request costs the test nothing; read counts what the server
// took of it.
type pushStream struct {
	r    io.Reader
	size int64
	read atomic.Int64
}

func newPushStream(n, size int) *pushStream {
	blob := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{0x5a}, size))
	item := func(i int) string { return fmt.Sprintf(`{"id":"item-%05d","base_change":0,"blob":"%s"}`, i, blob) }
	ps := &pushStream{size: int64(len(`{"key_epoch":1,"items":[`) + len(`]}`) + n - 1)}
	for i := range n {
		ps.size += int64(len(item(i)))
	}
	pr, pw := io.Pipe()
	go func() {
		w := bufio.NewWriterSize(pw, 64<<10)
		_, err := io.WriteString(w, `{"key_epoch":1,"items":[`)
		for i := 0; i < n && err == nil; i++ {
			if i > 0 {
				_, err = io.WriteString(w, ",")
			}
			if err == nil {
				_, err = io.WriteString(w, item(i))
			}
		}
		if err == nil {
			_, err = io.WriteString(w, `]}`)
		}
		if err == nil {
			err = w.Flush()
		}
		pw.CloseWithError(err)
	}()
	ps.r = pr
	return ps
}

func (ps *pushStream) Read(p []byte) (int, error) {
	n, err := ps.r.Read(p)
	ps.read.Add(int64(n))
	return n, err
}

// Close stops the generator when the transport gives up on the body.
func (ps *pushStream) Close() error { return ps.r.(*io.PipeReader).Close() }

// send pushes the stream, declaring its size unless chunked, and returns the status.
func (ps *pushStream) send(base, tok string, chunked bool) (int, error) {
	req, err := http.NewRequest("POST", base+api.PathVaultPush, ps)
	if err != nil {
		return 0, err
	}
	if !chunked {
		req.ContentLength = ps.size
	}
	req.Header.Set("Content-Type", api.ContentTypeJSON)
	req.Header.Set(api.HeaderAuthorize, "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, resp.Body.Close()
}

// TestAttackOversizedPush (Medium 3): an 89 MiB push is refused without the server
// holding it: at once when its size is declared, and as soon as it passes the limit
// while being read when it is not.
func TestAttackOversizedPush(t *testing.T) {
	e := newEnv(t, func(c *Config) {
		c.Limits = store.Limits{MaxItemBytes: 256 << 10, MaxVaultBytes: 64 << 20, MaxPushItems: 1000, MaxPushBytes: 1 << 20}
	})
	s := e.newAccount("big@example.com")
	e.must("PUT", api.PathVault, s.AccessToken, api.PutHeaderRequest{Header: testHeader("big", 1)}, nil)
	for _, chunked := range []bool{false, true} {
		ps := newPushStream(267, 256<<10)
		st, err := ps.send(e.base, s.AccessToken, chunked)
		// The server may close the connection while the client still writes; either
		// way it must not have taken the body.
		if err == nil && st != http.StatusRequestEntityTooLarge {
			t.Errorf("chunked=%v: %d, want 413", chunked, st)
		}
		if got := ps.read.Load(); got > 16<<20 {
			t.Errorf("chunked=%v: the server read %d MiB of a %d MiB push before refusing it", chunked, got>>20, ps.size>>20)
		}
	}
	// The limit is on the blobs of one push: within it, pushes work.
	ps := newPushStream(3, 256<<10)
	if st, err := ps.send(e.base, s.AccessToken, true); err != nil || st != http.StatusOK {
		t.Fatalf("a push within the limit: %d %v", st, err)
	}
}

// TestAttackWholeVaultPull (Medium 3): a pull page is bounded by bytes as well as by
// count, so one request never holds the whole vault.
func TestAttackWholeVaultPull(t *testing.T) {
	e := newEnv(t, func(c *Config) {
		c.Limits = store.Limits{MaxItemBytes: 256 << 10, MaxVaultBytes: 64 << 20, MaxPushItems: 1000, MaxPushBytes: 16 << 20, MaxPullBytes: 1 << 20}
	})
	s := e.newAccount("pull@example.com")
	e.personal(s.AccessToken)
	e.must("PUT", api.PathVault, s.AccessToken, api.PutHeaderRequest{Header: testHeader("pull", 1)}, nil)
	var items []api.PushItem
	for i := range 20 {
		items = append(items, api.PushItem{ID: fmt.Sprintf("i%d", i), Blob: bytes.Repeat([]byte{byte(i)}, 200<<10)})
	}
	e.must("POST", api.PathVaultPush, s.AccessToken, api.PushRequest{KeyEpoch: 1, Items: items}, nil)
	got, pages := 0, 0
	for since := uint64(0); ; pages++ {
		var pr api.PullResponse
		e.must("GET", fmt.Sprintf("%s?since=%d&limit=1000", api.PathVaultChanges, since), s.AccessToken, nil, &pr)
		size := 0
		for _, it := range pr.Items {
			size += len(it.Blob)
		}
		if size > 1<<20 || len(pr.Items) == 0 {
			t.Fatalf("page %d: %d items, %d bytes (limit 1 MiB, at least one item)", pages, len(pr.Items), size)
		}
		got += len(pr.Items)
		since = pr.Next
		if !pr.More {
			break
		}
	}
	if got != 20 || pages+1 < 4 {
		t.Fatalf("%d items in %d pages", got, pages+1)
	}
}

// TestAttackParallelVaultRequests (Medium 3): one account cannot have more vault
// requests in flight than allowed; the next waits its turn, then is refused.
func TestAttackParallelVaultRequests(t *testing.T) {
	entered := make(chan struct{}, 8)
	e := newEnv(t, func(c *Config) {
		c.VaultConcurrency, c.VaultWait = 1, 50*time.Millisecond
		c.testHookVaultEntered = func() { entered <- struct{}{} }
	})
	waitEntered := func() {
		t.Helper()
		select {
		case <-entered:
		case <-time.After(10 * time.Second):
			t.Fatal("the server never started the vault request")
		}
	}
	s := e.newAccount("par@example.com")
	e.must("PUT", api.PathVault, s.AccessToken, api.PutHeaderRequest{Header: testHeader("par", 1)}, nil)
	waitEntered()
	// A push whose body never ends holds its turn.
	pr, pw := io.Pipe()
	req, _ := http.NewRequest("POST", e.base+api.PathVaultPush, pr)
	req.Header.Set("Content-Type", api.ContentTypeJSON)
	req.Header.Set(api.HeaderAuthorize, "Bearer "+s.AccessToken)
	first := make(chan int, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			first <- 0
			return
		}
		resp.Body.Close()
		first <- resp.StatusCode
	}()
	if _, err := io.WriteString(pw, `{"key_epoch":1,"items":[`); err != nil {
		t.Fatal(err)
	}
	waitEntered()
	ae := e.wantErr(429, api.CodeRateLimited, "GET", api.PathVaultChanges, s.AccessToken, nil)
	if ae.RetryAfter <= 0 {
		t.Error("no retry_after")
	}
	// Another account is not held up.
	o := e.newAccount("other@example.com")
	e.wantErr(404, api.CodeVaultNotFound, "GET", api.PathVaultChanges, o.AccessToken, nil)
	if _, err := io.WriteString(pw, `{"id":"a","blob":"AAAA"}]}`); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	if st := <-first; st != http.StatusOK {
		t.Fatalf("the first push: %d", st)
	}
	e.must("GET", api.PathVaultChanges, s.AccessToken, nil, nil)
}
