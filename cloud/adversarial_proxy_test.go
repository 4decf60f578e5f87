package cloud

import (
	"fmt"
	"net/http/httptest"
	"net/netip"
	"testing"

	"github.com/valvpm/valv/cloud/api"
)

// TestAttackForwardedForRotation (Medium 6): behind a trusted proxy the attacker puts a
// new address at the left of X-Forwarded-For on every try; the proxy appends the real
// one. The per-address limit must still count the real address.
func TestAttackForwardedForRotation(t *testing.T) {
	e := newEnv(t, func(c *Config) {
		c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}
	})
	e.newAccount("target@example.com")
	for i := range failsPerAddress {
		xff := fmt.Sprintf("198.51.100.%d, 203.0.113.9", i)
		e.wantErr(401, api.CodeInvalidCredentials, "POST", api.PathSessions, "", api.SignInRequest{Email: fmt.Sprintf("x%d@example.com", i), Password: "Wrong-pass-1"}, "X-Forwarded-For", xff)
	}
	e.wantErr(401, api.CodeCaptchaRequired, "POST", api.PathSessions, "", api.SignInRequest{Email: "target@example.com", Password: testPassword}, "X-Forwarded-For", "192.0.2.77, 203.0.113.9")
	// Another real client behind the same proxy is not affected.
	e.must("POST", api.PathSessions, "", api.SignInRequest{Email: "target@example.com", Password: testPassword}, nil, "X-Forwarded-For", "203.0.113.10")
}

// TestClientIP: the right-most address that is not a trusted proxy is the client.
func TestClientIP(t *testing.T) {
	trusted := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("127.0.0.1/32")}
	s := &Server{cfg: Config{TrustedProxies: trusted}}
	for _, c := range []struct{ remote, xff, want string }{
		{"127.0.0.1:5000", "", "127.0.0.1"},
		{"127.0.0.1:5000", "203.0.113.9", "203.0.113.9"},
		{"127.0.0.1:5000", "1.2.3.4, 203.0.113.9", "203.0.113.9"},
		{"127.0.0.1:5000", "1.2.3.4, 203.0.113.9, 10.1.2.3", "203.0.113.9"}, // two proxies
		{"127.0.0.1:5000", "10.1.1.1, 10.2.2.2", "10.1.1.1"},                // all trusted: the left-most
		{"127.0.0.1:5000", "junk, 203.0.113.9", "203.0.113.9"},
		{"127.0.0.1:5000", "203.0.113.9, junk", "127.0.0.1"}, // a proxy wrote garbage: do not guess
		{"198.51.100.1:5000", "203.0.113.9", "198.51.100.1"}, // not from a trusted proxy: ignored
		{"[2001:db8::1]:5000", "203.0.113.9", "2001:db8::1"},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = c.remote
		if c.xff != "" {
			r.Header.Set("X-Forwarded-For", c.xff)
		}
		if got := s.clientIP(r); got != c.want {
			t.Errorf("remote %s, X-Forwarded-For %q: %s, want %s", c.remote, c.xff, got, c.want)
		}
	}
	// Without trusted proxies the header is ignored.
	r := httptest.NewRequest("GET", "/", nil)
	r.RemoteAddr = "127.0.0.1:1"
	r.Header.Set("X-Forwarded-For", "203.0.113.9")
	if got := (&Server{}).clientIP(r); got != "127.0.0.1" {
		t.Errorf("no trusted proxies: %s", got)
	}
}
