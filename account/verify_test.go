package account

import (
	"errors"
	"testing"
	"time"

	"github.com/valvpm/valv/cloud/cloudtest"
)

// TestCreateAccountProvesEmail: against a server that proves addresses, Create account
// signs in at once and stops at "Enter the code we e-mailed": a wrong code says how
// many tries are left, a new code only after 30 seconds (and the old one stops
// working), the right one connects.
func TestCreateAccountProvesEmail(t *testing.T) {
	env := cloudtest.Start(t, cloudtest.ProveEmails)
	c, _ := newClient(t, env)
	f := c.NewFlow("")
	st, err := f.CreateAccount(bg, CreateForm{Email: "proof@example.com", Password: goodPassword, Confirm: goodPassword, Region: "eu"})
	if err != nil || st.Step != StepVerifyEmail || st.EmailCheck == nil || !c.SignedIn() {
		t.Fatalf("create: %v at %s (signed in %v)", err, st.Step, c.SignedIn())
	}
	if st.EmailCheck.SentTo != "pr•••@example.com" || !st.EmailCheck.ResendAt.Equal(env.Clock.Now().Add(30*time.Second)) {
		t.Errorf("challenge %+v", st.EmailCheck)
	}
	first := env.LastCode(t, "proof@example.com")
	st, err = f.VerifyEmail(bg, wrong(first))
	if !errors.Is(err, ErrCodeWrong) || st.Step != StepVerifyEmail || st.TriesLeft == 0 {
		t.Fatalf("wrong code: %v at %s, tries left %d", err, st.Step, st.TriesLeft)
	}
	if _, err = f.ResendEmailCode(bg); !errors.Is(err, ErrResendTooEarly) {
		t.Fatalf("resend at once: %v", err)
	}
	env.Clock.Advance(30 * time.Second)
	if st, err = f.ResendEmailCode(bg); err != nil || st.Step != StepVerifyEmail {
		t.Fatalf("resend: %v at %s", err, st.Step)
	}
	second := env.LastCode(t, "proof@example.com")
	if second != first {
		if _, err := f.VerifyEmail(bg, first); !errors.Is(err, ErrCodeWrong) {
			t.Fatalf("the replaced code: %v", err)
		}
	}
	st, err = f.VerifyEmail(bg, second)
	if err != nil || st.Step != StepConnected || !st.Account.EmailVerified {
		t.Fatalf("right code: %v at %s, %+v", err, st.Step, st.Account)
	}
}

// TestSignInProvesEmail: the password of an account whose address was never proven
// does not connect by itself on another device: the flow asks for the e-mailed code,
// then connects (or goes on to the SMS code).
func TestSignInProvesEmail(t *testing.T) {
	env := cloudtest.Start(t, cloudtest.ProveEmails)
	first, _ := newClient(t, env)
	if _, err := first.NewFlow("").CreateAccount(bg, CreateForm{Email: "later@example.com", Password: goodPassword, Confirm: goodPassword, Region: "eu"}); err != nil {
		t.Fatal(err)
	}
	c, _ := newClient(t, env)
	f := c.NewFlow("")
	st, err := f.SignIn(bg, "later@example.com", goodPassword)
	if err != nil || st.Step != StepVerifyEmail || c.SignedIn() {
		t.Fatalf("sign-in: %v at %s (signed in %v)", err, st.Step, c.SignedIn())
	}
	st, err = f.VerifyEmail(bg, env.LastCode(t, "later@example.com"))
	if err != nil || st.Step != StepConnected || !c.SignedIn() {
		t.Fatalf("code: %v at %s", err, st.Step)
	}
	// Proven: the password alone connects from now on.
	c2, _ := newClient(t, env)
	if st, err := c2.NewFlow("").SignIn(bg, "later@example.com", goodPassword); err != nil || st.Step != StepConnected {
		t.Fatalf("second sign-in: %v at %s", err, st.Step)
	}
}

func wrong(code string) string {
	if code == "000000" {
		return "111111"
	}
	return "000000"
}
