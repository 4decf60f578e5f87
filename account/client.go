package account

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/valvpm/valv/cloud/api"
)

// CloudURLEnv names the environment variable that points the apps at a valv-cloud.
const CloudURLEnv = "VALV_CLOUD_URL"

// maxResponse caps how much of a server answer is read: a malicious or broken server
// cannot make the app swallow gigabytes.
const maxResponse = 64 << 20

// Client talks to one valv-cloud. It keeps the access token in memory and the refresh
// token in its SessionStore, refreshing silently when the access token runs out. Safe
// for concurrent use.
type Client struct {
	base       *url.URL
	hc         *http.Client
	store      SessionStore
	clientName string
	share      bool
	now        func() time.Time

	refreshMu sync.Mutex // one refresh at a time: a rotated-out token reused ends the session
	mu        sync.Mutex
	access    string
	accessExp time.Time
	refresh   string
	email     string
}

// Options tune a Client. The zero value is usable.
type Options struct {
	HTTPClient *http.Client     // default: 30 s timeout
	Store      SessionStore     // default: none (session kept in memory only)
	ClientName string           // shown in the account's session list
	Now        func() time.Time // for tests
	// ShareSignIn writes the family-wide sign-in entry to the OS keyring after every
	// sign-in and token refresh, so other Valv apps can offer to connect (package doc).
	ShareSignIn bool
}

// CheckURL parses a server address and refuses plain HTTP to anything but this
// computer (TLS in production; plain HTTP only on loopback).
func CheckURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimRight(strings.TrimSpace(raw), "/"))
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("%q is not a server address", raw)
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !isLoopback(u.Hostname()) {
			return nil, ErrInsecureURL
		}
	default:
		return nil, ErrInsecureURL
	}
	u.RawQuery, u.Fragment = "", ""
	return u, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// New returns a client of the server at baseURL. If the store holds a session for this
// server it is picked up (SignedIn reports it).
func New(baseURL string, o Options) (*Client, error) {
	u, err := CheckURL(baseURL)
	if err != nil {
		return nil, err
	}
	c := &Client{base: u, hc: o.HTTPClient, store: o.Store, clientName: o.ClientName, share: o.ShareSignIn, now: o.Now}
	if c.hc == nil {
		c.hc = &http.Client{Timeout: 30 * time.Second}
	}
	// Never follow a redirect to plain HTTP elsewhere: the checks above would be moot.
	inner := c.hc.CheckRedirect
	hc := *c.hc
	hc.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if _, err := CheckURL(req.URL.String()); err != nil {
			return err
		}
		if inner != nil {
			return inner(req, via)
		}
		return nil
	}
	c.hc = &hc
	if c.now == nil {
		c.now = time.Now
	}
	if c.store == nil {
		c.store = &MemoryStore{}
	}
	if s, err := c.store.Load(c.base.Host); err == nil && s != nil {
		c.refresh, c.email = s.RefreshToken, s.Email
	}
	return c, nil
}

// BaseURL is the server's address.
func (c *Client) BaseURL() string { return c.base.String() }

// URL returns the absolute URL of a server path (for the portal and captcha links).
func (c *Client) URL(path string) string { return c.base.String() + path }

// SignedIn reports whether a session is known (it may still have expired on the server).
func (c *Client) SignedIn() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.refresh != ""
}

// Email is the signed-in account's e-mail, or "".
func (c *Client) Email() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.email
}

// adopt makes s the current session and saves its refresh token.
func (c *Client) adopt(s *api.Session) error {
	c.mu.Lock()
	c.access, c.accessExp, c.refresh, c.email = s.AccessToken, s.AccessExpiresAt, s.RefreshToken, s.Account.Email
	c.mu.Unlock()
	stored := &StoredSession{Email: s.Account.Email, RefreshToken: s.RefreshToken, Server: c.base.String()}
	if c.share {
		// Best effort: without a keyring there is simply no auto-connect for the others.
		_ = WriteFamilyEntry(stored)
	}
	return c.store.Save(c.base.Host, stored)
}

// forget drops the session locally.
func (c *Client) forget() error {
	c.mu.Lock()
	c.access, c.refresh, c.email = "", "", ""
	c.mu.Unlock()
	return c.store.Delete(c.base.Host)
}

// do sends one JSON request. in may be nil; out may be nil. auth adds the access token
// (refreshing it first if needed, and once more on a 401).
func (c *Client) do(ctx context.Context, method, path string, in, out any, auth bool) error {
	return c.doHeader(ctx, method, path, nil, in, out, auth)
}

func (c *Client) doHeader(ctx context.Context, method, path string, hdr http.Header, in, out any, auth bool) error {
	var body []byte
	ct := ""
	if in != nil {
		var err error
		if body, err = json.Marshal(in); err != nil {
			return err
		}
		ct = api.ContentTypeJSON
	}
	return c.send(ctx, method, path, hdr, ct, body, auth, func(resp *http.Response) error { return decodeResponse(resp, out) })
}

// send sends one request with body (of type contentType; "" for none) and hands the
// answer to read. auth adds the access token (refreshing it first if needed, and once
// more on a 401).
func (c *Client) send(ctx context.Context, method, path string, hdr http.Header, contentType string, body []byte, auth bool, read func(*http.Response) error) error {
	for attempt := 0; ; attempt++ {
		req, err := http.NewRequestWithContext(ctx, method, c.base.String()+path, bytes.NewReader(body))
		if err != nil {
			return err
		}
		req.Header.Set("Accept", api.ContentTypeJSON)
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		for k, v := range hdr {
			req.Header[k] = v
		}
		if auth {
			tok, err := c.accessToken(ctx, attempt > 0)
			if err != nil {
				return err
			}
			req.Header.Set(api.HeaderAuthorize, "Bearer "+tok)
		}
		resp, err := c.hc.Do(req)
		if err != nil {
			return netError(ctx, err)
		}
		err = read(resp)
		if ae, ok := Details(err); ok && auth && attempt == 0 && ae.Code == api.CodeUnauthorized {
			continue // the access token was revoked or expired early: refresh once
		}
		return err
	}
}

func decodeResponse(resp *http.Response, out any) error {
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse+1))
	if err != nil {
		return fmt.Errorf("%w (%v)", ErrServerUnreachable, err)
	}
	if len(data) > maxResponse {
		return fmt.Errorf("%w: the answer was too large", ErrServer)
	}
	if resp.StatusCode >= 300 {
		var eb api.ErrorBody
		if json.Unmarshal(data, &eb) != nil || eb.Error.Code == "" {
			if resp.StatusCode >= 500 {
				return fmt.Errorf("%w (HTTP %d)", ErrServer, resp.StatusCode)
			}
			return fmt.Errorf("%w: unexpected answer (HTTP %d)", ErrServer, resp.StatusCode)
		}
		return &APIError{Status: resp.StatusCode, Code: eb.Error.Code, Body: eb.Error}
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("%w: the answer could not be read", ErrServer)
	}
	return nil
}

// netError tells "you are offline" from "the server is down".
func netError(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	var dnsErr *net.DNSError
	switch {
	case errors.As(err, &dnsErr), errors.Is(err, syscall.ENETUNREACH), errors.Is(err, syscall.EHOSTUNREACH):
		return fmt.Errorf("%w (%v)", ErrOffline, err)
	case errors.Is(err, ErrInsecureURL):
		return ErrInsecureURL
	}
	return fmt.Errorf("%w (%v)", ErrServerUnreachable, err)
}

// accessToken returns a valid access token, refreshing it when it is missing, about to
// expire, or force is set.
func (c *Client) accessToken(ctx context.Context, force bool) (string, error) {
	c.mu.Lock()
	tok, exp := c.access, c.accessExp
	c.mu.Unlock()
	if !force && tok != "" && c.now().Add(30*time.Second).Before(exp) {
		return tok, nil
	}
	c.refreshMu.Lock()
	defer c.refreshMu.Unlock()
	c.mu.Lock()
	newTok, exp, refresh := c.access, c.accessExp, c.refresh
	c.mu.Unlock()
	if newTok != tok && newTok != "" && c.now().Add(30*time.Second).Before(exp) {
		return newTok, nil // another goroutine refreshed while this one waited
	}
	if refresh == "" {
		return "", ErrNotSignedIn
	}
	var s api.Session
	err := c.do(ctx, http.MethodPost, api.PathSessionsRefresh, api.RefreshRequest{RefreshToken: refresh}, &s, false)
	if ae, ok := Details(err); ok && (ae.Code == api.CodeUnauthorized || ae.Status == http.StatusUnauthorized) {
		c.forget()
		return "", ErrSessionExpired
	}
	if err != nil {
		return "", err
	}
	if err := c.adopt(&s); err != nil {
		return "", err
	}
	return s.AccessToken, nil
}

// Health checks that the server answers.
func (c *Client) Health(ctx context.Context) (*api.Health, error) {
	var h api.Health
	return &h, c.do(ctx, http.MethodGet, api.PathHealth, nil, &h, false)
}
