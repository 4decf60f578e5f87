// Package fakeoauth is a small but real OAuth2 / OpenID Connect provider for
// valv-cloud -dev and tests: discovery document, an authorize page where you type the
// e-mail to "sign in" as, a token endpoint that checks client secret, redirect URI and
// PKCE, RS256-signed ID tokens, JWKS and user info. It lets quick sign-in run end to end
// with no internet and no real provider accounts. It keeps codes in memory and is for
// loopback use only.
package fakeoauth

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html/template"
	"math/big"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Provider is one fake identity provider rooted at Issuer (an absolute URL whose path
// prefix the handler is mounted under).
type Provider struct {
	Issuer       string
	ClientID     string
	ClientSecret string
	Name         string // shown on the authorize page
	DefaultEmail string // prefilled on the authorize page
	Now          func() time.Time

	key *rsa.PrivateKey
	kid string

	mu     sync.Mutex
	codes  map[string]grant
	tokens map[string]grant
}

type grant struct {
	email, redirect, challenge, nonce string
	expires                           time.Time
}

// New makes a provider with a fresh 2048-bit signing key.
func New(issuer, clientID, clientSecret string) (*Provider, error) {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, fmt.Errorf("fakeoauth: key: %w", err)
	}
	sum := sha256.Sum256(k.N.Bytes())
	return &Provider{Issuer: strings.TrimRight(issuer, "/"), ClientID: clientID, ClientSecret: clientSecret,
		Name: "Fake provider", DefaultEmail: "quick.user@example.com", Now: time.Now,
		key: k, kid: base64.RawURLEncoding.EncodeToString(sum[:8]), codes: map[string]grant{}, tokens: map[string]grant{}}, nil
}

func (p *Provider) prefix() string {
	u, err := url.Parse(p.Issuer)
	if err != nil {
		return ""
	}
	return u.Path
}

// ServeHTTP serves the provider's endpoints under the issuer's path.
func (p *Provider) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch strings.TrimPrefix(r.URL.Path, p.prefix()) {
	case "/.well-known/openid-configuration":
		writeJSON(w, http.StatusOK, map[string]any{
			"issuer": p.Issuer, "authorization_endpoint": p.Issuer + "/authorize", "token_endpoint": p.Issuer + "/token",
			"jwks_uri": p.Issuer + "/jwks", "userinfo_endpoint": p.Issuer + "/userinfo",
			"response_types_supported": []string{"code"}, "subject_types_supported": []string{"public"},
			"id_token_signing_alg_values_supported": []string{"RS256"}, "code_challenge_methods_supported": []string{"S256"},
			"scopes_supported": []string{"openid", "email"},
		})
	case "/authorize":
		p.authorize(w, r)
	case "/token":
		p.token(w, r)
	case "/jwks":
		writeJSON(w, http.StatusOK, map[string]any{"keys": []map[string]string{{
			"kty": "RSA", "alg": "RS256", "use": "sig", "kid": p.kid,
			"n": base64.RawURLEncoding.EncodeToString(p.key.N.Bytes()),
			"e": base64.RawURLEncoding.EncodeToString(big.NewInt(int64(p.key.E)).Bytes()),
		}}})
	case "/userinfo":
		p.userinfo(w, r)
	default:
		http.NotFound(w, r)
	}
}

var page = template.Must(template.New("authorize").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{.Name}} — sign in</title>
<style>body{font:16px system-ui,sans-serif;max-width:26rem;margin:3rem auto;color:#222}
input{font:inherit;padding:.4rem;width:100%;box-sizing:border-box}button{font:inherit;padding:.5rem 1rem;margin:.8rem .5rem 0 0}</style></head>
<body><h1>{{.Name}}</h1><p>Fake provider for development. <b>Valv</b> wants to know your e-mail address.</p>
<form method="post"><label>E-mail <input id="email" name="email" value="{{.Email}}"></label>
{{range $k, $v := .Hidden}}<input type="hidden" name="{{$k}}" value="{{$v}}">{{end}}
<button id="allow" name="decision" value="allow">Allow</button><button id="deny" name="decision" value="deny">Deny</button></form></body></html>`))

func (p *Provider) authorize(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	f := r.Form
	if f.Get("client_id") != p.ClientID || f.Get("response_type") != "code" || f.Get("redirect_uri") == "" {
		http.Error(w, "unknown client, response type or missing redirect_uri", http.StatusBadRequest)
		return
	}
	if r.Method == http.MethodGet {
		hidden := map[string]string{}
		for _, k := range []string{"client_id", "response_type", "redirect_uri", "state", "nonce", "code_challenge", "code_challenge_method", "scope"} {
			hidden[k] = f.Get(k)
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_ = page.Execute(w, map[string]any{"Name": p.Name, "Email": p.DefaultEmail, "Hidden": hidden})
		return
	}
	u, err := url.Parse(f.Get("redirect_uri"))
	if err != nil {
		http.Error(w, "bad redirect_uri", http.StatusBadRequest)
		return
	}
	q := u.Query()
	q.Set("state", f.Get("state"))
	if f.Get("decision") != "allow" {
		q.Set("error", "access_denied")
	} else {
		code := randomString()
		p.mu.Lock()
		p.codes[code] = grant{email: strings.TrimSpace(f.Get("email")), redirect: f.Get("redirect_uri"), challenge: f.Get("code_challenge"),
			nonce: f.Get("nonce"), expires: p.Now().Add(time.Minute)}
		p.mu.Unlock()
		q.Set("code", code)
	}
	u.RawQuery = q.Encode()
	http.Redirect(w, r, u.String(), http.StatusFound)
}

func oauthErr(w http.ResponseWriter, code string) {
	writeJSON(w, http.StatusBadRequest, map[string]string{"error": code})
}

func (p *Provider) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil || r.Method != http.MethodPost {
		oauthErr(w, "invalid_request")
		return
	}
	id, secret, ok := r.BasicAuth()
	if ok {
		id, _ = url.QueryUnescape(id)
		secret, _ = url.QueryUnescape(secret)
	} else {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	if id != p.ClientID || subtle.ConstantTimeCompare([]byte(secret), []byte(p.ClientSecret)) != 1 {
		oauthErr(w, "invalid_client")
		return
	}
	code := r.PostForm.Get("code")
	p.mu.Lock()
	g, found := p.codes[code]
	delete(p.codes, code) // single use
	p.mu.Unlock()
	if !found || r.PostForm.Get("grant_type") != "authorization_code" || g.redirect != r.PostForm.Get("redirect_uri") || !p.Now().Before(g.expires) {
		oauthErr(w, "invalid_grant")
		return
	}
	if g.challenge != "" {
		sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
		if base64.RawURLEncoding.EncodeToString(sum[:]) != g.challenge {
			oauthErr(w, "invalid_grant")
			return
		}
	}
	idt, err := p.idToken(g)
	if err != nil {
		oauthErr(w, "server_error")
		return
	}
	access := randomString()
	p.mu.Lock()
	p.tokens[access] = g
	p.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"access_token": access, "token_type": "Bearer", "expires_in": 3600, "id_token": idt})
}

// Subject is the stable user ID the provider gives an e-mail.
func Subject(email string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(email)))
	return "fake-" + base64.RawURLEncoding.EncodeToString(sum[:12])
}

func (p *Provider) idToken(g grant) (string, error) {
	now := p.Now()
	claims := map[string]any{"iss": p.Issuer, "aud": p.ClientID, "sub": Subject(g.email), "email": g.email, "email_verified": true,
		"iat": now.Unix(), "exp": now.Add(10 * time.Minute).Unix()}
	if g.nonce != "" {
		claims["nonce"] = g.nonce
	}
	hdr, err := json.Marshal(map[string]string{"alg": "RS256", "typ": "JWT", "kid": p.kid})
	if err != nil {
		return "", err
	}
	body, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	enc := base64.RawURLEncoding
	signing := enc.EncodeToString(hdr) + "." + enc.EncodeToString(body)
	sum := sha256.Sum256([]byte(signing))
	sig, err := rsa.SignPKCS1v15(rand.Reader, p.key, crypto.SHA256, sum[:])
	if err != nil {
		return "", err
	}
	return signing + "." + enc.EncodeToString(sig), nil
}

func (p *Provider) userinfo(w http.ResponseWriter, r *http.Request) {
	tok, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	p.mu.Lock()
	g, ok := p.tokens[tok]
	p.mu.Unlock()
	if !ok {
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"sub": Subject(g.email), "email": g.email, "email_verified": true})
}

func randomString() string {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		// crypto/rand.Read never fails on supported platforms (Go 1.24+ panics itself).
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
