package appcore

import (
	"errors"
	"testing"
	"time"

	"github.com/valvpm/valv/account"
	"github.com/valvpm/valv/cloud/api"
	"github.com/valvpm/valv/cloud/cloudtest"
)

// TestAccountFlowCreateProvesEmail: against a server that proves addresses, Create
// account opens Enter the code we e-mailed with the masked address. Request code again
// waits 30 s on the clock's countdown (no polling: the manual clock moves it); a wrong
// code says how many tries are left and empties the code field only; a new code is
// good news and the old one stops working; the right code connects, and the countdown
// stops with the window.
func TestAccountFlowCreateProvesEmail(t *testing.T) {
	env := cloudtest.Start(t, cloudtest.ProveEmails)
	ft := newFlowTest(t, env, Inline)
	f, v := ft.f, ft.view
	f.Start(true, "")
	f.CreateAccount(account.CreateForm{Email: "proof@example.com", Password: accountPW, Confirm: accountPW})
	ft.want(ScreenEmailCode)
	if f.EmailSentTo() != "pr•••@example.com" || v.note.Err != nil || ft.licence != nil {
		t.Fatalf("sent to %q, note %+v, connected %v", f.EmailSentTo(), v.note, ft.licence != nil)
	}
	if c := v.count; c.ResendIn != api.EmailResendAfter || c.ValidFor != api.EmailCodeTTL || c.CanResend {
		t.Errorf("at once: %+v", c)
	}
	first := env.LastCode(t, "proof@example.com")
	f.VerifyEmail(otherCode(first))
	ft.want(ScreenEmailCode)
	if !errors.Is(v.note.Err, account.ErrCodeWrong) || v.note.TriesLeft == 0 || v.wiped != 1 {
		t.Errorf("wrong code: note %+v, code field emptied %d times", v.note, v.wiped)
	}
	before := v.counts
	ft.clock.Advance(29 * time.Second)
	if v.counts-before != 29 || v.count.CanResend || v.count.ResendIn != time.Second {
		t.Errorf("after 29 s: %d ticks, %+v", v.counts-before, v.count)
	}
	ft.clock.Advance(time.Second)
	if !v.count.CanResend {
		t.Fatalf("after 30 s: %+v", v.count)
	}
	f.ResendEmailCode()
	ft.want(ScreenEmailCode)
	if !v.note.CodeSent || v.count.CanResend || v.count.ResendIn != api.EmailResendAfter {
		t.Errorf("after resend: note %+v, countdown %+v", v.note, v.count)
	}
	second := env.LastCode(t, "proof@example.com")
	if second != first {
		f.VerifyEmail(first)
		if !errors.Is(v.note.Err, account.ErrCodeWrong) || v.wiped != 2 {
			t.Errorf("the replaced code: note %+v, emptied %d times", v.note, v.wiped)
		}
	}
	f.VerifyEmail(second[:3] + " " + second[3:]) // pasted with a space
	ft.want(ScreenConnected)
	if ft.licence == nil || f.ConnectedEmail() != "proof@example.com" || !f.State().Account.EmailVerified {
		t.Errorf("connected as %q (licence told %v), %+v", f.ConnectedEmail(), ft.licence, f.State().Account)
	}
	n := v.counts
	ft.clock.Advance(5 * time.Second)
	if v.counts != n || ft.clock.Pending() != 0 {
		t.Errorf("the countdown runs on after the window: %d ticks, %d timers", v.counts-n, ft.clock.Pending())
	}
}

// TestAccountFlowSignInProvesEmail: the password of an account whose address was never
// proven does not connect by itself: sign-in stops at the e-mail code. A code used
// after it expired is said so and emptied; asking for a new code on the dead challenge
// goes back to Sign in with the reason, and signing in again sends a fresh code, which
// connects.
func TestAccountFlowSignInProvesEmail(t *testing.T) {
	env := cloudtest.Start(t, cloudtest.ProveEmails)
	createCloudAccount(t, env, "later@example.com", "eu")
	ft := newFlowTest(t, env, Inline)
	f, v := ft.f, ft.view
	f.Start(false, "")
	f.SignIn("later@example.com", accountPW)
	ft.want(ScreenEmailCode)
	if ft.acc.SignedInClient() != nil || ft.licence != nil {
		t.Fatal("the password alone connected an unproven account")
	}
	code := env.LastCode(t, "later@example.com")
	ft.clock.Advance(api.EmailCodeTTL + time.Second)
	if v.count.ValidFor > 0 {
		t.Errorf("past its expiry the code is shown valid: %+v", v.count)
	}
	f.VerifyEmail(code)
	ft.want(ScreenEmailCode)
	if !errors.Is(v.note.Err, account.ErrCodeExpired) || v.wiped != 1 {
		t.Errorf("expired code: note %+v, emptied %d times", v.note, v.wiped)
	}
	f.ResendEmailCode()
	ft.want(ScreenSignIn)
	if !errors.Is(v.note.Err, account.ErrCodeExpired) || f.Email() != "later@example.com" {
		t.Errorf("a new code for a dead challenge: note %+v, e-mail %q", v.note, f.Email())
	}
	f.SignIn("later@example.com", accountPW)
	ft.want(ScreenEmailCode)
	f.VerifyEmail(env.LastCode(t, "later@example.com"))
	ft.want(ScreenConnected)
	if ft.acc.SignedInClient() == nil || ft.licence == nil {
		t.Error("the right code did not connect")
	}
}
