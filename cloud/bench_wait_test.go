package cloud

import (
	"fmt"
	"net"
	"runtime"
	"testing"
	"time"

	"github.com/valvpm/valv/cloud/api"
)

// BenchmarkIdleWaits measures what a parked live-sync wait costs the server: 960 idle
// devices (60 accounts × 16) each hold GET /v1/vault/wait open on a connection of its
// own; the heap and stacks in use grow by the reported bytes per connection (target
// ≤ 64 KiB). The devices are bare sockets, so nearly all of the growth is the server's.
func BenchmarkIdleWaits(b *testing.B) {
	const accounts = 60
	n := accounts * maxWaitsPerAccount
	e := newEnv(b, func(c *Config) { c.WaitHold = time.Hour })
	var req [][]byte
	for i := range accounts {
		tok := e.newAccount(fmt.Sprintf("idle%d@example.com", i)).AccessToken
		for range maxWaitsPerAccount {
			req = append(req, []byte("GET "+api.PathVaultWait+"?since=0 HTTP/1.1\r\nHost: valv\r\nAuthorization: Bearer "+tok+"\r\n\r\n"))
		}
	}
	addr := e.ts.Listener.Addr().String()
	var perConn float64
	for b.Loop() {
		before := inUse()
		conns := make([]net.Conn, 0, n)
		for _, r := range req {
			c, err := net.Dial("tcp", addr)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := c.Write(r); err != nil {
				b.Fatal(err)
			}
			conns = append(conns, c)
		}
		e.srv.awaitWaits(b, n)
		perConn = float64(inUse()-before) / float64(n)
		for _, c := range conns {
			if err := c.Close(); err != nil {
				b.Fatal(err)
			}
		}
		e.srv.awaitWaits(b, 0)
	}
	b.ReportMetric(perConn, "B/idle-conn")
}

// inUse is the heap and goroutine stacks in use after a collection.
func inUse() int64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapInuse + m.StackInuse)
}

// awaitWaits polls until n waits are parked (a benchmark's set-up, not a test's check).
func (s *Server) awaitWaits(b *testing.B, n int) {
	deadline := time.Now().Add(time.Minute)
	for {
		s.waits.mu.Lock()
		got := 0
		for _, k := range s.waits.n {
			got += k
		}
		s.waits.mu.Unlock()
		if got == n {
			return
		}
		if time.Now().After(deadline) {
			b.Fatalf("%d waits parked, want %d", got, n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
