package cloudtest

import (
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"time"
)

// Browser plays the person at the system browser during a quick sign-in: it follows
// the app's start URL to the fake provider's page, allows (or denies) access for
// Email, and follows the redirects back to the app's loopback listener. With
// FirstSignIn it also completes the portal's welcome step (region eu, terms and
// statement accepted) that creates a provider-only account.
type Browser struct {
	Email       string
	Deny        bool
	FirstSignIn bool
	// Errorf reports a failure (t.Errorf); the browser runs on its own goroutine.
	Errorf func(format string, args ...any)
}

// Open is what the app calls to open the system browser: it starts the visit and
// returns at once, as a real browser does.
func (b Browser) Open(start string) error {
	go b.visit(start)
	return nil
}

func (b Browser) visit(start string) {
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	resp, err := hc.Get(start)
	if err != nil {
		b.Errorf("browser: %v", err)
		return
	}
	resp.Body.Close()
	decision := "allow"
	if b.Deny {
		decision = "deny"
	}
	resp, err = hc.PostForm(resp.Request.URL.String(), url.Values{"email": {b.Email}, "decision": {decision}})
	if err != nil {
		b.Errorf("browser: %v", err)
		return
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !b.FirstSignIn {
		return
	}
	page := string(body)
	welcome := resp.Request.URL.ResolveReference(&url.URL{Path: "/portal/welcome"})
	resp, err = hc.PostForm(welcome.String(), url.Values{"csrf": {formField(page, "csrf")}, "pending": {formField(page, "pending")},
		"region": {"eu"}, "terms": {"on"}, "data_provision": {"on"}})
	if err != nil {
		b.Errorf("browser: %v", err)
		return
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
}

// formField reads a hidden field's value from an HTML page.
func formField(page, name string) string {
	m := regexp.MustCompile(`name="` + regexp.QuoteMeta(name) + `" value="([^"]*)"`).FindStringSubmatch(page)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}
