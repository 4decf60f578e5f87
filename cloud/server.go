// Package cloud is valv-cloud: the account service, the cloud vault store and the web
// portal ("Valv Account" site), served by one http.Handler (New).
//
// The server shares only cloud/api with its clients; it never imports the vault, the
// account client or the sync engine, and it never sees a master password or plaintext
// vault data: vault headers and items are opaque blobs here. All state lives in a
// store.Store; every expiry is read from an injected Clock so tests move time instead
// of sleeping.
package cloud

import (
	"cmp"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/valvpm/valv/cloud/api"
	"github.com/valvpm/valv/cloud/store"
)

// Clock tells the time. Tests pass a clock they can move.
type Clock interface{ Now() time.Time }

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

// RegionConfig is one region: which quick sign-in providers it offers and whether it
// requires the data-provision statement ("Accept and connect").
type RegionConfig struct {
	Code          string
	Name          string
	Providers     []string
	DataProvision *api.Statement
}

// RateLimits caps requests to credential endpoints per minute. Zero means the default.
type RateLimits struct {
	PerIP      int // per client address, all credential endpoints together
	PerAccount int // per account (or e-mail being tried)
}

// Config is everything New needs. Zero fields get safe defaults (see withDefaults).
type Config struct {
	Store   store.Store
	Clock   Clock
	BaseURL string // external base URL for links in e-mails and redirects, no trailing slash
	Dev     bool   // serves the dev outbox and reports dev in /healthz
	Version string // reported by /healthz; the valv-cloud command passes its build's version

	Mailer Mailer    // e-mail sender; nil with Outbox set: the outbox
	SMS    SMSSender // SMS sender; nil with Outbox set: the outbox
	Outbox *Outbox   // when set, GET /dev/outbox shows what was "sent"

	Argon2 Argon2Params

	Terms         api.Statement
	Regions       []RegionConfig
	DefaultRegion string
	Plans         []api.Plan // entitlements per plan; FreePlan applies with no licence
	FreePlan      string
	Providers     map[string]ProviderConfig // quick sign-in providers by name

	Limits            store.Limits
	MaxBodyBytes      int64 // JSON bodies of ordinary endpoints
	MaxVaultBodyBytes int64 // replace bodies (a push's follows from Limits)
	// MaxVaultMemory bounds the bytes of vault request bodies being read at once,
	// across all accounts; a request reserves its share before reading.
	MaxVaultMemory int64
	RateLimits     RateLimits

	AccessTTL  time.Duration // access tokens (apps); default 15 min
	RefreshTTL time.Duration // refresh tokens; default 30 days
	PortalTTL  time.Duration // portal cookie sessions; default 12 h

	// SecureCookies marks cookies Secure; it is on by itself when BaseURL is https
	// (a TLS-terminating proxy in front), which also sends Strict-Transport-Security.
	SecureCookies bool
	// TrustedProxies are the reverse proxies in front of the server. For a request
	// from one of them the client is the right-most X-Forwarded-For address that is not
	// itself a trusted proxy; the left part of the header is the client's to write, so
	// it is never believed. Empty: the header is ignored.
	TrustedProxies []netip.Prefix
	// TrustSignUpEmails counts the e-mail address of an account created with a password
	// as proven at once, without the e-mailed code. Only tests of other parts of Valv
	// set it (cloudtest does); a server that sets it can be pre-hijacked again.
	TrustSignUpEmails bool
	// VaultConcurrency is how many vault requests one account may have in flight;
	// VaultWait how long another waits for a turn.
	VaultConcurrency int
	VaultWait        time.Duration
	// WaitHold is how long a live-sync wait is held without a change; default
	// api.VaultWaitHold.
	WaitHold time.Duration

	// testHookVaultEntered runs when a vault request got its turn (tests only).
	testHookVaultEntered func()
	// CaptchaText makes captcha answers; nil: random digits. Tests set it.
	CaptchaText func() string
	// Rand is the randomness for tokens and codes; nil: crypto/rand.
	Rand io.Reader
	// Log receives operational messages. Secrets are never passed to it.
	Log *log.Logger
	// HTTPClient talks to OAuth providers; nil: a client with a 10 s timeout.
	HTTPClient *http.Client
}

// Server is the valv-cloud HTTP handler.
type Server struct {
	cfg       Config
	st        store.Store
	mux       *http.ServeMux
	dummyHash string // verified against when an e-mail is unknown, so timing does not tell
	providers map[string]*provider
	portal    *portal
	gate      *vaultGate
	waits     waitSlots
	mail      *mailQueue
}

// ErrConfig reports an unusable Config.
var ErrConfig = errors.New("cloud: invalid configuration")

// New builds the server. It does not listen; serve it with net/http, and Close it
// when done (it sends mail from a queue).
func New(cfg Config) (*Server, error) {
	if cfg.Store == nil {
		return nil, fmt.Errorf("%w: no store", ErrConfig)
	}
	cfg = cfg.withDefaults()
	s := &Server{cfg: cfg, st: cfg.Store, mux: http.NewServeMux(), gate: newVaultGate(cfg)}
	h, err := hashPassword("not a real password 1A", cfg.Argon2, cfg.Rand)
	if err != nil {
		return nil, err
	}
	s.dummyHash = h
	if err := s.initProviders(); err != nil {
		return nil, err
	}
	if err := s.initPortal(); err != nil {
		return nil, err
	}
	s.routes()
	s.startMailQueue()
	return s, nil
}

func (c Config) withDefaults() Config {
	c.Clock = cmp.Or[Clock](c.Clock, realClock{})
	c.Rand = cmp.Or(c.Rand, rand.Reader)
	c.Log = cmp.Or(c.Log, log.New(io.Discard, "", 0))
	if c.Outbox != nil { // a nil *Outbox in the interfaces would not be nil
		c.Mailer = cmp.Or[Mailer](c.Mailer, c.Outbox)
		c.SMS = cmp.Or[SMSSender](c.SMS, c.Outbox)
	}
	c.Mailer = cmp.Or[Mailer](c.Mailer, discardSender{c.Log})
	c.SMS = cmp.Or[SMSSender](c.SMS, discardSender{c.Log})
	c.Argon2 = cmp.Or(c.Argon2, DefaultArgon2)
	c.Version = cmp.Or(c.Version, "dev")
	if c.Terms.Version == "" {
		c.Terms = api.Statement{Version: "2025-01", Title: "Web Portal Statement", URL: "/portal/terms"}
	}
	if len(c.Regions) == 0 {
		c.Regions = DefaultRegions()
	}
	c.DefaultRegion = cmp.Or(c.DefaultRegion, c.Regions[0].Code)
	if len(c.Plans) == 0 {
		c.Plans = DefaultPlans()
	}
	c.FreePlan = cmp.Or(c.FreePlan, "free")
	c.Limits = cmp.Or(c.Limits, store.Limits{MaxItemBytes: 256 << 10, MaxVaultBytes: 64 << 20, MaxPushItems: 1000,
		MaxPushBytes: api.DefaultMaxPushBytes, MaxPullBytes: api.DefaultMaxPullBytes})
	// Every server bounds a chunk, whatever other limits its operator chose.
	c.Limits.MaxChunkBytes = cmp.Or(c.Limits.MaxChunkBytes, api.MaxChunkBytes)
	c.MaxBodyBytes = cmp.Or(c.MaxBodyBytes, 64<<10)
	c.MaxVaultBodyBytes = cmp.Or(c.MaxVaultBodyBytes, replaceBodyLimit(c.Limits))
	c.MaxVaultMemory = cmp.Or(c.MaxVaultMemory, 128<<20)
	c.VaultConcurrency = cmp.Or(c.VaultConcurrency, 2)
	c.VaultWait = cmp.Or(c.VaultWait, 10*time.Second)
	c.WaitHold = cmp.Or(c.WaitHold, api.VaultWaitHold)
	c.RateLimits.PerIP = cmp.Or(c.RateLimits.PerIP, 120)
	c.RateLimits.PerAccount = cmp.Or(c.RateLimits.PerAccount, 30)
	c.AccessTTL = cmp.Or(c.AccessTTL, 15*time.Minute)
	c.RefreshTTL = cmp.Or(c.RefreshTTL, 30*24*time.Hour)
	c.PortalTTL = cmp.Or(c.PortalTTL, 12*time.Hour)
	c.HTTPClient = cmp.Or(c.HTTPClient, &http.Client{Timeout: 10 * time.Second})
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	if strings.HasPrefix(c.BaseURL, "https://") {
		c.SecureCookies = true
	}
	return c
}

// DefaultRegions is the region list used when Config.Regions is empty.
func DefaultRegions() []RegionConfig {
	all := []string{"google", "facebook", "apple", "yandex", "vk"}
	return []RegionConfig{
		{Code: "eu", Name: "Europe", Providers: []string{"google", "facebook", "apple"}},
		{Code: "us", Name: "United States", Providers: []string{"google", "facebook", "apple"}},
		{Code: "ru", Name: "Russia", Providers: []string{"yandex", "vk"},
			DataProvision: &api.Statement{Version: "ru-2025-01", Title: "Statement on data provision", URL: "/portal/terms#data-provision"}},
		{Code: "other", Name: "Other", Providers: all},
	}
}

// DefaultPlans is the plan list used when Config.Plans is empty. The attachment bytes
// leave every plan room for at least two files of the vault's largest size (100 MiB
// each, plus sealing overhead), so the per-file limit is the one a Free user meets.
func DefaultPlans() []api.Plan {
	return []api.Plan{
		{ID: "free", Name: "Free", IncludesPasswordManager: true, Entitlements: api.Entitlements{Plan: "free", MaxEntries: 15, MaxDevices: 1, Sync: true, MaxAttachmentBytes: 256 << 20}},
		{ID: "personal", Name: "Personal", IncludesPasswordManager: true, Entitlements: api.Entitlements{Plan: "personal", MaxDevices: 10, Sync: true, MaxAttachmentBytes: 1 << 30}},
		{ID: "family", Name: "Family", IncludesPasswordManager: true, Entitlements: api.Entitlements{Plan: "family", MaxDevices: 30, Sync: true, MaxAttachmentBytes: 5 << 30}},
		{ID: "vpn", Name: "Secure Connection", IncludesPasswordManager: false, Entitlements: api.Entitlements{Plan: "vpn", MaxEntries: 15, MaxDevices: 1, Sync: true, MaxAttachmentBytes: 256 << 20}},
	}
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.Header().Set("Cache-Control", "no-store")
	if s.cfg.SecureCookies {
		// Served over HTTPS (directly or behind a proxy): browsers must not come back
		// over plain HTTP, where cookies and codes could be read on the way.
		w.Header().Set("Strict-Transport-Security", "max-age=31536000")
	}
	s.mux.ServeHTTP(w, r)
}

// methods dispatches one path by HTTP method, answering others with a JSON 405.
type methods map[string]http.HandlerFunc

func (m methods) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h, ok := m[r.Method]; ok {
		h(w, r)
		return
	}
	if h, ok := m[http.MethodGet]; ok && r.Method == http.MethodHead {
		h(w, r)
		return
	}
	writeErr(w, errf(http.StatusMethodNotAllowed, api.CodeMethodNotAllowed, "This endpoint does not accept %s.", r.Method))
}

func (s *Server) routes() {
	m := s.mux
	m.HandleFunc("/{path...}", func(w http.ResponseWriter, r *http.Request) {
		writeErr(w, errf(http.StatusNotFound, api.CodeNotFound, "There is nothing at %s.", r.URL.Path))
	})
	m.Handle(api.PathHealth, methods{"GET": s.handleHealth})
	m.Handle(api.PathRegions, methods{"GET": s.handleRegions})
	m.Handle(api.PathPlans, methods{"GET": s.handlePlans})

	m.Handle(api.PathAccounts, methods{"POST": s.h(s.handleCreateAccount)})
	m.Handle(api.PathAccount, methods{"GET": s.authed(s.handleGetAccount), "DELETE": s.authed(s.handleDeleteAccount)})
	m.Handle(api.PathAccountSettings, methods{"POST": s.authed(s.handleSettings)})
	m.Handle(api.PathAccountPassword, methods{"POST": s.authed(s.handleSetPassword)})
	m.Handle(api.PathTwoStep, methods{"POST": s.authed(s.handleTwoStepStart), "DELETE": s.authed(s.handleTwoStepOff)})
	m.Handle(api.PathTwoStepConfirm, methods{"POST": s.authed(s.handleTwoStepConfirm)})
	m.Handle(api.PathEmailVerify, methods{"POST": s.h(s.handleEmailVerify)})
	m.Handle(api.PathEmailResend, methods{"POST": s.h(s.handleEmailResend)})
	m.Handle(api.PathPasswordForgot, methods{"POST": s.h(s.handleForgot)})
	m.Handle(api.PathPasswordReset, methods{"POST": s.h(s.handleReset)})

	m.Handle(api.PathSessions, methods{"POST": s.h(s.handleSignIn), "GET": s.authed(s.handleListSessions)})
	m.Handle(api.PathSessionsSMS, methods{"POST": s.h(s.handleSignInSMS)})
	m.Handle(api.PathSessionsResend, methods{"POST": s.h(s.handleResend)})
	m.Handle(api.PathSessionsRefresh, methods{"POST": s.h(s.handleRefresh)})
	m.Handle(api.PathSessionCurrent, methods{"DELETE": s.authed(s.handleSignOut)})
	m.Handle(api.PathSessionPrefix+"{id}", methods{"DELETE": s.authed(s.handleRevoke)})
	m.Handle(api.PathCaptchaPrefix+"{file}", methods{"GET": s.handleCaptchaImage})

	m.Handle(api.PathActionCodes, methods{"POST": s.authed(s.handleActionCode)})
	m.Handle(api.PathActionTokens, methods{"POST": s.authed(s.handleActionToken)})
	m.Handle(api.PathActionReauth, methods{"POST": s.authed(s.handleReauth)})

	m.Handle(api.PathSubscriptions, methods{"GET": s.authed(s.handleSubscriptions)})
	m.Handle(api.PathActivate, methods{"POST": s.authed(s.handleActivate)})
	m.Handle(api.PathIncludedCheck, methods{"POST": s.h(s.handleIncluded)})

	s.vaultRoutes()

	m.Handle(api.PathOAuthStartPrefix+"{provider}", methods{"GET": s.browserH(s.handleOAuthStart)})
	m.Handle(api.PathOAuthCallback, methods{"GET": s.browserH(s.handleOAuthCallback), "POST": s.browserH(s.handleOAuthCallback)})
	m.Handle(api.PathOAuthToken, methods{"POST": s.h(s.handleOAuthToken)})

	if s.cfg.Outbox != nil {
		m.Handle(api.PathDevOutbox, methods{"GET": s.cfg.Outbox.ServeHTTP})
	}
	s.portalRoutes()
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, api.Health{Status: "ok", Version: s.cfg.Version, Dev: s.cfg.Dev})
}

func (s *Server) handleRegions(w http.ResponseWriter, r *http.Request) {
	out := api.RegionsResponse{Terms: s.cfg.Terms, Regions: []api.Region{}}
	for _, rc := range s.cfg.Regions {
		reg := api.Region{Code: rc.Code, Name: rc.Name, Providers: []string{}, DataProvision: rc.DataProvision}
		for _, p := range rc.Providers {
			if _, ok := s.providers[p]; ok {
				reg.Providers = append(reg.Providers, p)
			}
		}
		out.Regions = append(out.Regions, reg)
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) region(code string) *RegionConfig {
	for i := range s.cfg.Regions {
		if s.cfg.Regions[i].Code == code {
			return &s.cfg.Regions[i]
		}
	}
	return nil
}

func (s *Server) now() time.Time { return s.cfg.Clock.Now() }

// Sweep deletes expired short-lived records; cmd/valv-cloud calls it periodically.
func (s *Server) Sweep() error { return s.st.PurgeExpired(s.now()) }
