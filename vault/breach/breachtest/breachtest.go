// Package breachtest is a loopback stand-in for the Pwned Passwords range API, for
// tests: it speaks the real protocol (GET /range/{5 hex digits}; with Add-Padding:
// true the answer gains rows of random suffixes with a count of 0) and records every
// request that reached it, so tests can check what left the computer.
package breachtest

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
)

// Request is what one request carried.
type Request struct {
	Method, Path, RawQuery string
	Header                 http.Header
	Body                   string
}

// Server is the fake range endpoint. Its URL plus "/range/" is the endpoint.
type Server struct {
	*httptest.Server
	counts map[string]int // full upper-case hex SHA-1 → times seen
	mu     sync.Mutex
	seen   []Request
}

var prefixPath = regexp.MustCompile(`^/range/[0-9A-F]{5}$`)

// New starts a server that knows the given passwords with their breach counts. Close
// it when done.
func New(breached map[string]int) *Server {
	s := &Server{counts: map[string]int{}}
	for p, n := range breached {
		sum := sha1.Sum([]byte(p))
		s.counts[strings.ToUpper(hex.EncodeToString(sum[:]))] = n
	}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// Endpoint is the range endpoint address for breach.Range.
func (s *Server) Endpoint() string { return s.URL + "/range/" }

// Requests returns what reached the server so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.seen...)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	s.seen = append(s.seen, Request{r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Clone(), string(body)})
	s.mu.Unlock()
	if r.Method != http.MethodGet || !prefixPath.MatchString(r.URL.Path) {
		http.Error(w, "The hash prefix was not in a valid format", http.StatusBadRequest)
		return
	}
	prefix := strings.TrimPrefix(r.URL.Path, "/range/")
	var lines []string
	for h, n := range s.counts {
		if strings.HasPrefix(h, prefix) {
			lines = append(lines, fmt.Sprintf("%s:%d", h[5:], n))
		}
	}
	if r.Header.Get("Add-Padding") == "true" {
		for range 200 + rand.IntN(100) {
			var b [18]byte
			for i := range b {
				b[i] = byte(rand.IntN(256))
			}
			lines = append(lines, strings.ToUpper(hex.EncodeToString(b[:]))[:35]+":0")
		}
	}
	rand.Shuffle(len(lines), func(i, j int) { lines[i], lines[j] = lines[j], lines[i] })
	fmt.Fprint(w, strings.Join(lines, "\r\n"))
}
