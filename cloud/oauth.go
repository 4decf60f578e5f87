package cloud

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/valvpm/valv/cloud/api"
	"github.com/valvpm/valv/cloud/store"
)

// Quick sign-in timings: the whole browser round trip, and the app's handoff exchange.
const (
	oauthStateTTL   = 10 * time.Minute
	oauthHandoffTTL = 2 * time.Minute
	oauthPendingTTL = 30 * time.Minute
)

// ProviderConfig configures one quick sign-in provider. With Issuer set the provider is
// OpenID Connect (discovery, ID token verified against its JWKS); otherwise it is plain
// OAuth2 and the user comes from UserInfoURL.
type ProviderConfig struct {
	Name         string // shown on buttons: "Google"
	ClientID     string
	ClientSecret string
	Issuer       string
	AuthURL      string
	TokenURL     string
	UserInfoURL  string
	Scopes       []string
	IDField      string            // user-info JSON path of the user ID ("id", "user.user_id")
	EmailField   string            // user-info JSON path of the e-mail
	TrustEmail   bool              // plain OAuth2: the provider verifies e-mails, so link by e-mail
	AuthParams   map[string]string // extra authorize parameters (Apple: response_mode=form_post)
}

// Presets are the five providers of PRODUCT.md §1.3; an operator adds client ID and
// secret. Apple's client secret is the JWT Apple asks for, made by the operator.
func Presets() map[string]ProviderConfig {
	return map[string]ProviderConfig{
		"google": {Name: "Google", Issuer: "https://accounts.google.com", Scopes: []string{oidc.ScopeOpenID, "email"}},
		"apple": {Name: "Apple", Issuer: "https://appleid.apple.com", Scopes: []string{oidc.ScopeOpenID, "email"},
			AuthParams: map[string]string{"response_mode": "form_post"}},
		"facebook": {Name: "Facebook", AuthURL: "https://www.facebook.com/v19.0/dialog/oauth",
			TokenURL: "https://graph.facebook.com/v19.0/oauth/access_token", UserInfoURL: "https://graph.facebook.com/me?fields=id,email",
			Scopes: []string{"email"}, IDField: "id", EmailField: "email"},
		"yandex": {Name: "Yandex", AuthURL: "https://oauth.yandex.ru/authorize", TokenURL: "https://oauth.yandex.ru/token",
			UserInfoURL: "https://login.yandex.ru/info?format=json", Scopes: []string{"login:email"}, IDField: "id", EmailField: "default_email", TrustEmail: true},
		"vk": {Name: "VK", AuthURL: "https://id.vk.com/authorize", TokenURL: "https://id.vk.com/oauth2/auth",
			UserInfoURL: "https://id.vk.com/oauth2/user_info", Scopes: []string{"email"}, IDField: "user.user_id", EmailField: "user.email"},
	}
}

// provider is a configured provider; OIDC discovery happens on first use so the server
// starts even when a provider is unreachable (and in dev, before it listens itself).
type provider struct {
	id  string
	cfg ProviderConfig

	mu       sync.Mutex
	oauth    *oauth2.Config
	verifier *oidc.IDTokenVerifier
}

func (s *Server) initProviders() error {
	s.providers = map[string]*provider{}
	for id, pc := range s.cfg.Providers {
		if pc.ClientID == "" {
			return fmt.Errorf("%w: provider %s has no client ID", ErrConfig, id)
		}
		if pc.Issuer == "" && (pc.AuthURL == "" || pc.TokenURL == "" || pc.UserInfoURL == "") {
			return fmt.Errorf("%w: provider %s needs an issuer or auth, token and user-info URLs", ErrConfig, id)
		}
		if pc.Name == "" {
			pc.Name = id
		}
		s.providers[id] = &provider{id: id, cfg: pc}
	}
	return nil
}

// providerNames lists the configured providers offered in region (all, if region is "").
func (s *Server) providerNames(region string) []string {
	var out []string
	if rc := s.region(region); rc != nil {
		for _, p := range rc.Providers {
			if _, ok := s.providers[p]; ok {
				out = append(out, p)
			}
		}
		return out
	}
	for p := range s.providers {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

func (s *Server) ctx(parent context.Context) context.Context {
	return oidc.ClientContext(parent, s.cfg.HTTPClient)
}

// setup discovers the provider once.
func (p *provider) setup(ctx context.Context, redirect string) (*oauth2.Config, *oidc.IDTokenVerifier, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.oauth != nil {
		return p.oauth, p.verifier, nil
	}
	c := &oauth2.Config{ClientID: p.cfg.ClientID, ClientSecret: p.cfg.ClientSecret, RedirectURL: redirect, Scopes: p.cfg.Scopes,
		Endpoint: oauth2.Endpoint{AuthURL: p.cfg.AuthURL, TokenURL: p.cfg.TokenURL}}
	if p.cfg.Issuer != "" {
		op, err := oidc.NewProvider(ctx, p.cfg.Issuer)
		if err != nil {
			return nil, nil, fmt.Errorf("cloud: discover %s: %w", p.id, err)
		}
		c.Endpoint = op.Endpoint()
		p.verifier = op.Verifier(&oidc.Config{ClientID: p.cfg.ClientID})
	}
	p.oauth = c
	return c, p.verifier, nil
}

// oauthStateRec remembers one browser round trip; its key is the state sent to the
// provider, so it is single-use and bound to this server's own PKCE verifier and nonce.
type oauthStateRec struct {
	Provider     string `json:"provider"`
	Verifier     string `json:"verifier"`
	Nonce        string `json:"nonce"`
	Portal       bool   `json:"portal,omitempty"`
	AppRedirect  string `json:"app_redirect,omitempty"`
	AppState     string `json:"app_state,omitempty"`
	AppChallenge string `json:"app_challenge,omitempty"`
	Region       string `json:"region,omitempty"`
	Client       string `json:"client,omitempty"`
	// Browser is the hash of a cookie set in the browser that started the flow: the
	// callback must come from that browser, or someone could make another person's
	// browser finish a sign-in they started (login CSRF).
	Browser string `json:"browser"`
}

// handoffRec is the one-time code handed to the app on its loopback redirect.
type handoffRec struct {
	AccountID   string `json:"account_id"`
	Challenge   string `json:"challenge"`
	RedirectURI string `json:"redirect_uri"`
	Client      string `json:"client,omitempty"`
}

// pendingRec is a first provider sign-in waiting for region and terms.
type pendingRec struct {
	State    oauthStateRec `json:"state"`
	Provider string        `json:"provider"`
	Subject  string        `json:"subject"`
	Email    string        `json:"email"`
	Verified bool          `json:"verified"` // the provider vouched for the e-mail
}

// dpRec is a quick sign-in of an existing account held back until its region's
// statement on data provision is accepted ("Accept and connect", PRODUCT.md §1.2).
type dpRec struct {
	State     oauthStateRec `json:"state"`
	AccountID string        `json:"account_id"`
}

// checkLoopbackRedirect enforces RFC 8252 §7.3: http on a loopback IP literal with a
// port; "localhost" is refused because it may resolve elsewhere.
func checkLoopbackRedirect(raw string) error {
	bad := errf(http.StatusBadRequest, api.CodeInvalidRedirectURI, "The redirect URI must be http://127.0.0.1:<port>/… or http://[::1]:<port>/….")
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "http" || u.User != nil || u.Fragment != "" {
		return bad
	}
	// A real port: 1–65535, written plainly (not 0, 00, 99999).
	if port, err := strconv.Atoi(u.Port()); err != nil || port < 1 || port > 65535 || strconv.Itoa(port) != u.Port() {
		return bad
	}
	ip := net.ParseIP(u.Hostname())
	if ip == nil || !ip.IsLoopback() {
		return bad
	}
	return nil
}

func pkceS256(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// handleOAuthStart begins quick sign-in in the browser. App flow: redirect_uri (loopback),
// state and code_challenge (S256) from the app. Portal flow: portal=1.
func (s *Server) handleOAuthStart(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if err := s.rateLimit(r, ""); err != nil {
		return err
	}
	pid := r.PathValue("provider")
	p, ok := s.providers[pid]
	region := q.Get("region")
	if ok && region != "" {
		ok = false
		for _, n := range s.providerNames(region) {
			ok = ok || n == pid
		}
	}
	if !ok {
		return errf(http.StatusNotFound, api.CodeUnknownProvider, "Sign-in with %q is not offered here.", truncateForMsg(pid))
	}
	rec := oauthStateRec{Provider: pid, Region: region, Portal: q.Get("portal") == "1", Client: truncateForMsg(q.Get("client_name"))}
	if !rec.Portal {
		if err := checkLoopbackRedirect(q.Get("redirect_uri")); err != nil {
			return err
		}
		if q.Get("code_challenge_method") != api.CodeChallengeS256 || len(q.Get("code_challenge")) != 43 {
			return errf(http.StatusBadRequest, api.CodePKCERequired, "Quick sign-in needs a PKCE code_challenge with method S256.")
		}
		if st := q.Get("state"); st == "" || len(st) > 512 {
			return errf(http.StatusBadRequest, api.CodeInvalidState, "Quick sign-in needs a state of at most 512 characters.")
		}
		rec.AppRedirect, rec.AppState, rec.AppChallenge = q.Get("redirect_uri"), q.Get("state"), q.Get("code_challenge")
	}
	oc, _, err := p.setup(s.ctx(r.Context()), s.cfg.BaseURL+api.PathOAuthCallback)
	if err != nil {
		s.cfg.Log.Printf("oauth %s: %v", pid, err)
		return errf(http.StatusBadGateway, api.CodeProviderFailed, "%s cannot be reached right now. Try again later.", p.cfg.Name)
	}
	state, err := s.randomToken(24)
	if err != nil {
		return err
	}
	if rec.Verifier, err = s.randomToken(32); err != nil {
		return err
	}
	if rec.Nonce, err = s.randomToken(16); err != nil {
		return err
	}
	browser, err := s.randomToken(24)
	if err != nil {
		return err
	}
	rec.Browser = hashSecret(browser)
	if err := tempPut(s, tmpOAuthState, state, rec, oauthStateTTL); err != nil {
		return err
	}
	s.setOAuthCookie(w, state, browser, oauthStateTTL)
	opts := []oauth2.AuthCodeOption{oauth2.S256ChallengeOption(rec.Verifier)}
	if p.cfg.Issuer != "" {
		opts = append(opts, oidc.Nonce(rec.Nonce))
	}
	for k, v := range p.cfg.AuthParams {
		opts = append(opts, oauth2.SetAuthURLParam(k, v))
	}
	http.Redirect(w, r, oc.AuthCodeURL(state, opts...), http.StatusFound)
	return nil
}

// providerUser is who the provider says signed in.
type providerUser struct {
	Subject, Email string
	Verified       bool
}

// handleOAuthCallback is where the provider sends the browser back (GET, or POST for
// Apple's form_post).
func (s *Server) handleOAuthCallback(w http.ResponseWriter, r *http.Request) error {
	if err := s.rateLimit(r, ""); err != nil {
		return err
	}
	state := r.FormValue("state")
	rec, found, err := tempTake[oauthStateRec](s, tmpOAuthState, state)
	if err != nil {
		return err
	}
	if state == "" || !found {
		return errf(http.StatusBadRequest, api.CodeInvalidState, "This sign-in link has expired or was already used. Start again from the app.")
	}
	c, cerr := r.Cookie(oauthCookieName(state))
	s.setOAuthCookie(w, state, "", -time.Second)
	if cerr != nil || subtle.ConstantTimeCompare([]byte(hashSecret(c.Value)), []byte(rec.Browser)) != 1 {
		return errf(http.StatusBadRequest, api.CodeInvalidState, "This sign-in was started in another browser. Start it again from this one.")
	}
	p := s.providers[rec.Provider]
	if p == nil || r.FormValue("error") != "" {
		if !rec.Portal && rec.AppRedirect != "" {
			// Tell the waiting app at once (RFC 6749 §4.1.2.1), instead of leaving it to
			// time out while the person looks at an error page.
			if u, err := url.Parse(rec.AppRedirect); err == nil {
				q := u.Query()
				q.Set("error", "access_denied")
				q.Set("state", rec.AppState)
				u.RawQuery = q.Encode()
				http.Redirect(w, r, u.String(), http.StatusFound)
				return nil
			}
		}
		return errf(http.StatusBadRequest, api.CodeProviderFailed, "The sign-in was cancelled or refused by the provider.")
	}
	user, err := s.providerExchange(r.Context(), p, rec, r.FormValue("code"))
	if err != nil {
		s.cfg.Log.Printf("oauth %s: %v", rec.Provider, err)
		return errf(http.StatusBadGateway, api.CodeProviderFailed, "%s did not confirm the sign-in. Try again.", p.cfg.Name)
	}
	acct, err := s.st.AccountByIdentity(rec.Provider, user.Subject)
	if vouched, verr := normalizeEmail(user.Email); errors.Is(err, store.ErrNotFound) && verr == nil && user.Verified {
		// The provider vouches for the e-mail: link this identity to that account.
		if acct, err = s.st.AccountByEmail(vouched); err == nil {
			acct, err = s.linkIdentity(acct, store.Identity{Provider: rec.Provider, Subject: user.Subject}, p.cfg.Name)
		}
	}
	if errors.Is(err, store.ErrNotFound) {
		email, eerr := normalizeEmail(user.Email)
		if eerr != nil {
			return errf(http.StatusBadRequest, api.CodeInvalidEmail, "%s did not share an e-mail address. Allow access to your e-mail and try again.", p.cfg.Name)
		}
		if _, taken := s.st.AccountByEmail(email); taken == nil {
			return errf(http.StatusConflict, api.CodeEmailTaken, "An account with this e-mail exists. Sign in with its password, or use a provider that confirms your e-mail.")
		}
		id, rerr := s.randomID()
		if rerr != nil {
			return rerr
		}
		pend := pendingRec{State: rec, Provider: rec.Provider, Subject: user.Subject, Email: email, Verified: user.Verified}
		if err := tempPut(s, tmpOAuthNew, id, pend, oauthPendingTTL); err != nil {
			return err
		}
		http.Redirect(w, r, "/portal/welcome?pending="+url.QueryEscape(id), http.StatusSeeOther)
		return nil
	}
	if err != nil {
		return err
	}
	return s.finishOAuth(w, r, rec, acct)
}

// finishOAuth ends a quick sign-in: a portal cookie, or a one-time code for the app.
func (s *Server) finishOAuth(w http.ResponseWriter, r *http.Request, rec oauthStateRec, acct *store.Account) error {
	if acct.Blocked {
		return errf(http.StatusForbidden, api.CodeAccountBlocked, "This account is blocked. Contact support.")
	}
	if reg := s.region(acct.Region); reg != nil && reg.DataProvision != nil && acct.DataProvisionVersion != reg.DataProvision.Version {
		// The region demands the statement, as for a password sign-in: ask in the
		// browser, where the person is, before connecting.
		id, err := s.randomID()
		if err != nil {
			return err
		}
		if err := tempPut(s, tmpOAuthDP, id, dpRec{State: rec, AccountID: acct.ID}, oauthPendingTTL); err != nil {
			return err
		}
		http.Redirect(w, r, "/portal/connect?pending="+url.QueryEscape(id), http.StatusSeeOther)
		return nil
	}
	if rec.Portal {
		return s.portalSignIn(w, r, acct)
	}
	code, err := s.randomToken(32)
	if err != nil {
		return err
	}
	h := handoffRec{AccountID: acct.ID, Challenge: rec.AppChallenge, RedirectURI: rec.AppRedirect, Client: rec.Client}
	if err := tempPut(s, tmpOAuthCode, hashSecret(code), h, oauthHandoffTTL); err != nil {
		return err
	}
	u, err := url.Parse(rec.AppRedirect)
	if err != nil {
		return err
	}
	q := u.Query()
	q.Set("code", code)
	q.Set("state", rec.AppState)
	u.RawQuery = q.Encode()
	http.Redirect(w, r, u.String(), http.StatusFound)
	return nil
}

// providerExchange trades the provider's code (with this server's PKCE verifier) for the
// user: from the verified ID token (OIDC, nonce checked) or the user-info endpoint.
func (s *Server) providerExchange(ctx context.Context, p *provider, rec oauthStateRec, code string) (*providerUser, error) {
	ctx = s.ctx(ctx)
	oc, verifier, err := p.setup(ctx, s.cfg.BaseURL+api.PathOAuthCallback)
	if err != nil {
		return nil, err
	}
	tok, err := oc.Exchange(ctx, code, oauth2.VerifierOption(rec.Verifier))
	if err != nil {
		return nil, fmt.Errorf("exchange: %w", err)
	}
	if verifier != nil {
		raw, _ := tok.Extra("id_token").(string)
		if raw == "" {
			return nil, errors.New("no id_token")
		}
		idt, err := verifier.Verify(ctx, raw)
		if err != nil {
			return nil, fmt.Errorf("id_token: %w", err)
		}
		if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(rec.Nonce)) != 1 {
			return nil, errors.New("id_token nonce mismatch")
		}
		var cl struct {
			Email    string `json:"email"`
			Verified any    `json:"email_verified"` // Apple sends "true" as a string
		}
		if err := idt.Claims(&cl); err != nil {
			return nil, err
		}
		return &providerUser{Subject: idt.Subject, Email: cl.Email, Verified: cl.Verified == true || cl.Verified == "true"}, nil
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.cfg.UserInfoURL, nil)
	if err != nil {
		return nil, err
	}
	tok.SetAuthHeader(req)
	resp, err := s.cfg.HTTPClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("user info: %w", err)
	}
	body, rerr := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if cerr := resp.Body.Close(); rerr == nil {
		rerr = cerr
	}
	if rerr != nil || resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("user info: %s %v", resp.Status, rerr)
	}
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, fmt.Errorf("user info: %w", err)
	}
	sub, email := jsonPath(m, p.cfg.IDField), jsonPath(m, p.cfg.EmailField)
	if sub == "" {
		return nil, errors.New("user info has no user ID")
	}
	return &providerUser{Subject: sub, Email: email, Verified: p.cfg.TrustEmail}, nil
}

// jsonPath reads "a.b" from decoded JSON as a string (numbers formatted plainly).
func jsonPath(m map[string]any, path string) string {
	var cur any = m
	for _, part := range strings.Split(path, ".") {
		mm, ok := cur.(map[string]any)
		if !ok {
			return ""
		}
		cur = mm[part]
	}
	switch v := cur.(type) {
	case string:
		return v
	case float64:
		return fmt.Sprintf("%.0f", v)
	}
	return ""
}

// handleOAuthToken: the app exchanges the one-time code, proving with its PKCE verifier
// that it started this flow, and gets a session.
func (s *Server) handleOAuthToken(w http.ResponseWriter, r *http.Request) error {
	var req api.OAuthTokenRequest
	if err := s.readJSON(r, &req); err != nil {
		return err
	}
	if err := s.rateLimit(r, ""); err != nil {
		return err
	}
	bad := errf(http.StatusBadRequest, api.CodeInvalidGrant, "This sign-in code is not valid. Start quick sign-in again.")
	h, found, err := tempTake[handoffRec](s, tmpOAuthCode, hashSecret(req.Code))
	if err != nil {
		return err
	}
	if !found || req.Code == "" || h.RedirectURI != req.RedirectURI ||
		subtle.ConstantTimeCompare([]byte(pkceS256(req.CodeVerifier)), []byte(h.Challenge)) != 1 {
		return bad
	}
	acct, err := s.st.Account(h.AccountID)
	if errors.Is(err, store.ErrNotFound) {
		return bad
	} else if err != nil {
		return err
	}
	client := req.ClientName
	if client == "" {
		client = h.Client
	}
	sess, err := s.createSession(acct, client, s.clientIP(r), false)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, sess)
	return nil
}

// acceptPendingDP records the statement's acceptance for a held-back quick sign-in and
// finishes it.
func (s *Server) acceptPendingDP(w http.ResponseWriter, r *http.Request, pendingID string) error {
	rec, found, err := tempTake[dpRec](s, tmpOAuthDP, pendingID)
	if err != nil {
		return err
	}
	if !found {
		return errf(http.StatusBadRequest, api.CodeInvalidState, "This sign-in has expired. Start again.")
	}
	acct, err := s.st.Account(rec.AccountID)
	if err != nil {
		return err
	}
	if acct, err = s.checkDataProvision(acct, true); err != nil {
		return err
	}
	return s.finishOAuth(w, r, rec.State, acct)
}

// pendingStatement returns the statement a held-back quick sign-in waits for.
func (s *Server) pendingStatement(pendingID string) (*api.Statement, error) {
	var st *api.Statement
	err := tempUpdate(s, tmpOAuthDP, pendingID, func(p *dpRec, ok bool) (bool, time.Duration, error) {
		if !ok {
			return false, 0, errf(http.StatusBadRequest, api.CodeInvalidState, "This sign-in has expired. Start again.")
		}
		acct, err := s.st.Account(p.AccountID)
		if err != nil {
			return true, oauthPendingTTL, err
		}
		if reg := s.region(acct.Region); reg != nil {
			st = reg.DataProvision
		}
		return true, oauthPendingTTL, nil
	})
	return st, err
}

// completePending creates the provider-only account once region and terms are chosen,
// then finishes the sign-in.
func (s *Server) completePending(w http.ResponseWriter, r *http.Request, pendingID, region string, acceptTerms, marketing, acceptDP bool) error {
	var pend pendingRec
	var found bool
	err := tempUpdate(s, tmpOAuthNew, pendingID, func(p *pendingRec, ok bool) (bool, time.Duration, error) {
		pend, found = *p, ok
		return ok, oauthPendingTTL, nil
	})
	if err != nil {
		return err
	}
	if !found {
		return errf(http.StatusBadRequest, api.CodeInvalidState, "This sign-in has expired. Start again.")
	}
	a, err := s.newAccount(pend.Email, region, acceptTerms, marketing, acceptDP)
	if err != nil {
		return err
	}
	a.Identities = []store.Identity{{Provider: pend.Provider, Subject: pend.Subject}}
	a.EmailVerified = pend.Verified
	if err := s.st.CreateAccount(a); errors.Is(err, store.ErrEmailTaken) || errors.Is(err, store.ErrIdentityTaken) {
		return errf(http.StatusConflict, api.CodeEmailTaken, "An account with this e-mail already exists. Sign in instead.")
	} else if err != nil {
		return err
	}
	if _, _, err := tempTake[pendingRec](s, tmpOAuthNew, pendingID); err != nil {
		return err
	}
	return s.finishOAuth(w, r, pend.State, a)
}
