package browser

import "testing"

func TestMatch(t *testing.T) {
	cases := []struct {
		login, page string
		want        Rank
	}{
		// Hosts and registrable domains.
		{"https://bank.example", "https://bank.example/login", Exact},
		{"https://bank.example/login?next=/", "https://bank.example/", Exact},
		{"bank.example", "https://bank.example/", Exact}, // no scheme: https
		{"https://bank.example", "https://www.bank.example/", SameSite},
		{"https://login.bank.example", "https://bank.example/", SameSite},
		{"https://a.b.bank.example", "https://c.bank.example/", SameSite},
		{"https://BANK.Example.", "https://bank.example", Exact}, // case, trailing dot
		{"https://bank.example", "https://bank.example.evil.example/", NoMatch},
		{"https://bank.example", "https://evil-bank.example/", NoMatch},
		{"https://bank.example", "https://bankexample.com/", NoMatch},
		{"https://bank.example", "https://bank.example.com/", NoMatch},
		{"https://bank.co.uk", "https://www.bank.co.uk/", SameSite},
		{"https://bank.co.uk", "https://other.co.uk/", NoMatch}, // co.uk is a public suffix
		{"https://alice.github.io", "https://bob.github.io/", NoMatch},
		{"https://alice.github.io", "https://alice.github.io/x", Exact},
		{"https://github.io", "https://alice.github.io/", NoMatch}, // a public suffix matches only itself
		{"https://github.io", "https://github.io/", Exact},
		// Schemes.
		{"https://bank.example", "http://bank.example/", NoMatch},
		{"bank.example", "http://bank.example/", NoMatch},
		{"http://bank.example", "https://bank.example/", Exact},
		{"http://bank.example", "http://bank.example/", Exact},
		{"https://bank.example", "ftp://bank.example/", NoMatch},
		{"https://bank.example", "file:///etc/passwd", NoMatch},
		{"https://bank.example", "javascript:alert(1)", NoMatch},
		{"https://bank.example", "chrome-extension://abc/popup.html", NoMatch},
		{"androidapp://com.bank", "https://com.bank/", NoMatch},
		{"https://bank.example", "data:text/html,<form>", NoMatch},
		// Ports.
		{"https://bank.example:8443", "https://bank.example:8443/", Exact},
		{"https://bank.example:8443", "https://bank.example/", NoMatch},
		{"https://bank.example", "https://bank.example:8443/", NoMatch},
		{"https://bank.example:443", "https://bank.example/", Exact},
		{"http://bank.example:80", "https://bank.example/", Exact},
		{"https://bank.example:8443", "https://www.bank.example:8443/", SameSite},
		// IP addresses and localhost.
		{"http://192.168.1.1", "http://192.168.1.1/admin", Exact},
		{"http://192.168.1.1", "http://192.168.1.2/", NoMatch},
		{"http://10.0.0.1", "http://1.0.0.10/", NoMatch},
		{"http://[::1]:8080", "http://[0:0:0:0:0:0:0:1]:8080/", Exact},
		{"http://127.0.0.1:3000", "http://127.0.0.1:3001/", NoMatch},
		{"http://localhost:3000", "http://localhost:3000/", Exact},
		{"http://localhost:3000", "http://app.localhost:3000/", NoMatch},
		{"http://localhost", "http://127.0.0.1/", NoMatch},
		{"http://intranet", "http://intranet/", Exact},
		{"http://intranet", "http://other/", NoMatch},
		// IDN: Unicode and punycode are one host; a look-alike in another script is not.
		{"https://bücher.example", "https://xn--bcher-kva.example/", Exact},
		{"https://xn--bcher-kva.example", "https://BÜCHER.example/", Exact},
		{"https://bücher.example", "https://shop.bücher.example/", SameSite},
		{"https://paypal.example", "https://pаypal.example/", NoMatch}, // Cyrillic а
		{"https://bank.example", "https://xn--bnk-sna.example/", NoMatch},
		// Garbage.
		{"", "https://bank.example/", NoMatch},
		{"https://bank.example", "", NoMatch},
		{"https://", "https://bank.example/", NoMatch},
		{"https://bank.example", "https://exa mple.com/", NoMatch},
		{"https://bank..example", "https://bank..example/", NoMatch},
	}
	for _, c := range cases {
		if got := Match(c.login, c.page); got != c.want {
			t.Errorf("Match(login %q, page %q) = %v, want %v", c.login, c.page, got, c.want)
		}
	}
}

func TestBestRank(t *testing.T) {
	urls := []string{"https://shop.bank.example", "https://bank.example"}
	if r := BestRank(urls, "https://bank.example/"); r != Exact {
		t.Errorf("BestRank = %v, want Exact (the second address)", r)
	}
	if r := BestRank(urls, "https://www.bank.example/"); r != SameSite {
		t.Errorf("BestRank = %v, want SameSite", r)
	}
	if r := BestRank(nil, "https://bank.example/"); r != NoMatch {
		t.Errorf("BestRank of no addresses = %v", r)
	}
}

func TestFrameAllowed(t *testing.T) {
	cases := []struct {
		frame, top string
		want       bool
	}{
		{"https://bank.example/login", "https://bank.example/", true},
		{"https://bank.example/login", "", true},
		{"https://bank.example:443/login", "https://bank.example/", true},
		{"https://login.bank.example/", "https://bank.example/", false}, // same site, other origin
		{"https://bank.example/", "https://evil.example/", false},
		{"http://bank.example/", "https://bank.example/", false},
		{"https://bank.example:8443/", "https://bank.example/", false},
		{"about:blank", "https://bank.example/", false},
	}
	for _, c := range cases {
		if got := FrameAllowed(c.frame, c.top); got != c.want {
			t.Errorf("FrameAllowed(%q in %q) = %v, want %v", c.frame, c.top, got, c.want)
		}
	}
}

func TestOriginAndTitle(t *testing.T) {
	for _, c := range []struct{ page, origin, title string }{
		{"https://www.bank.example/login?x=1", "https://www.bank.example", "bank.example"},
		{"http://localhost:3000/", "http://localhost:3000", "localhost"},
		{"https://xn--bcher-kva.example/", "https://xn--bcher-kva.example", "bücher.example"},
		{"http://[::1]:8080/", "http://[::1]:8080", "::1"},
		{"https://bank.example:443/", "https://bank.example", "bank.example"},
		{"ftp://bank.example/", "", ""},
	} {
		if o := Origin(c.page); o != c.origin {
			t.Errorf("Origin(%q) = %q, want %q", c.page, o, c.origin)
		}
		if ti := SiteTitle(c.page); ti != c.title {
			t.Errorf("SiteTitle(%q) = %q, want %q", c.page, ti, c.title)
		}
	}
}
