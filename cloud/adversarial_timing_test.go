package cloud

import (
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/valvpm/valv/cloud/api"
)

// heldMailer holds every e-mail until released, like a slow SMTP server.
type heldMailer struct {
	release chan struct{}
	mu      sync.Mutex
	sent    []string
}

func (m *heldMailer) SendEmail(to, _, _, _, _ string) error {
	<-m.release
	m.mu.Lock()
	m.sent = append(m.sent, to)
	m.mu.Unlock()
	return nil
}

// TestAttackForgotTimingOracle (Low): the answer to "forgot password" must not wait
// for the e-mail, or its time tells whether the address has an account. The mailer
// here never finishes until the test lets it: the answers come anyway, and the same
// for a known and an unknown address; the mail goes out afterwards.
func TestAttackForgotTimingOracle(t *testing.T) {
	m := &heldMailer{release: make(chan struct{})}
	e := newEnv(t, func(c *Config) { c.Mailer = m; c.TrustSignUpEmails = true })
	var once sync.Once
	release := func() { once.Do(func() { close(m.release) }) }
	t.Cleanup(release) // before the server closes, even when the test fails
	e.signUp("known@example.com", testPassword)
	client := &http.Client{Timeout: 10 * time.Second} // an answer that waits for the mailer would hang
	for _, email := range []string{"known@example.com", "unknown@example.com"} {
		ec := *e
		ec.hc = client
		st, ae, err := ec.try("POST", api.PathPasswordForgot, "", api.ForgotRequest{Email: email}, nil)
		if err != nil || ae != nil || st != http.StatusAccepted {
			t.Fatalf("forgot %s: %d %v %v", email, st, ae, err)
		}
	}
	release()
	if err := e.srv.Close(); err != nil { // drains the queue
		t.Fatal(err)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.sent) != 1 || m.sent[0] != "known@example.com" {
		t.Fatalf("sent %v, want only the known address", m.sent)
	}
}
