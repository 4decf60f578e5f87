// Command valv-cloud runs the Valv account service, cloud vault store and web portal.
//
//	valv-cloud -dev [-addr 127.0.0.1:8787] [-data DIR] [-demo]
//
// runs everything on loopback with embedded storage, a dev outbox for e-mail and SMS
// and fake quick sign-in providers. Production needs TLS (certificate files or ACME) on
// any non-loopback address; see docs/valv-cloud-readme-section.md for every flag.
package main

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
	"time"

	"golang.org/x/crypto/acme/autocert"

	"github.com/valvpm/valv/cloud"
	"github.com/valvpm/valv/cloud/api"
	"github.com/valvpm/valv/cloud/store"
	"github.com/valvpm/valv/internal/version"
)

func main() {
	if err := run(os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "valv-cloud:", err)
		os.Exit(1)
	}
}

// options are the parsed flags.
type options struct {
	dev, demo, version                bool
	addr, data, db, baseURL           string
	tlsCert, tlsKey                   string
	acmeDomains, acmeCache, acmeEmail string
	smtpAddr, smtpFrom, smtpUser      string
	smsWebhook                        string
	regions, plansFile                string
	argonMemKiB, argonTime            uint
	argonThreads                      uint
	trustProxy                        string
	providerIDs                       map[string]*string
	providerSecrets                   map[string]*string
}

func parseFlags(args []string, stderr io.Writer) (*options, error) {
	fs := flag.NewFlagSet("valv-cloud", flag.ContinueOnError)
	fs.SetOutput(stderr)
	o := &options{providerIDs: map[string]*string{}, providerSecrets: map[string]*string{}}
	fs.BoolVar(&o.dev, "dev", false, "development mode: loopback only, dev outbox, fake quick sign-in providers")
	fs.BoolVar(&o.version, "version", false, "print the version and exit")
	fs.BoolVar(&o.demo, "demo", false, "with -dev: create demo accounts and activation codes and print them")
	fs.StringVar(&o.addr, "addr", "", "listen address (default 127.0.0.1:8787 with -dev, :443 otherwise)")
	fs.StringVar(&o.data, "data", "valv-cloud-data", "folder of the embedded database (unused with -db)")
	fs.StringVar(&o.db, "db", "", "PostgreSQL URL, postgres://user@host:port/db?sslmode=verify-full, shared by every replica (password in $PGPASSWORD or ~/.pgpass)")
	fs.StringVar(&o.baseURL, "base-url", "", "public base URL for links in e-mails and OAuth redirects (default from -addr)")
	fs.StringVar(&o.tlsCert, "tls-cert", "", "TLS certificate file (PEM)")
	fs.StringVar(&o.tlsKey, "tls-key", "", "TLS private key file (PEM)")
	fs.StringVar(&o.acmeDomains, "acme-domains", "", "comma-separated domains to get certificates for with ACME (Let's Encrypt); needs port 443")
	fs.StringVar(&o.acmeCache, "acme-cache", "", "ACME certificate cache folder (default DATA/acme)")
	fs.StringVar(&o.acmeEmail, "acme-email", "", "contact e-mail for the ACME account")
	fs.StringVar(&o.smtpAddr, "smtp-addr", "", "SMTP server host:port for e-mail (password in $VALV_SMTP_PASSWORD)")
	fs.StringVar(&o.smtpFrom, "smtp-from", "", "sender address of e-mails")
	fs.StringVar(&o.smtpUser, "smtp-user", "", "SMTP user name")
	fs.StringVar(&o.smsWebhook, "sms-webhook", "", "URL that gets POST {\"to\",\"text\"} JSON for every SMS")
	fs.StringVar(&o.regions, "regions", "", "region→providers map, e.g. \"eu=google,apple;ru=yandex,vk\" (default: built-in regions)")
	fs.StringVar(&o.plansFile, "plans", "", "JSON file with the plans and their entitlements (default: built-in plans)")
	fs.UintVar(&o.argonMemKiB, "argon2-memory", uint(cloud.DefaultArgon2.MemoryKiB), "Argon2id memory for account passwords, KiB")
	fs.UintVar(&o.argonTime, "argon2-time", uint(cloud.DefaultArgon2.Time), "Argon2id passes")
	fs.UintVar(&o.argonThreads, "argon2-threads", uint(cloud.DefaultArgon2.Threads), "Argon2id parallelism")
	fs.StringVar(&o.trustProxy, "trust-proxy", "", "comma-separated addresses or CIDR ranges of the reverse proxies in front; the client is the right-most X-Forwarded-For address that is none of them")
	names := make([]string, 0, len(cloud.Presets()))
	for n := range cloud.Presets() {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		o.providerIDs[n] = fs.String(n+"-client-id", "", "OAuth client ID for quick sign-in with "+n+" (secret in $VALV_"+strings.ToUpper(n)+"_CLIENT_SECRET)")
		o.providerSecrets[n] = new(string)
		*o.providerSecrets[n] = os.Getenv("VALV_" + strings.ToUpper(n) + "_CLIENT_SECRET")
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if o.addr == "" {
		o.addr = ":443"
		if o.dev {
			o.addr = "127.0.0.1:8787"
		}
	}
	return o, nil
}

func isLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// parseRegions reads "eu=google,apple;ru=yandex,vk".
func parseRegions(s string) ([]cloud.RegionConfig, error) {
	var out []cloud.RegionConfig
	defaults := map[string]cloud.RegionConfig{}
	for _, r := range cloud.DefaultRegions() {
		defaults[r.Code] = r
	}
	for _, part := range strings.Split(s, ";") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		code, provs, ok := strings.Cut(part, "=")
		if !ok || code == "" {
			return nil, fmt.Errorf("-regions: %q is not region=provider,provider", part)
		}
		rc := cloud.RegionConfig{Code: code, Name: code}
		if d, ok := defaults[code]; ok {
			rc.Name, rc.DataProvision = d.Name, d.DataProvision
		}
		for _, p := range strings.Split(provs, ",") {
			if p = strings.TrimSpace(p); p != "" {
				rc.Providers = append(rc.Providers, p)
			}
		}
		out = append(out, rc)
	}
	return out, nil
}

// parseProxies reads "-trust-proxy 10.0.0.0/8,192.0.2.7".
func parseProxies(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part == "" {
			continue
		}
		if p, err := netip.ParsePrefix(part); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(part)
		if err != nil {
			return nil, fmt.Errorf("-trust-proxy: %q is not an address or CIDR range", part)
		}
		out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return out, nil
}

func run(args []string, stderr io.Writer) error {
	o, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	if o.version {
		return version.Print(os.Stdout, "valv-cloud")
	}
	logger := log.New(stderr, "valv-cloud: ", log.LstdFlags)
	useTLS := o.tlsCert != "" || o.acmeDomains != ""
	if o.dev && !isLoopback(o.addr) {
		return fmt.Errorf("-dev listens on loopback only, not %s", o.addr)
	}
	if !useTLS && !isLoopback(o.addr) {
		return fmt.Errorf("refusing plain HTTP on %s: give -tls-cert/-tls-key or -acme-domains, or listen on 127.0.0.1", o.addr)
	}
	if (o.tlsCert == "") != (o.tlsKey == "") {
		return errors.New("-tls-cert and -tls-key go together")
	}
	if o.demo && !o.dev {
		return errors.New("-demo needs -dev: demo passwords are public")
	}

	if o.db != "" && o.acmeDomains != "" && o.acmeCache == "" {
		return errors.New("-acme-domains with -db needs -acme-cache: with -db nothing is written to -data")
	}
	st, err := o.openStore(logger)
	if err != nil {
		return err
	}
	err = serve(o, st, logger, stderr, useTLS)
	if cerr := st.Close(); cerr != nil {
		err = errors.Join(err, fmt.Errorf("close store: %w", cerr))
	}
	return err
}

// openStore opens the PostgreSQL store with -db, else the embedded one in -data.
func (o *options) openStore(logger *log.Logger) (store.Store, error) {
	if o.db == "" {
		return store.Open(o.data)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	return store.OpenPostgres(ctx, o.db, logger.Printf)
}

// storage says where the data is, for the start-up message (never a password).
func (o *options) storage() string {
	if o.db == "" {
		return "data folder:  " + o.data
	}
	if u, err := url.Parse(o.db); err == nil {
		return "database:     " + u.Host + u.Path
	}
	return "database:     (-db)"
}

func serve(o *options, st store.Store, logger *log.Logger, stderr io.Writer, useTLS bool) error {
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return err
	}
	base := o.publicURL(ln.Addr().String(), useTLS)
	srv, handler, err := o.server(st, base, logger, stderr, useTLS)
	if err != nil {
		return errors.Join(err, ln.Close())
	}
	defer func() {
		if cerr := srv.Close(); cerr != nil {
			logger.Printf("mail queue: %v", cerr)
		}
	}()
	if o.demo {
		if err := printDemo(srv, stderr); err != nil {
			return errors.Join(err, ln.Close())
		}
	}
	hs := o.httpServer(handler, logger, useTLS)
	fmt.Fprintf(stderr, "valv-cloud %s listening on %s\n", version.String(), base)
	if o.dev {
		fmt.Fprintf(stderr, "  web portal:   %s/portal/\n  dev outbox:   %s%s (JSON with Accept: application/json)\n  API base URL: %s  (health: %s%s)\n  %s\n",
			base, base, api.PathDevOutbox, base, base, api.PathHealth, o.storage())
	}
	return o.run(hs, ln, srv, logger, useTLS)
}

// publicURL is the server's address in links: -base-url, else the first ACME domain
// or the listening address.
func (o *options) publicURL(listening string, useTLS bool) string {
	if o.baseURL != "" {
		return o.baseURL
	}
	scheme := "http"
	if useTLS {
		scheme = "https"
	}
	host := listening
	if d := strings.Split(o.acmeDomains, ",")[0]; d != "" {
		host = d
	}
	return scheme + "://" + host
}

// server builds the configured cloud server and the handler that serves it (with the
// fake OAuth providers in dev mode).
func (o *options) server(st store.Store, base string, logger *log.Logger, stderr io.Writer, useTLS bool) (*cloud.Server, http.Handler, error) {
	proxies, err := parseProxies(o.trustProxy)
	if err != nil {
		return nil, nil, err
	}
	cfg := cloud.Config{Store: st, BaseURL: base, Dev: o.dev, Version: version.String(), Log: logger, TrustedProxies: proxies,
		SecureCookies: useTLS,
		Argon2:        cloud.Argon2Params{MemoryKiB: uint32(o.argonMemKiB), Time: uint32(o.argonTime), Threads: uint8(o.argonThreads)},
	}
	if err := o.loadCatalogues(&cfg); err != nil {
		return nil, nil, err
	}
	var devOAuth http.Handler
	if o.dev {
		cfg.Outbox = &cloud.Outbox{Echo: stderr}
		if cfg.Providers, devOAuth, err = cloud.DevProviders(base); err != nil {
			return nil, nil, err
		}
	} else {
		cfg.Providers = o.providers()
	}
	if o.smtpAddr != "" {
		cfg.Mailer = &cloud.SMTPMailer{Addr: o.smtpAddr, From: o.smtpFrom, Username: o.smtpUser, Password: os.Getenv("VALV_SMTP_PASSWORD")}
	}
	if o.smsWebhook != "" {
		cfg.SMS = &cloud.WebhookSMS{URL: o.smsWebhook}
	}
	srv, err := cloud.New(cfg)
	if err != nil || devOAuth == nil {
		return srv, srv, err
	}
	mux := http.NewServeMux()
	mux.Handle(cloud.DevOAuthPrefix, devOAuth)
	mux.Handle("/", srv)
	return srv, mux, nil
}

// loadCatalogues reads -regions and -plans into cfg.
func (o *options) loadCatalogues(cfg *cloud.Config) error {
	var err error
	if o.regions != "" {
		if cfg.Regions, err = parseRegions(o.regions); err != nil {
			return err
		}
	}
	if o.plansFile != "" {
		raw, err := os.ReadFile(o.plansFile)
		if err != nil {
			return err
		}
		if err := json.Unmarshal(raw, &cfg.Plans); err != nil {
			return fmt.Errorf("-plans %s: %w", o.plansFile, err)
		}
	}
	return nil
}

// providers are the quick sign-in providers whose client ID was given.
func (o *options) providers() map[string]cloud.ProviderConfig {
	out := map[string]cloud.ProviderConfig{}
	for n, p := range cloud.Presets() {
		if id := *o.providerIDs[n]; id != "" {
			p.ClientID, p.ClientSecret = id, *o.providerSecrets[n]
			out[n] = p
		}
	}
	return out
}

// printDemo seeds the demo accounts and says how to sign in with them.
func printDemo(srv *cloud.Server, stderr io.Writer) error {
	demos, err := srv.SeedDemo()
	if err != nil {
		return err
	}
	fmt.Fprintln(stderr, "Demo accounts (e-mail / password):")
	for _, d := range demos {
		fmt.Fprintf(stderr, "  %-20s %-14s %s\n", d.Email, d.Password, d.Note)
	}
	var codes []string
	for c := range cloud.DemoActivationCodes {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	fmt.Fprintln(stderr, "Demo activation codes:", strings.Join(codes, ", "))
	return nil
}

// httpServer is the HTTP server with its timeouts and, with TLS, certificates from
// files or from ACME.
func (o *options) httpServer(handler http.Handler, logger *log.Logger, useTLS bool) *http.Server {
	hs := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 60 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 2 * time.Minute, ErrorLog: logger}
	if !useTLS {
		return hs
	}
	hs.TLSConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	if o.acmeDomains != "" {
		cache := o.acmeCache
		if cache == "" {
			cache = o.data + "/acme"
		}
		m := &autocert.Manager{Prompt: autocert.AcceptTOS, Cache: autocert.DirCache(cache), Email: o.acmeEmail,
			HostPolicy: autocert.HostWhitelist(strings.Split(o.acmeDomains, ",")...)}
		hs.TLSConfig = m.TLSConfig()
	}
	return hs
}

// run serves until the process is interrupted, sweeping expired records every minute.
func (o *options) run(hs *http.Server, ln net.Listener, srv *cloud.Server, logger *log.Logger, useTLS bool) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() {
		if useTLS {
			errc <- hs.ServeTLS(ln, o.tlsCert, o.tlsKey)
		} else {
			errc <- hs.Serve(ln)
		}
	}()
	tick := time.NewTicker(time.Minute)
	defer tick.Stop()
	for {
		select {
		case err := <-errc:
			return err
		case <-tick.C:
			if err := srv.Sweep(); err != nil {
				logger.Printf("sweep: %v", err)
			}
		case <-ctx.Done():
			sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			err := hs.Shutdown(sctx)
			cancel()
			return err
		}
	}
}
