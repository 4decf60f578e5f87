package account

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/valvpm/valv/cloud/api"
	"github.com/valvpm/valv/cloud/cloudtest"
)

const (
	actReset   = api.ActionResetMasterPassword
	actReplace = api.ActionReplaceCloudVault
	actClear   = api.ActionClearVault
)

// The product's table of who confirms what (PRODUCT.md §4).
func TestMethodFor(t *testing.T) {
	for _, tc := range []struct {
		action                   api.Action
		linked, syncOn, signedIn bool
		want                     ConfirmMethod
		err                      error
	}{
		{actReplace, true, true, true, ByEmailCode, nil},
		{actReplace, true, false, true, ByEmailCode, nil},
		{actReplace, false, false, true, ByEmailCode, nil},
		{actReplace, false, false, false, 0, ErrNotSignedIn},
		{actClear, true, true, true, ByEmailCode, nil},
		{actClear, true, false, true, ByAccountPassword, nil},
		{actClear, true, true, false, 0, ErrNotSignedIn},
		{actClear, true, false, false, 0, ErrNotSignedIn},
		{actClear, false, false, true, ByMasterPassword, nil},
		{actClear, false, false, false, ByMasterPassword, nil},
		{actReset, true, true, true, ByEmailCode, nil},
		{actReset, true, false, true, ByEmailCode, nil},
		{actReset, true, false, false, 0, ErrNotSignedIn},
		{actReset, false, false, false, ByConsent, nil},
		{actReset, false, false, true, ByConsent, nil},
	} {
		got, err := MethodFor(tc.action, tc.linked, tc.syncOn, tc.signedIn)
		if got != tc.want || !errors.Is(err, tc.err) {
			t.Errorf("%s linked=%v sync=%v signed-in=%v: %s, %v; want %s, %v", tc.action, tc.linked, tc.syncOn, tc.signedIn, got, err, tc.want, tc.err)
		}
	}
	for _, tc := range []struct {
		action api.Action
		m      ConfirmMethod
		want   bool
	}{
		{actReplace, ByEmailCode, true}, {actClear, ByEmailCode, true}, {actClear, ByMasterPassword, true},
		{actClear, ByAccountPassword, false}, {actReset, ByEmailCode, false}, {actReset, ByConsent, false},
	} {
		if got := tc.m.NeedsMasterPassword(tc.action); got != tc.want {
			t.Errorf("%s by %s needs the master password: %v", tc.action, tc.m, got)
		}
	}
	if !ByEmailCode.ActsOnCloud() || ByAccountPassword.ActsOnCloud() || ByMasterPassword.ActsOnCloud() {
		t.Error("only the e-mailed code's token may act on the cloud")
	}
}

// signedIn returns a client signed in as a new account with goodPassword.
func signedIn(t *testing.T, env *cloudtest.Env, email string) *Client {
	t.Helper()
	createAccount(t, env, email, goodPassword, "eu")
	c, _ := newClient(t, env)
	if st, err := c.NewFlow("").SignIn(bg, email, goodPassword); err != nil || st.Step != StepConnected {
		t.Fatalf("sign-in: %v at %s", err, st.Step)
	}
	return c
}

// tokenWorks uses the token on the action it is for: the server must not call it
// invalid (the account has no cloud vault yet, so wiping finds nothing to wipe).
func tokenWorks(t *testing.T, c *Client, tok string) {
	t.Helper()
	if _, err := c.WipeVault(bg, tok); errors.Is(err, ErrActionToken) || tok == "" {
		t.Fatalf("the earned token %q was refused: %v", tok, err)
	}
}

// confirmed checks that a step ended the confirmation with a token the server takes.
func confirmed(t *testing.T, c *Client, st ConfirmState, err error, what string) {
	t.Helper()
	if err != nil || st.Step != ConfirmDone || st.SMS != nil {
		t.Fatalf("%s: %v at %s", what, err, st.Step)
	}
	tokenWorks(t, c, st.Token)
}

func TestConfirmByEmailCode(t *testing.T) {
	env := cloudtest.Start(t)
	c := signedIn(t, env, "code@example.com")
	f, err := NewConfirmation(c, actClear, true, true)
	if err != nil {
		t.Fatal(err)
	}
	if st := f.State(); st.Step != ConfirmEmailCode || st.Method != ByEmailCode || st.SentTo != "" {
		t.Fatalf("start: %+v", st)
	}
	if _, err := f.SubmitPassword(bg, goodPassword); err == nil {
		t.Error("a password was taken where a code is asked for")
	}
	st, err := f.RequestCode(bg)
	if err != nil || !strings.HasSuffix(st.SentTo, "@example.com") {
		t.Fatalf("request: %v, sent to %q", err, st.SentTo)
	}
	code := env.LastCode(t, "code@example.com")
	if st, err := f.SubmitCode(bg, wrongCode(code)); !errors.Is(err, ErrCodeWrong) || st.Step != ConfirmEmailCode {
		t.Fatalf("wrong code: %v at %s", err, st.Step)
	}
	// The person reads State from another goroutine while the code is checked, as a
	// screen redrawing does.
	var wg sync.WaitGroup
	wg.Go(func() {
		for range 20 {
			_ = f.State()
		}
	})
	st, err = f.SubmitCode(bg, code)
	wg.Wait()
	confirmed(t, c, st, err, "right code")
	if _, err := c.WipeVault(bg, st.Token); !errors.Is(err, ErrActionToken) {
		t.Fatalf("a used token was accepted again: %v", err)
	}
	if st := f.TokenSpent(); st.Step != ConfirmEmailCode || st.Token != "" || st.SentTo != "" {
		t.Fatalf("after the token was spent: %+v", st)
	}
	f.RequestCode(bg)
	if st, err := f.SubmitCode(bg, env.LastCode(t, "code@example.com")); err != nil || st.Step != ConfirmDone {
		t.Fatalf("second confirmation: %v at %s", err, st.Step)
	}
}

func TestConfirmByCodeExpires(t *testing.T) {
	env := cloudtest.Start(t)
	c := signedIn(t, env, "late@example.com")
	f, _ := NewConfirmation(c, actReset, true, false)
	if _, err := f.RequestCode(bg); err != nil {
		t.Fatal(err)
	}
	env.Clock.Advance(10*time.Minute + time.Second)
	if st, err := f.SubmitCode(bg, env.LastCode(t, "late@example.com")); !errors.Is(err, ErrCodeExpired) || st.Step != ConfirmEmailCode {
		t.Fatalf("expired code: %v at %s", err, st.Step)
	}
}

func TestConfirmByAccountPassword(t *testing.T) {
	env := cloudtest.Start(t)
	c := signedIn(t, env, "pw@example.com")
	f, err := NewConfirmation(c, actClear, true, false)
	if err != nil {
		t.Fatal(err)
	}
	st := f.State()
	if st.Step != ConfirmAccountPassword || !strings.HasSuffix(st.ForgotURL, "/portal/forgot") {
		t.Fatalf("start: %+v", st)
	}
	if _, err := f.RequestCode(bg); err == nil {
		t.Error("a code was e-mailed where the account password confirms")
	}
	if st, err := f.SubmitPassword(bg, "Wrong-Pass-1"); !errors.Is(err, ErrWrongPassword) || st.Step != ConfirmAccountPassword {
		t.Fatalf("wrong password: %v at %s", err, st.Step)
	}
	st, err = f.SubmitPassword(bg, goodPassword)
	confirmed(t, c, st, err, "right password")
}

// bob (the demo account) has two-step verification: the SMS code follows the password.
func TestConfirmWithSMSCode(t *testing.T) {
	env := cloudtest.Start(t)
	seedDemo(t, env)
	c, _ := newClient(t, env)
	fl := c.NewFlow("")
	fl.SignIn(bg, "bob@example.com", "Bob-demo-1")
	if st, err := fl.ConfirmSMS(bg, env.LastCode(t, "+15550100200")); err != nil || st.Step != StepChooseSubscription {
		t.Fatalf("sign-in: %v at %s", err, st.Step)
	}
	f, _ := NewConfirmation(c, actClear, true, false)
	st, err := f.SubmitPassword(bg, "Bob-demo-1")
	if err != nil || st.Step != ConfirmSMSCode || st.SMS == nil || st.SMS.PhoneHint == "" {
		t.Fatalf("password: %v at %s", err, st.Step)
	}
	code := env.LastCode(t, "+15550100200")
	if st, err := f.SubmitSMS(bg, wrongCode(code)); !errors.Is(err, ErrCodeWrong) || st.Step != ConfirmSMSCode {
		t.Fatalf("wrong SMS code: %v at %s", err, st.Step)
	}
	// Request code again: not within 30 s; then a new code, and the old one is void.
	if st, err := f.ResendSMS(bg); !errors.Is(err, ErrResendTooEarly) || st.Step != ConfirmSMSCode {
		t.Fatalf("resend at once: %v at %s", err, st.Step)
	}
	env.Clock.Advance(30 * time.Second)
	if st, err = f.ResendSMS(bg); err != nil || st.Step != ConfirmSMSCode || st.SMS == nil || !st.SMS.ResendAt.After(env.Clock.Now()) {
		t.Fatalf("resend after 30 s: %v at %s (%+v)", err, st.Step, st.SMS)
	}
	old := code
	if code = env.LastCode(t, "+15550100200"); code == old {
		t.Fatal("no new SMS code was sent")
	}
	if st, err := f.SubmitSMS(bg, old); !errors.Is(err, ErrCodeWrong) || st.Step != ConfirmSMSCode {
		t.Fatalf("the replaced code: %v at %s", err, st.Step)
	}
	st, err = f.SubmitSMS(bg, code)
	confirmed(t, c, st, err, "right SMS code")
	if _, err := f.ResendSMS(bg); err == nil {
		t.Error("a code was sent again after the confirmation")
	}

	// An SMS code that expired sends the person back to the password, for a new one.
	f, _ = NewConfirmation(c, actClear, true, false)
	f.SubmitPassword(bg, "Bob-demo-1")
	code = env.LastCode(t, "+15550100200")
	env.Clock.Advance(5*time.Minute + time.Second)
	if st, err := f.SubmitSMS(bg, code); !errors.Is(err, ErrCodeExpired) || st.Step != ConfirmAccountPassword || st.SMS != nil {
		t.Fatalf("expired SMS code: %v at %s", err, st.Step)
	}
	if st, _ := f.SubmitPassword(bg, "Bob-demo-1"); st.Step != ConfirmSMSCode {
		t.Fatalf("password again: at %s", st.Step)
	}
}

// An account made by a first quick sign-in has no password: whatever is typed is
// "incorrect", and the flow says why (ConfirmProviderOnly) until one is set.
func TestConfirmProviderOnlyAccount(t *testing.T) {
	env := cloudtest.Start(t)
	c, _ := newClient(t, env)
	ctx, cancel := context.WithTimeout(bg, 10*time.Second)
	defer cancel()
	fl := c.NewFlow("")
	st, err := fl.QuickSignIn(ctx, "google", "eu", cloudtest.Browser{Email: "newbie@example.com", FirstSignIn: true, Errorf: t.Errorf}.Open)
	if err == nil && st.Step == StepDataProvision {
		st, err = fl.AcceptDataProvision(ctx)
	}
	if err != nil || st.Step != StepConnected {
		t.Fatalf("first quick sign-in: %v at %s", err, st.Step)
	}
	f, _ := NewConfirmation(c, actClear, true, false)
	cs, err := f.SubmitPassword(bg, goodPassword)
	if !errors.Is(err, ErrPasswordNotSet) && !errors.Is(err, ErrWrongPassword) || cs.Step != ConfirmProviderOnly {
		t.Fatalf("provider-only account: %v at %s", err, cs.Step)
	}
	if !strings.HasSuffix(cs.WebsiteURL, "/portal") || !strings.HasSuffix(cs.ForgotURL, "/portal/forgot") {
		t.Errorf("links: %q %q", cs.WebsiteURL, cs.ForgotURL)
	}
	// The person chooses a password on the website, then enters it here.
	if err := c.do(bg, http.MethodPost, api.PathAccountPassword, api.PasswordRequest{NewPassword: goodPassword}, nil, true); err != nil {
		t.Fatal(err)
	}
	// A password a day old or less cannot authorise a dangerous action: whoever holds
	// only a session could have chosen it.
	if _, err := f.SubmitPassword(bg, goodPassword); !errors.Is(err, ErrPasswordTooNew) {
		t.Fatalf("password chosen just now: %v, want ErrPasswordTooNew", err)
	}
	env.Clock.Advance(24*time.Hour + time.Minute)
	cs, err = f.SubmitPassword(bg, goodPassword)
	confirmed(t, c, cs, err, "a day after choosing a password")
}

// A vault with no account asks the server nothing; a linked one needs a session.
func TestConfirmLocalAndSignedOut(t *testing.T) {
	env := cloudtest.Start(t)
	for _, action := range []api.Action{actClear, actReset} {
		f, err := NewConfirmation(nil, action, false, false)
		if err != nil || f.State().Step != ConfirmDone || f.State().Token != "" {
			t.Fatalf("%s with no account: %v, %+v", action, err, f.State())
		}
		if _, err := f.SubmitCode(bg, "123456"); err == nil {
			t.Errorf("%s with no account took a code", action)
		}
	}
	c, _ := newClient(t, env) // not signed in
	if _, err := NewConfirmation(c, actClear, true, true); !errors.Is(err, ErrNotSignedIn) {
		t.Errorf("linked, signed out: %v", err)
	}
	if _, err := NewConfirmation(nil, actReplace, false, false); !errors.Is(err, ErrNotSignedIn) {
		t.Errorf("replace, signed out: %v", err)
	}
}
