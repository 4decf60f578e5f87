package cloud

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestAttackPlainTransportBehindProxy (Low): behind a TLS-terminating proxy (-base-url
// https://…) every answer asks browsers to use HTTPS only (HSTS) and every cookie is
// Secure, so nothing travels in clear after the first visit.
func TestAttackPlainTransportBehindProxy(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.BaseURL = "https://valv.example" })
	c := noRedirectClient()
	for _, path := range []string{"/healthz", "/portal/signin"} {
		resp, err := c.Get(e.base + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if hsts := resp.Header.Get("Strict-Transport-Security"); !strings.Contains(hsts, "max-age=") {
			t.Errorf("%s: Strict-Transport-Security %q", path, hsts)
		}
		for _, ck := range resp.Cookies() {
			if !ck.Secure {
				t.Errorf("%s: cookie %s is not Secure", path, ck.Name)
			}
		}
	}
	// A plain-HTTP deployment on loopback has no reason to pin HTTPS.
	plain := newEnv(t)
	resp, err := http.Get(plain.base + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.Header.Get("Strict-Transport-Security") != "" {
		t.Error("HSTS on a plain-HTTP server")
	}
}

// fakeSMTP is an SMTP server on loopback that records the commands it gets; with cert
// it offers STARTTLS.
type fakeSMTP struct {
	addr     string
	cert     *tls.Certificate
	implicit bool // TLS from the first byte (port 465 style)
	mu       sync.Mutex
	cmds     []string
	tls      bool // a message was received over TLS
}

func startSMTP(t *testing.T, cert *tls.Certificate, implicit bool) *fakeSMTP {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeSMTP{addr: ln.Addr().String(), cert: cert, implicit: implicit}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go f.serve(conn)
		}
	}()
	return f
}

func (f *fakeSMTP) serve(conn net.Conn) {
	defer conn.Close()
	secure := false
	if f.implicit {
		tc := tls.Server(conn, &tls.Config{Certificates: []tls.Certificate{*f.cert}})
		if tc.Handshake() != nil {
			return
		}
		conn, secure = tc, true
	}
	r, w := bufio.NewReader(conn), conn
	say := func(s string) { _, _ = w.Write([]byte(s + "\r\n")) }
	say("220 fake ESMTP")
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.ToUpper(strings.TrimSpace(line))
		f.mu.Lock()
		f.cmds = append(f.cmds, strings.Fields(cmd + " x")[0])
		f.mu.Unlock()
		switch {
		case strings.HasPrefix(cmd, "EHLO"):
			if f.cert != nil && !secure {
				say("250-fake\r\n250-STARTTLS\r\n250 8BITMIME")
			} else {
				say("250-fake\r\n250 8BITMIME")
			}
		case cmd == "STARTTLS" && f.cert != nil:
			say("220 go ahead")
			tc := tls.Server(conn, &tls.Config{Certificates: []tls.Certificate{*f.cert}})
			if tc.Handshake() != nil {
				return
			}
			conn, secure = tc, true
			r, w = bufio.NewReader(tc), tc
		case cmd == "DATA":
			say("354 end with .")
			for {
				l, err := r.ReadString('\n')
				if err != nil || l == ".\r\n" {
					break
				}
			}
			f.mu.Lock()
			f.tls = f.tls || secure
			f.mu.Unlock()
			say("250 queued")
		case cmd == "QUIT":
			say("221 bye")
			return
		default:
			say("250 ok")
		}
	}
}

func (f *fakeSMTP) saw(cmd string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, c := range f.cmds {
		if c == cmd {
			return true
		}
	}
	return false
}

func selfSigned(t *testing.T) (*tls.Certificate, *x509.CertPool) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return &tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, pool
}

// TestAttackSMTPInClear (Low): a mail server (or someone in between) that does not
// offer STARTTLS gets nothing: the mailer refuses before sending the message, which
// holds codes and links. With STARTTLS the message goes over TLS.
func TestAttackSMTPInClear(t *testing.T) {
	plain := startSMTP(t, nil, false)
	m := &SMTPMailer{Addr: plain.addr, From: "valv@example.com"}
	if err := m.SendEmail("ann@example.com", "Your code", "Code 123456", "123456", ""); err == nil {
		t.Error("sent without TLS")
	}
	if plain.saw("MAIL") || plain.saw("DATA") {
		t.Error("the message started in clear")
	}
	cert, pool := selfSigned(t)
	for _, implicit := range []bool{false, true} {
		secure := startSMTP(t, cert, implicit)
		m = &SMTPMailer{Addr: secure.addr, From: "valv@example.com", ImplicitTLS: implicit, TLSConfig: &tls.Config{RootCAs: pool}}
		if err := m.SendEmail("ann@example.com", "Your code", "Code 123456", "123456", ""); err != nil {
			t.Fatalf("implicit=%v: %v", implicit, err)
		}
		secure.mu.Lock()
		ok := secure.tls
		secure.mu.Unlock()
		if !ok {
			t.Errorf("implicit=%v: the message did not go over TLS", implicit)
		}
	}
}
