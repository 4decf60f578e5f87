package account

import (
	"bytes"
	"context"
	"errors"
	"image/png"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/valvpm/valv/cloud/api"
	"github.com/valvpm/valv/cloud/cloudtest"
)

const goodPassword = "Valv-Acc0unt"

func TestCreateAccountRules(t *testing.T) {
	env := cloudtest.Start(t)
	c, store := newClient(t, env)
	f := c.NewFlow("")
	for _, tc := range []struct {
		form CreateForm
		want error
	}{
		{CreateForm{Email: "not-an-email", Password: goodPassword, Confirm: goodPassword}, ErrInvalidEmail},
		{CreateForm{Email: "ayu@example.com", Password: "Short1a", Confirm: "Short1a"}, ErrPasswordRules},
		{CreateForm{Email: "ayu@example.com", Password: "nodigitsHere", Confirm: "nodigitsHere"}, ErrPasswordRules},
		{CreateForm{Email: "ayu@example.com", Password: "nouppercase1", Confirm: "nouppercase1"}, ErrPasswordRules},
		{CreateForm{Email: "ayu@example.com", Password: "NOLOWERCASE1", Confirm: "NOLOWERCASE1"}, ErrPasswordRules},
		{CreateForm{Email: "ayu@example.com", Password: "Has space 1a", Confirm: "Has space 1a"}, ErrPasswordRules},
		{CreateForm{Email: "ayu@example.com", Password: goodPassword, Confirm: goodPassword + "x"}, ErrPasswordsDiffer},
	} {
		st, err := f.CreateAccount(bg, tc.form)
		if !errors.Is(err, tc.want) || st.Step != StepCredentials {
			t.Errorf("%+v: %v at %s, want %v", tc.form, err, st.Step, tc.want)
		}
	}
	// The server enforces the same rules even if a client skips them.
	_, err := c.createAccount(bg, api.CreateAccountRequest{Email: "ayu@example.com", Password: "weak", AcceptTerms: true, Region: "eu"})
	if ae, ok := Details(err); !ok || !errors.Is(err, ErrPasswordRules) || len(ae.Body.BrokenRules) < 3 {
		t.Errorf("server-side rules: %v", err)
	}

	st, err := f.CreateAccount(bg, CreateForm{Email: "ayu@example.com", Password: goodPassword, Confirm: goodPassword, MarketingConsent: true, Region: "eu"})
	if err != nil || st.Step != StepConnected {
		t.Fatalf("create: %v at %s", err, st.Step)
	}
	if st.Account.Email != "ayu@example.com" || !st.Account.MarketingConsent || st.Licence != nil || st.Entitlements.Plan == "" {
		t.Errorf("connected state %+v", st)
	}
	if s, _ := store.Load(strings.TrimPrefix(env.URL, "http://")); s == nil || s.Email != "ayu@example.com" {
		t.Errorf("session not stored: %+v", s)
	}
	// The same e-mail cannot be registered twice.
	_, err = c.NewFlow("").CreateAccount(bg, CreateForm{Email: "AYU@example.com", Password: goodPassword, Confirm: goodPassword, Region: "eu"})
	if !errors.Is(err, ErrEmailTaken) {
		t.Errorf("second registration: %v", err)
	}
}

func TestPasswordChecklist(t *testing.T) {
	got := ""
	for _, r := range CheckPassword("abc 1") {
		if r.OK {
			got += r.Key + " "
		}
	}
	if got != "digit lowercase " {
		t.Errorf("satisfied rules for %q: %q", "abc 1", got)
	}
	if !PasswordOK("Åsa-Lösen9") {
		t.Error("non-ASCII letters count as lower/upper case")
	}
	// The server's length cap is the client's too, though no checklist line shows it.
	long := "Aa1" + strings.Repeat("x", api.MaxPasswordBytes)
	if PasswordOK(long) || len(CheckPassword(long)) != 5 {
		t.Errorf("a password over %d bytes: ok=%v, checklist %v", api.MaxPasswordBytes, PasswordOK(long), CheckPassword(long))
	}
}

func TestSignInCaptchaAfterFailures(t *testing.T) {
	env := cloudtest.Start(t)
	createAccount(t, env, "ayu@example.com", goodPassword, "eu")
	c, _ := newClient(t, env)
	f := c.NewFlow("ayu@example.com")
	for i := range 3 {
		st, err := f.SignIn(bg, "ayu@example.com", "Wrong-pass1")
		if !errors.Is(err, ErrInvalidCredentials) || st.Step != StepCredentials {
			t.Fatalf("failure %d: %v at %s", i+1, err, st.Step)
		}
	}
	// An unknown e-mail fails the same way: nothing tells whether the account exists.
	if _, err := c.NewFlow("").SignIn(bg, "nobody@example.com", "Wrong-pass1"); !errors.Is(err, ErrInvalidCredentials) {
		t.Errorf("unknown e-mail: %v", err)
	}
	st, err := f.SignIn(bg, "ayu@example.com", goodPassword)
	if !errors.Is(err, ErrCaptchaRequired) || st.Step != StepCaptcha || st.Captcha == nil {
		t.Fatalf("after 3 failures: %v at %s", err, st.Step)
	}
	if img, err := png.Decode(bytes.NewReader(st.Captcha.ImagePNG)); err != nil || img.Bounds().Dx() < 50 {
		t.Errorf("captcha picture: %v", err)
	}
	first := st.Captcha.ID
	st, err = f.AnswerCaptcha(bg, "99999", "")
	if !errors.Is(err, ErrCaptchaWrong) || st.Step != StepCaptcha || st.Captcha == nil || st.Captcha.ID == first {
		t.Fatalf("wrong answer: %v at %s (new picture: %v)", err, st.Step, st.Captcha != nil && st.Captcha.ID != first)
	}
	st, err = f.AnswerCaptcha(bg, "12345", "")
	if err != nil || st.Step != StepConnected || st.Account.Email != "ayu@example.com" {
		t.Fatalf("right answer: %v at %s", err, st.Step)
	}
}

func TestCaptchaExpires(t *testing.T) {
	env := cloudtest.Start(t)
	createAccount(t, env, "ayu@example.com", goodPassword, "eu")
	c, _ := newClient(t, env)
	f := c.NewFlow("")
	for range 3 {
		f.SignIn(bg, "ayu@example.com", "Wrong-pass1")
	}
	if st, _ := f.SignIn(bg, "ayu@example.com", goodPassword); st.Step != StepCaptcha {
		t.Fatalf("no captcha: %s", st.Step)
	}
	env.Clock.Advance(2*time.Minute + time.Second)
	st, err := f.AnswerCaptcha(bg, "12345", "")
	if !errors.Is(err, ErrCaptchaWrong) || st.Step != StepCaptcha {
		t.Errorf("expired captcha: %v at %s", err, st.Step)
	}
}

// seedDemo adds the dev demo accounts (bob has two-step SMS and two licences).
func seedDemo(t *testing.T, env *cloudtest.Env) {
	t.Helper()
	if _, err := env.Server.SeedDemo(); err != nil {
		t.Fatal(err)
	}
}

func TestSMSCodeAndChooseSubscription(t *testing.T) {
	env := cloudtest.Start(t)
	seedDemo(t, env)
	c, _ := newClient(t, env)
	f := c.NewFlow("bob@example.com")
	st, err := f.SignIn(bg, "bob@example.com", "Bob-demo-1")
	if err != nil || st.Step != StepSMSCode || st.SMS == nil {
		t.Fatalf("sign-in: %v at %s", err, st.Step)
	}
	if got := st.SMS.ExpiresAt.Sub(env.Clock.Now()); got != 5*time.Minute {
		t.Errorf("code valid for %v, want 5m", got)
	}
	if got := st.SMS.ResendAt.Sub(env.Clock.Now()); got != 30*time.Second {
		t.Errorf("resend after %v, want 30s", got)
	}
	firstCode := env.LastCode(t, "+15550100200")
	st, err = f.ConfirmSMS(bg, wrongCode(firstCode))
	if !errors.Is(err, ErrCodeWrong) || st.Step != StepSMSCode || st.TriesLeft != 4 {
		t.Fatalf("wrong code: %v at %s, %d tries left", err, st.Step, st.TriesLeft)
	}
	if _, err := f.ResendSMS(bg); !errors.Is(err, ErrResendTooEarly) {
		t.Fatalf("resend at once: %v", err)
	}
	env.Clock.Advance(31 * time.Second)
	if st, err = f.ResendSMS(bg); err != nil || st.TriesLeft != 0 {
		t.Fatalf("resend after 31s: %v", err)
	}
	newCode := env.LastCode(t, "+15550100200")
	if newCode != firstCode {
		if _, err := f.ConfirmSMS(bg, firstCode); err == nil {
			t.Fatal("the old code still worked after a resend")
		}
	}
	st, err = f.ConfirmSMS(bg, newCode)
	if err != nil || st.Step != StepChooseSubscription || len(st.Licences) != 2 {
		t.Fatalf("right code: %v at %s with %d licences", err, st.Step, len(st.Licences))
	}
	if _, err := f.ChooseLicence("no-such-licence"); err == nil {
		t.Error("an unlisted licence was accepted")
	}
	pick := st.Licences[1]
	st, err = f.ChooseLicence(pick.ID)
	if err != nil || st.Step != StepConnected || st.Licence.ID != pick.ID || st.Entitlements != pick.Entitlements {
		t.Fatalf("choose: %v at %s", err, st.Step)
	}
}

func wrongCode(code string) string {
	if code == "000000" {
		return "111111"
	}
	return "000000"
}

func TestSMSCodeExpiresAndTooManyTries(t *testing.T) {
	env := cloudtest.Start(t)
	seedDemo(t, env)
	c, _ := newClient(t, env)
	f := c.NewFlow("")
	if st, err := f.SignIn(bg, "bob@example.com", "Bob-demo-1"); err != nil || st.Step != StepSMSCode {
		t.Fatal(err)
	}
	code := env.LastCode(t, "+15550100200")
	env.Clock.Advance(5*time.Minute + time.Second)
	if st, err := f.ConfirmSMS(bg, code); !errors.Is(err, ErrCodeExpired) || st.Step != StepSMSCode {
		t.Fatalf("expired code: %v at %s", err, st.Step)
	}
	// A new sign-in, then five wrong codes end the challenge.
	if st, err := f.SignIn(bg, "bob@example.com", "Bob-demo-1"); err != nil || st.Step != StepSMSCode {
		t.Fatal(err)
	}
	code = env.LastCode(t, "+15550100200")
	var st State
	var err error
	for range 5 {
		st, err = f.ConfirmSMS(bg, wrongCode(code))
	}
	if !errors.Is(err, ErrTooManyTries) || st.Step != StepCredentials {
		t.Fatalf("after 5 wrong codes: %v at %s", err, st.Step)
	}
}

func TestDataProvisionRegion(t *testing.T) {
	env := cloudtest.Start(t)
	c, _ := newClient(t, env)
	f := c.NewFlow("")
	st, err := f.CreateAccount(bg, CreateForm{Email: "ivan@example.com", Password: goodPassword, Confirm: goodPassword, Region: "ru"})
	if !errors.Is(err, ErrDataProvision) || st.Step != StepDataProvision || st.Statement == nil || st.Statement.URL == "" {
		t.Fatalf("create in ru: %v at %s", err, st.Step)
	}
	st, err = f.AcceptDataProvision(bg)
	if err != nil || st.Step != StepConnected || !st.Account.DataProvisionAccepted {
		t.Fatalf("accept and connect: %v at %s", err, st.Step)
	}
}

func TestQuickSignIn(t *testing.T) {
	env := cloudtest.Start(t)
	createAccount(t, env, "quick@example.com", goodPassword, "eu")
	c, _ := newClient(t, env)
	f := c.NewFlow("")
	ctx, cancel := context.WithTimeout(bg, 20*time.Second)
	defer cancel()
	st, err := f.QuickSignIn(ctx, "google", "eu", browser(t, "quick@example.com", true))
	if err != nil || st.Step != StepConnected || st.Account.Email != "quick@example.com" {
		t.Fatalf("quick sign-in: %v at %s", err, st.Step)
	}
	if !c.SignedIn() {
		t.Error("no session after quick sign-in")
	}

	// Denied at the provider: a clear error, still at the first step.
	c2, _ := newClient(t, env)
	st, err = c2.NewFlow("").QuickSignIn(ctx, "google", "eu", browser(t, "quick@example.com", false))
	if !errors.Is(err, ErrProviderFailed) || st.Step != StepCredentials || c2.SignedIn() {
		t.Errorf("denied: %v at %s", err, st.Step)
	}

	// A provider the region does not offer is refused before any browser opens.
	opened := false
	_, err = c2.NewFlow("").QuickSignIn(ctx, "yandex", "eu", func(string) error { opened = true; return nil })
	if !errors.Is(err, ErrUnknownProvider) || opened {
		t.Errorf("provider not offered: %v (browser opened: %v)", err, opened)
	}
}

func TestQuickSignInCancelAndForeignState(t *testing.T) {
	env := cloudtest.Start(t)
	c, _ := newClient(t, env)
	ctx, cancel := context.WithCancel(bg)
	done := make(chan error, 1)
	go func() {
		_, err := c.NewFlow("").QuickSignIn(ctx, "google", "eu", func(start string) error {
			u, _ := url.Parse(start)
			redirect := u.Query().Get("redirect_uri")
			// Another page hits the listener with a state that is not ours: refused.
			resp, err := http.Get(redirect + "?code=stolen&state=not-ours")
			if err != nil {
				return err
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusBadRequest {
				t.Errorf("foreign state: HTTP %d", resp.StatusCode)
			}
			cancel()
			return nil
		})
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, ErrCancelled) {
			t.Errorf("cancelled: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("cancel did not stop the wait")
	}
	if c.SignedIn() {
		t.Error("signed in with a foreign code")
	}
}

func TestRefreshAndSignOut(t *testing.T) {
	env := cloudtest.Start(t)
	createAccount(t, env, "ayu@example.com", goodPassword, "eu")
	c, store := newClient(t, env)
	if _, err := c.NewFlow("").SignIn(bg, "ayu@example.com", goodPassword); err != nil {
		t.Fatal(err)
	}
	host := strings.TrimPrefix(env.URL, "http://")
	before, _ := store.Load(host)
	env.Clock.Advance(20 * time.Minute) // past the access token's life
	a, err := c.Account(bg)
	if err != nil || a.Email != "ayu@example.com" {
		t.Fatalf("account after access expiry: %v", err)
	}
	after, _ := store.Load(host)
	if after.RefreshToken == before.RefreshToken {
		t.Error("the refresh token did not rotate")
	}
	// A new client picks the stored session up (an app restart).
	c2, err := New(env.URL, Options{Store: store, Now: env.Clock.Now})
	if err != nil || !c2.SignedIn() || c2.Email() != "ayu@example.com" {
		t.Fatalf("restart: %v", err)
	}
	if _, err := c2.Account(bg); err != nil {
		t.Fatalf("restart account: %v", err)
	}
	if err := c2.SignOut(bg); err != nil {
		t.Fatal(err)
	}
	if s, _ := store.Load(host); s != nil || c2.SignedIn() {
		t.Error("session kept after sign-out")
	}
	// The server forgot it too: the old refresh token no longer works.
	c3, _ := New(env.URL, Options{Store: &MemoryStore{m: map[string]StoredSession{host: *after}}, Now: env.Clock.Now})
	if _, err := c3.Account(bg); !errors.Is(err, ErrSessionExpired) {
		t.Errorf("revoked session: %v", err)
	}
}

func TestURLChecks(t *testing.T) {
	for raw, ok := range map[string]bool{
		"https://cloud.valv.example": true, "http://127.0.0.1:8080": true, "http://localhost:1": true, "http://[::1]:9": true,
		"http://cloud.valv.example": false, "ftp://x": false, "http://10.0.0.5": false, "": false,
	} {
		_, err := New(raw, Options{})
		if (err == nil) != ok {
			t.Errorf("New(%q) = %v", raw, err)
		}
		if !ok && raw != "" && raw != "ftp://x" && !errors.Is(err, ErrInsecureURL) {
			t.Errorf("New(%q): %v, want ErrInsecureURL", raw, err)
		}
	}
}

func TestNetworkFailures(t *testing.T) {
	env := cloudtest.Start(t)
	c, _ := newClient(t, env)
	env.HTTP.Close()
	if _, err := c.NewFlow("").SignIn(bg, "a@example.com", goodPassword); !errors.Is(err, ErrServerUnreachable) {
		t.Errorf("server down: %v", err)
	}
	c2, _ := New("https://valv-cloud.invalid", Options{})
	if _, err := c2.Health(bg); !errors.Is(err, ErrOffline) {
		t.Errorf("unresolvable host: %v", err)
	}
}

// TestMaliciousServer: a server that answers nonsense, huge bodies or redirects to
// plain HTTP elsewhere gets a clear error, never a panic or a hang.
func TestMaliciousServer(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/v1/sessions", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("{not json"))
	})
	mux.HandleFunc("/v1/regions", func(w http.ResponseWriter, r *http.Request) {
		chunk := bytes.Repeat([]byte("x"), 1<<20)
		for range 70 {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://evil.example/steal", http.StatusFound)
	})
	mux.HandleFunc("/v1/account", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusTeapot)
	})
	srv := httptestServer(t, mux)
	c, _ := New(srv, Options{})
	if _, err := c.NewFlow("").SignIn(bg, "a@example.com", goodPassword); !errors.Is(err, ErrServer) {
		t.Errorf("garbage: %v", err)
	}
	if _, err := c.Regions(bg); !errors.Is(err, ErrServer) {
		t.Errorf("huge body: %v", err)
	}
	if _, err := c.Health(bg); !errors.Is(err, ErrInsecureURL) {
		t.Errorf("redirect to plain http: %v", err)
	}
	c.refresh = "x"
	if _, err := c.Account(bg); err == nil {
		t.Error("418 accepted")
	}
}

func TestOtherOSUsers(t *testing.T) {
	env := cloudtest.Start(t)
	createAccount(t, env, "shared@example.com", goodPassword, "eu")
	tag := machineTag()
	for _, name := range []string{"Valv for Linux on pc (someone-else) #" + tag, "Valv for Linux on other-pc (far-away) #ffffffff", ClientName("Valv")} {
		c, err := New(env.URL, Options{ClientName: name, Now: env.Clock.Now})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.NewFlow("").SignIn(bg, "shared@example.com", goodPassword); err != nil {
			t.Fatal(err)
		}
		if name == ClientName("Valv") {
			others, err := c.OtherOSUsers(bg)
			if err != nil || len(others) != 1 || others[0] != "someone-else" {
				t.Errorf("other OS users = %v, %v", others, err)
			}
		}
	}
}

// TestConcurrentRefresh: many calls at once after the access token expired refresh it
// once; a second refresh with the rotated-out token would end the session.
func TestConcurrentRefresh(t *testing.T) {
	env := cloudtest.Start(t)
	createAccount(t, env, "many@example.com", goodPassword, "eu")
	c, _ := newClient(t, env)
	if _, err := c.NewFlow("").SignIn(bg, "many@example.com", goodPassword); err != nil {
		t.Fatal(err)
	}
	env.Clock.Advance(20 * time.Minute)
	errs := make(chan error, 8)
	for range 8 {
		go func() { _, err := c.Account(bg); errs <- err }()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Fatalf("concurrent call after expiry: %v", err)
		}
	}
	if _, err := c.Account(bg); err != nil {
		t.Fatalf("the session did not survive: %v", err)
	}
}

func TestQuickSignInCancelledBeforeTheBrowser(t *testing.T) {
	env := cloudtest.Start(t)
	c, _ := newClient(t, env)
	ctx, cancel := context.WithCancel(bg)
	cancel()
	if _, err := c.NewFlow("").QuickSignIn(ctx, "google", "eu", func(string) error { return nil }); !errors.Is(err, ErrCancelled) {
		t.Errorf("cancelled at once: %v", err)
	}
}
