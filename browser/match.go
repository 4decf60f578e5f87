package browser

import (
	"net"
	"net/url"
	"strings"

	"golang.org/x/net/idna"
	"golang.org/x/net/publicsuffix"
)

// hostProfile maps host names as browsers do for lookup (lower case, Unicode to
// punycode, the bidi rule) and also refuses empty or over-long labels, which
// idna.Lookup lets through.
var hostProfile = idna.New(idna.MapForLookup(), idna.BidiRule(), idna.VerifyDNSLength(true), idna.Transitional(false))

// Rank says how well a saved login's address fits a page.
type Rank int

// Ranks, worst first.
const (
	NoMatch  Rank = iota // never fill
	SameSite             // same registrable domain, another host: listed after exact ones
	Exact                // the very host the login was saved for
)

// site is an address reduced to what the rules compare.
type site struct {
	scheme string // "http" or "https"
	host   string // lower case, ASCII (punycode), no trailing dot; IPs in canonical form
	port   string // "" for the scheme's default port
	domain string // registrable domain (eTLD+1); "" for IPs, single labels and public suffixes
}

// parseSite reads a page's or a login's address. A login's address may lack the
// scheme ("bank.example"): it is then taken as https, the safe reading, so it never
// fills an http page. Anything but http and https is no site at all.
func parseSite(raw string, isLogin bool) (site, bool) {
	raw = strings.TrimSpace(raw)
	if isLogin && !strings.Contains(raw, "://") {
		raw = "https://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil || u.Opaque != "" {
		return site{}, false
	}
	s := site{scheme: strings.ToLower(u.Scheme)}
	if s.scheme != "http" && s.scheme != "https" {
		return site{}, false
	}
	h := strings.TrimSuffix(u.Hostname(), ".")
	if h == "" {
		return site{}, false
	}
	s.port = u.Port()
	if (s.scheme == "https" && s.port == "443") || (s.scheme == "http" && s.port == "80") {
		s.port = ""
	}
	if ip := net.ParseIP(h); ip != nil {
		s.host = ip.String()
		return s, true
	}
	// The profile maps to lower case and applies the IDNA rules browsers use, so
	// "BÜCHER.example", "bücher.example" and "xn--bcher-kva.example" are one host — and a
	// host that is not a valid name is no site.
	h, err = hostProfile.ToASCII(h)
	if err != nil {
		return site{}, false
	}
	s.host = h
	if d, err := publicsuffix.EffectiveTLDPlusOne(h); err == nil {
		s.domain = d
	}
	return s, true
}

// Match ranks a saved login address against the address of the page (the frame that
// holds the form). The rules (PRODUCT.md §5):
//   - the same host is Exact; another host of the same registrable domain (public
//     suffix list, private suffixes such as github.io included) is SameSite; anything
//     else never matches — look-alikes and other domains included;
//   - IP addresses, single-label hosts such as localhost, and hosts that are
//     themselves public suffixes match only exactly;
//   - a login saved for https never fills an http page (an http login may fill https);
//   - a login saved with a port fills only that port; one without, only the default.
func Match(loginURL, pageURL string) Rank {
	l, ok := parseSite(loginURL, true)
	if !ok {
		return NoMatch
	}
	p, ok := parseSite(pageURL, false)
	if !ok {
		return NoMatch
	}
	return matchSite(l, p)
}

// matchSite is Match on parsed addresses.
func matchSite(l, p site) Rank {
	if l.scheme == "https" && p.scheme == "http" {
		return NoMatch
	}
	if l.port != p.port {
		return NoMatch
	}
	if l.host == p.host {
		return Exact
	}
	if l.domain != "" && l.domain == p.domain {
		return SameSite
	}
	return NoMatch
}

// BestRank is the best rank of any of a login's addresses for the page.
func BestRank(loginURLs []string, pageURL string) Rank {
	best := NoMatch
	for _, u := range loginURLs {
		if r := Match(u, pageURL); r > best {
			best = r
		}
	}
	return best
}

// FrameAllowed reports whether a form in frameURL may be filled when the tab shows
// topURL: only in the top frame itself or in a frame of the same origin (scheme, host
// and port), so a page cannot frame another site's login form to have it filled
// under its own.
func FrameAllowed(frameURL, topURL string) bool {
	if topURL == "" || frameURL == topURL {
		return true
	}
	f, ok := parseSite(frameURL, false)
	if !ok {
		return false
	}
	t, ok := parseSite(topURL, false)
	if !ok {
		return false
	}
	return f.scheme == t.scheme && f.host == t.host && f.port == t.port
}

// SiteTitle is the title a login saved from a page gets: its host without "www.".
func SiteTitle(pageURL string) string {
	s, ok := parseSite(pageURL, false)
	if !ok {
		return ""
	}
	if h, err := hostProfile.ToUnicode(s.host); err == nil {
		s.host = h
	}
	return strings.TrimPrefix(s.host, "www.")
}

// Origin is the page's scheme, host and port as a login saves it ("https://bank.example").
func Origin(pageURL string) string {
	s, ok := parseSite(pageURL, false)
	if !ok {
		return ""
	}
	host := s.host
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if s.port != "" {
		host += ":" + s.port
	}
	return s.scheme + "://" + host
}
