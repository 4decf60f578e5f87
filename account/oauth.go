package account

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"net"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/valvpm/valv/cloud/api"
)

// QuickSignInTimeout bounds how long the app waits for the browser to come back.
const QuickSignInTimeout = 10 * time.Minute

// QuickSignIn signs in with a provider (google, facebook, apple, yandex, vk) through
// the system browser, per RFC 8252: it listens on 127.0.0.1 at a random port, opens
// the server's start URL with a single-use state and a PKCE S256 challenge, waits for
// the redirect, checks the state, shows a "return to Valv" page, and exchanges the
// one-time code with the verifier. Cancel ctx to stop waiting (the Cancel button).
func (f *Flow) QuickSignIn(ctx context.Context, provider, region string, open func(url string) error) (State, error) {
	s, err := f.c.quickSignIn(ctx, provider, region, open)
	switch {
	case errors.Is(err, context.Canceled):
		err = ErrCancelled // also when cancelled before the browser opened
	case errors.Is(err, context.DeadlineExceeded):
		err = ErrTimeout
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if err != nil {
		return f.failed(err)
	}
	return f.connected(ctx, &s.Account)
}

func randomToken(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// redirectResult is what the loopback listener learned.
type redirectResult struct {
	code string
	err  error
}

func (c *Client) quickSignIn(ctx context.Context, provider, region string, open func(string) error) (*api.Session, error) {
	// Ask first whether the region offers the provider: the browser would only show an
	// error page the app cannot see.
	if region != "" {
		offered, err := c.Providers(ctx, region)
		if err != nil {
			return nil, err
		}
		if !slices.Contains(offered, provider) {
			return nil, ErrUnknownProvider
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("cannot listen for the browser's answer: %w", err)
	}
	redirectURI := fmt.Sprintf("http://%s/valv/callback", ln.Addr())
	state := randomToken(24)
	verifier := randomToken(32) // 43 characters, the RFC 7636 minimum
	sum := sha256.Sum256([]byte(verifier))
	challenge := base64.RawURLEncoding.EncodeToString(sum[:])

	results := make(chan redirectResult, 1)
	mux := http.NewServeMux()
	mux.HandleFunc("/valv/callback", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		var res redirectResult
		switch {
		case q.Get("state") != state:
			// Not our flow (or a replay): say so, and keep waiting for the real one.
			w.WriteHeader(http.StatusBadRequest)
			renderReturnPage(w, false, "This sign-in link does not belong to the sign-in Valv is waiting for.")
			return
		case q.Get("error") != "":
			res.err = ErrProviderFailed
		case q.Get("code") == "":
			res.err = ErrProviderFailed
		default:
			res.code = q.Get("code")
		}
		renderReturnPage(w, res.err == nil, "")
		select {
		case results <- res:
		default: // a second visit after the first answer: ignore
		}
	})
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	// Shutdown, not Close: the handler hands over the result before its answer page is
	// flushed, and the browser must get that page rather than a cut connection.
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if srv.Shutdown(sctx) != nil {
			_ = srv.Close() // a browser that keeps its connection busy is cut off; nothing is lost
		}
	}()

	q := url.Values{
		"redirect_uri":          {redirectURI},
		"state":                 {state},
		"code_challenge":        {challenge},
		"code_challenge_method": {api.CodeChallengeS256},
		"client_name":           {c.clientName},
	}
	if region != "" {
		q.Set("region", region)
	}
	start := c.URL(api.PathOAuthStartPrefix + url.PathEscape(provider) + "?" + q.Encode())
	if err := open(start); err != nil {
		return nil, fmt.Errorf("cannot open the web browser: %w", err)
	}

	timer := time.NewTimer(QuickSignInTimeout)
	defer timer.Stop()
	var res redirectResult
	select {
	case res = <-results:
	case <-timer.C:
		return nil, ErrTimeout
	case <-ctx.Done():
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return nil, ErrTimeout
		}
		return nil, ErrCancelled
	}
	if res.err != nil {
		return nil, res.err
	}
	return c.exchangeOAuth(ctx, res.code, verifier, redirectURI)
}

var returnPage = template.Must(template.New("return").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Valv</title>
<style>body{font-family:system-ui,sans-serif;max-width:32em;margin:4em auto;color:#222;text-align:center}
h1{font-size:1.4em}</style></head>
<body>{{if .OK}}<h1>You are signed in</h1><p>Return to Valv to continue. You can close this tab.</p>
{{else}}<h1>The sign-in did not complete</h1><p>{{.Msg}}</p><p>Return to Valv and try again.</p>{{end}}</body></html>`))

func renderReturnPage(w http.ResponseWriter, ok bool, msg string) {
	if msg == "" {
		msg = "The provider did not confirm the sign-in."
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	returnPage.Execute(w, struct {
		OK  bool
		Msg string
	}{ok, msg})
}

// Providers lists the quick sign-in providers the server offers in region.
func (c *Client) Providers(ctx context.Context, region string) ([]string, error) {
	r, err := c.Regions(ctx)
	if err != nil {
		return nil, err
	}
	for _, reg := range r.Regions {
		if reg.Code == region {
			return reg.Providers, nil
		}
	}
	return nil, nil
}
