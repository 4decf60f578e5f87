package cloud

import (
	"bytes"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"log"
	"net"
	"net/http"
	"net/smtp"
	"strings"
	"sync"
	"time"

	"github.com/valvpm/valv/cloud/api"
)

// Mailer sends e-mail. code and link repeat what body contains so the dev outbox can
// show them apart; real senders ignore them.
type Mailer interface {
	SendEmail(to, subject, body, code, link string) error
}

// SMSSender sends text messages; code is for the dev outbox only.
type SMSSender interface {
	SendSMS(to, text, code string) error
}

// discardSender is used when no sender is configured: it logs that a message was
// dropped, never its content (which holds codes).
type discardSender struct{ log *log.Logger }

func (d discardSender) SendEmail(string, string, string, string, string) error {
	d.log.Printf("no mailer configured: dropped an e-mail")
	return nil
}

func (d discardSender) SendSMS(string, string, string) error {
	d.log.Printf("no SMS gateway configured: dropped an SMS")
	return nil
}

// Outbox is the dev-mode Mailer and SMSSender: it keeps the last messages in memory,
// shows them at /dev/outbox (HTML, or JSON for Accept: application/json) and echoes
// them to Echo (stderr in valv-cloud -dev). Codes appear here on purpose: it is where a
// developer reads them. Never use it in production.
type Outbox struct {
	Echo  io.Writer
	Clock Clock

	mu      sync.Mutex
	msgs    []api.OutboxMessage
	next    int
	arrived chan struct{} // closed and replaced whenever a message is added
}

const outboxKeep = 500

func (o *Outbox) add(m api.OutboxMessage) {
	o.mu.Lock()
	o.next++
	m.ID = o.next
	if o.Clock != nil {
		m.SentAt = o.Clock.Now()
	} else {
		m.SentAt = time.Now()
	}
	o.msgs = append(o.msgs, m)
	if len(o.msgs) > outboxKeep {
		o.msgs = append([]api.OutboxMessage(nil), o.msgs[len(o.msgs)-outboxKeep:]...)
	}
	if o.arrived != nil {
		close(o.arrived)
		o.arrived = nil
	}
	o.mu.Unlock()
	if o.Echo != nil {
		fmt.Fprintf(o.Echo, "[dev outbox] %s to %s: %s\n", m.Kind, m.To, strings.ReplaceAll(firstNonEmpty(m.Subject+" — "+m.Body, m.Body), "\n", " "))
	}
}

func firstNonEmpty(a, b string) string {
	if strings.HasPrefix(a, " — ") {
		return b
	}
	return a
}

// SendEmail implements Mailer.
func (o *Outbox) SendEmail(to, subject, body, code, link string) error {
	o.add(api.OutboxMessage{Kind: "email", To: to, Subject: subject, Body: body, Code: code, Link: link})
	return nil
}

// SendSMS implements SMSSender.
func (o *Outbox) SendSMS(to, text, code string) error {
	o.add(api.OutboxMessage{Kind: "sms", To: to, Body: text, Code: code})
	return nil
}

// WaitFor waits up to timeout for a kept message that ok accepts (the newest such) —
// mail such as a reset link is sent from a queue, after the request has answered.
func (o *Outbox) WaitFor(timeout time.Duration, ok func(api.OutboxMessage) bool) (api.OutboxMessage, bool) {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		o.mu.Lock()
		for i := len(o.msgs) - 1; i >= 0; i-- {
			if ok(o.msgs[i]) {
				m := o.msgs[i]
				o.mu.Unlock()
				return m, true
			}
		}
		if o.arrived == nil {
			o.arrived = make(chan struct{})
		}
		arrived := o.arrived
		o.mu.Unlock()
		select {
		case <-arrived:
		case <-deadline.C:
			return api.OutboxMessage{}, false
		}
	}
}

// Messages returns a copy of the kept messages, oldest first.
func (o *Outbox) Messages() []api.OutboxMessage {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]api.OutboxMessage{}, o.msgs...)
}

var outboxPage = template.Must(template.New("outbox").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Valv dev outbox</title>
<meta http-equiv="refresh" content="5">
<style>body{font:15px system-ui,sans-serif;margin:2rem;color:#222}table{border-collapse:collapse;width:100%}
td,th{border-bottom:1px solid #ddd;padding:.4rem;text-align:left;vertical-align:top}code{font-size:1.2em;background:#eef;padding:0 .3em}</style>
</head><body><h1>Dev outbox</h1><p>E-mail and SMS that valv-cloud -dev would have sent. Newest first; refreshes every 5 s.</p>
<table><tr><th>#</th><th>Kind</th><th>To</th><th>Subject / text</th><th>Code</th><th>Link</th></tr>
{{range .}}<tr><td>{{.ID}}</td><td>{{.Kind}}</td><td>{{.To}}</td><td>{{if .Subject}}<b>{{.Subject}}</b><br>{{end}}{{.Body}}</td>
<td>{{if .Code}}<code class="code">{{.Code}}</code>{{end}}</td><td>{{if .Link}}<a href="{{.Link}}">open</a>{{end}}</td></tr>{{else}}<tr><td colspan="6">Nothing sent yet.</td></tr>{{end}}
</table></body></html>`))

// ServeHTTP serves the outbox page, or JSON when the client asks for it.
func (o *Outbox) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	msgs := o.Messages()
	if strings.Contains(r.Header.Get("Accept"), api.ContentTypeJSON) {
		writeJSON(w, http.StatusOK, api.OutboxResponse{Messages: msgs})
		return
	}
	rev := make([]api.OutboxMessage, len(msgs))
	for i, m := range msgs {
		rev[len(msgs)-1-i] = m
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := outboxPage.Execute(w, rev); err != nil {
		log.Printf("dev outbox: %v", err)
	}
}

// SMTPMailer sends e-mail through an SMTP server, always over TLS: STARTTLS, which a
// server that does not offer it is refused for (the messages hold codes and links),
// or implicit TLS on port 465 (or with ImplicitTLS).
type SMTPMailer struct {
	Addr     string // host:port
	From     string
	Username string
	Password string
	// ImplicitTLS speaks TLS from the first byte (SMTPS); port 465 implies it.
	ImplicitTLS bool
	// TLSConfig verifies the mail server (nil: the system roots, the host of Addr).
	TLSConfig *tls.Config
}

// ErrSMTPNoTLS: the mail server does not offer STARTTLS.
var ErrSMTPNoTLS = errors.New("cloud: the mail server does not offer STARTTLS; refusing to send in clear")

// SendEmail implements Mailer.
func (m *SMTPMailer) SendEmail(to, subject, body, _, _ string) error {
	if err := m.send(to, subject, body); err != nil {
		return fmt.Errorf("cloud: send e-mail via %s: %w", m.Addr, err)
	}
	return nil
}

func (m *SMTPMailer) send(to, subject, body string) error {
	host, port, err := net.SplitHostPort(m.Addr)
	if err != nil {
		return err
	}
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if m.TLSConfig != nil {
		cfg = m.TLSConfig.Clone()
	}
	if cfg.ServerName == "" {
		cfg.ServerName = host
	}
	d := &net.Dialer{Timeout: 30 * time.Second}
	var conn net.Conn
	if m.ImplicitTLS || port == "465" {
		conn, err = tls.DialWithDialer(d, "tcp", m.Addr, cfg)
	} else {
		conn, err = d.Dial("tcp", m.Addr)
	}
	if err != nil {
		return err
	}
	if err := conn.SetDeadline(time.Now().Add(time.Minute)); err != nil {
		return errors.Join(err, conn.Close())
	}
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		return errors.Join(err, conn.Close())
	}
	if err := m.deliver(c, cfg, to, subject, body); err != nil {
		return errors.Join(err, c.Close())
	}
	return c.Quit()
}

// deliver runs the SMTP conversation after the greeting.
func (m *SMTPMailer) deliver(c *smtp.Client, cfg *tls.Config, to, subject, body string) error {
	if _, isTLS := c.TLSConnectionState(); !isTLS {
		if ok, _ := c.Extension("STARTTLS"); !ok {
			return ErrSMTPNoTLS
		}
		if err := c.StartTLS(cfg); err != nil {
			return err
		}
	}
	if m.Username != "" {
		if err := c.Auth(smtp.PlainAuth("", m.Username, m.Password, cfg.ServerName)); err != nil {
			return err
		}
	}
	if err := c.Mail(m.From); err != nil {
		return err
	}
	if err := c.Rcpt(to); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	msg := "From: " + m.From + "\r\nTo: " + to + "\r\nSubject: " + subject +
		"\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + body + "\r\n"
	if _, err := io.WriteString(w, msg); err != nil {
		return errors.Join(err, w.Close())
	}
	return w.Close()
}

// WebhookSMS posts {"to": "...", "text": "..."} as JSON to an SMS gateway's URL.
type WebhookSMS struct {
	URL    string
	Client *http.Client
}

// SendSMS implements SMSSender.
func (h *WebhookSMS) SendSMS(to, text, _ string) error {
	body, err := json.Marshal(map[string]string{"to": to, "text": text})
	if err != nil {
		return err
	}
	c := h.Client
	if c == nil {
		c = &http.Client{Timeout: 10 * time.Second}
	}
	resp, err := c.Post(h.URL, api.ContentTypeJSON, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("cloud: SMS webhook: %w", err)
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	if err := resp.Body.Close(); err != nil {
		return fmt.Errorf("cloud: SMS webhook: %w", err)
	}
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("cloud: SMS webhook answered %s", resp.Status)
	}
	return nil
}
