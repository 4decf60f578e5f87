package breach

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/valvpm/valv/vault/breach/breachtest"
)

func hexOf(s [sha1.Size]byte) string { return strings.ToUpper(hex.EncodeToString(s[:])) }

// TestRangeCounts: the counts come back for breached passwords and 0 for the others,
// one request per prefix, and nothing but the five hex digits leaves: no password, no
// rest of a hash, in the path, query, headers or body.
func TestRangeCounts(t *testing.T) {
	strong := Hash("vK7#qP2$wN9!mZ4x-unique")
	padded := Hash("padding-only") // its suffix appears, but as a padding row
	srv := breachtest.New(map[string]int{"password": 52256179, "iloveyou1": 145622, "padding-only": 0})
	defer srv.Close()
	sums := [][sha1.Size]byte{Hash("password"), strong, Hash("iloveyou1"), Hash("password"), padded}
	r := &Range{Endpoint: srv.Endpoint(), Client: srv.Client()}
	got, err := r.Counts(context.Background(), sums)
	if err != nil {
		t.Fatal(err)
	}
	if want := []int{52256179, 0, 145622, 52256179, 0}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("counts %v, want %v", got, want)
	}
	seen := srv.Requests()
	if len(seen) != 4 { // "password" twice is one prefix
		t.Errorf("%d requests, want 4", len(seen))
	}
	for _, req := range seen {
		if req.Header.Get("Add-Padding") != "true" {
			t.Errorf("request %s without Add-Padding", req.Path)
		}
		if req.Method != http.MethodGet || req.RawQuery != "" || req.Body != "" {
			t.Errorf("request %s %s sent a query or body", req.Method, req.Path)
		}
		dump := fmt.Sprint(req.Path, req.Header)
		for _, s := range sums {
			if strings.Contains(strings.ToUpper(dump), hexOf(s)[5:12]) {
				t.Errorf("request %s carries more of a hash than its prefix", dump)
			}
		}
		for _, p := range []string{"password", "iloveyou1", "unique"} {
			if strings.Contains(dump, p) {
				t.Errorf("request %s carries a password", dump)
			}
		}
	}
	// The endpoint works without its trailing slash too.
	r.Endpoint = srv.URL + "/range"
	if got, err := r.Counts(context.Background(), sums[:1]); err != nil || got[0] != 52256179 {
		t.Errorf("without the slash: %v %v", got, err)
	}
}

func TestRangeFailures(t *testing.T) {
	failing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "busy", http.StatusServiceUnavailable)
	}))
	defer failing.Close()
	garbled := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "<html>captive portal</html>")
	}))
	defer garbled.Close()
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	sums := [][sha1.Size]byte{Hash("password"), Hash("x")}
	for name, c := range map[string]struct {
		endpoint, says string
	}{
		"an error status":    {failing.URL + "/range/", "answered 503"},
		"a page that is not": {garbled.URL + "/range/", "cannot read"},
		"nobody there":       {closed.URL + "/range/", "could not be reached"},
		"plain http far off": {"http://192.0.2.1/range/", "https://"},
		"not an address":     {"::", "https://"},
	} {
		_, err := (&Range{Endpoint: c.endpoint}).Counts(context.Background(), sums)
		if !errors.Is(err, ErrOnline) || !strings.Contains(err.Error(), c.says) {
			t.Errorf("%s: %v, want ErrOnline saying %q", name, err, c.says)
		}
	}
	if err := CheckEndpoint("http://192.0.2.1/range/"); !errors.Is(err, ErrEndpoint) {
		t.Errorf("plain http to another computer: %v", err)
	}
	for _, ok := range []string{DefaultRangeEndpoint, "http://127.0.0.1:8080/range/", "http://localhost/r/", "http://[::1]:9/range/"} {
		if err := CheckEndpoint(ok); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	srv := breachtest.New(nil)
	defer srv.Close()
	if _, err := (&Range{Endpoint: srv.Endpoint()}).Counts(ctx, sums); !errors.Is(err, ErrOnline) {
		t.Errorf("cancelled: %v", err)
	}
}

// FuzzParseRange: the answer parser never panics, and every suffix it returns is 35
// upper-case hex digits with a positive count.
func FuzzParseRange(f *testing.F) {
	f.Add([]byte("0018A45C4D1DEF81644B54AB7F969B88D65:1\r\n00D4F6E8FA6EECAD2A3AA415EEC418D38EC:0\r\n"))
	f.Add([]byte("X:1"))
	f.Add([]byte(""))
	hexSuffix := regexp.MustCompile(`^[0-9A-F]{35}$`)
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := ParseRange(b)
		if err != nil {
			return
		}
		for s, n := range m {
			if !hexSuffix.MatchString(s) || n <= 0 {
				t.Fatalf("returned %q:%d", s, n)
			}
		}
	})
}
