package breach

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// ErrOnline means the online check could not be completed; the offline answers still
// hold. The wrapping error says why.
var ErrOnline = errors.New("the online breach check could not be completed")

// ErrEndpoint means a range endpoint address is not usable.
var ErrEndpoint = errors.New("the breach check address must start with https:// (plain http:// only for this computer)")

// DefaultRangeEndpoint is Have I Been Pwned's Pwned Passwords range API.
const DefaultRangeEndpoint = "https://api.pwnedpasswords.com/range/"

// Limits of the online check: a range answer is some 1,000 lines of 40 bytes, padded;
// a few requests at once keep a large vault quick without hammering the service.
const (
	maxRangeBody   = 4 << 20
	rangeWorkers   = 4
	defaultTimeout = 15 * time.Second
	prefixLen      = 5
)

// Range is a k-anonymity client for a Pwned Passwords range endpoint: for each hash
// it sends only the first five hex digits of the SHA-1, asks for padding, and finds
// the rest of the hash in the answer itself.
type Range struct {
	// Endpoint is the address the five hex digits are appended to, such as
	// DefaultRangeEndpoint. Empty means DefaultRangeEndpoint.
	Endpoint string
	// Client makes the requests; nil means one with a 15-second timeout.
	Client *http.Client
}

// CheckEndpoint says whether an endpoint address may be used: https, or plain http to
// this computer (tests and a local mirror).
func CheckEndpoint(endpoint string) error {
	u, err := url.Parse(endpoint)
	if err != nil || u.Host == "" {
		return ErrEndpoint
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if ip := net.ParseIP(u.Hostname()); u.Hostname() == "localhost" || ip != nil && ip.IsLoopback() {
			return nil
		}
	}
	return ErrEndpoint
}

// Counts returns how often each hash was seen in breaches (0: never), one request per
// distinct five-digit prefix. On an error it returns ErrOnline wrapped with the reason.
func (r *Range) Counts(ctx context.Context, sums [][sha1.Size]byte) ([]int, error) {
	endpoint := r.Endpoint
	if endpoint == "" {
		endpoint = DefaultRangeEndpoint
	}
	if err := CheckEndpoint(endpoint); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrOnline, err)
	}
	if !strings.HasSuffix(endpoint, "/") {
		endpoint += "/"
	}
	client := r.Client
	if client == nil {
		client = &http.Client{Timeout: defaultTimeout}
	}
	byPrefix := map[string][]int{}
	for i, s := range sums {
		p := strings.ToUpper(hex.EncodeToString(s[:]))[:prefixLen]
		byPrefix[p] = append(byPrefix[p], i)
	}
	prefixes := make(chan string)
	counts := make([]int, len(sums))
	var (
		mu       sync.Mutex
		firstErr error
		wg       sync.WaitGroup
	)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for range min(rangeWorkers, len(byPrefix)) {
		wg.Go(func() {
			for p := range prefixes {
				found, err := fetchRange(ctx, client, endpoint+p)
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = err
					cancel()
				}
				for _, i := range byPrefix[p] {
					counts[i] = found[strings.ToUpper(hex.EncodeToString(sums[i][:]))[prefixLen:]]
				}
				mu.Unlock()
			}
		})
	}
feed:
	for p := range byPrefix {
		select {
		case prefixes <- p:
		case <-ctx.Done():
			break feed
		}
	}
	close(prefixes)
	wg.Wait()
	if firstErr == nil && ctx.Err() != nil {
		firstErr = ctx.Err()
	}
	if firstErr != nil {
		return nil, fmt.Errorf("%w: %w", ErrOnline, firstErr)
	}
	return counts, nil
}

// fetchRange asks for one prefix and returns the suffixes with a non-zero count.
func fetchRange(ctx context.Context, client *http.Client, u string) (map[string]int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	// Padding makes every answer a similar size, so an observer of the encrypted
	// traffic cannot tell from its length which prefix was asked.
	req.Header.Set("Add-Padding", "true")
	req.Header.Set("User-Agent", "Valv") // the service refuses requests without one
	resp, err := client.Do(req)
	if err != nil {
		return nil, errors.New("the breach service could not be reached")
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxRangeBody+1))
	if cerr := resp.Body.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, errors.New("the breach service's answer was cut off")
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("the breach service answered %s", resp.Status)
	}
	if len(body) > maxRangeBody {
		return nil, errors.New("the breach service's answer is far too large")
	}
	return ParseRange(body)
}

// ParseRange reads a range answer: lines of SUFFIX:COUNT, the 35 hex digits after the
// prefix and how often that hash was seen. Padding lines (count 0) are left out.
func ParseRange(body []byte) (map[string]int, error) {
	found := map[string]int{}
	sc := bufio.NewScanner(bytes.NewReader(body))
	for sc.Scan() {
		l := bytes.TrimSpace(sc.Bytes())
		if len(l) == 0 {
			continue
		}
		suffix, count, ok := bytes.Cut(l, []byte(":"))
		n, okCount := parseCount(count)
		if !ok || !okCount || len(suffix) != 2*sha1.Size-prefixLen || !isHex(suffix) {
			return nil, errors.New("the breach service sent an answer Valv cannot read")
		}
		if n > 0 {
			found[strings.ToUpper(string(suffix))] += n
		}
	}
	if sc.Err() != nil {
		return nil, errors.New("the breach service sent an answer Valv cannot read")
	}
	return found, nil
}

func isHex(b []byte) bool {
	for _, c := range b {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}
