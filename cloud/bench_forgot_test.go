package cloud

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/valvpm/valv/cloud/api"
)

// slowSMTP stands in for a mail server that takes a while per message, as a real one
// over the internet does; the answer to "forgot password" must not include that time.
type slowSMTP struct{ per time.Duration }

func (m slowSMTP) SendEmail(_, _, _, _, _ string) error {
	time.Sleep(m.per) // the remote server's time, simulated; nothing waits on it to synchronise
	return nil
}

// BenchmarkForgotPassword measures the answer to POST /v1/password/forgot for an
// address with an account and for one without, over HTTP, with a mail server that
// takes 10 ms per message. Equal times mean the answer does not tell whether the
// address has an account (the mail goes out from the queue, after the answer).
func BenchmarkForgotPassword(b *testing.B) {
	for _, tc := range []struct{ name, email string }{
		{"known-email", "known@example.com"},
		{"unknown-email", "nobody@example.com"},
	} {
		b.Run(tc.name, func(b *testing.B) {
			e := newEnv(b, func(c *Config) {
				c.Mailer = slowSMTP{per: 10 * time.Millisecond}
				c.TrustSignUpEmails = true
				c.RateLimits = RateLimits{PerIP: 1 << 30, PerAccount: 1 << 30}
			})
			e.signUp("known@example.com", testPassword)
			body, err := json.Marshal(api.ForgotRequest{Email: tc.email})
			if err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for b.Loop() {
				resp, err := http.Post(e.base+api.PathPasswordForgot, api.ContentTypeJSON, bytes.NewReader(body))
				if err != nil {
					b.Fatal(err)
				}
				_, err = io.Copy(io.Discard, resp.Body)
				if cerr := resp.Body.Close(); err == nil {
					err = cerr
				}
				if err != nil || resp.StatusCode != http.StatusAccepted {
					b.Fatalf("forgot answered %s, %v", resp.Status, err)
				}
			}
		})
	}
}
