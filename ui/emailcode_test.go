package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/valvpm/valv/cloud/api"
	"github.com/valvpm/valv/cloud/cloudtest"
	"github.com/valvpm/valv/ui/appcore"
)

// TestAccountCreateEmailCode: Create account on a server that proves addresses leads to
// Enter the code we e-mailed, naming the masked address. Request code again counts down
// 30 s on the app's clock; a short code and a wrong code are sentences, the wrong one
// empties the field; a new code is good news; the right code connects and leads on to
// the master password.
func TestAccountCreateEmailCode(t *testing.T) {
	env := cloudtest.Start(t, cloudtest.ProveEmails)
	aa := newAccountApp(t, env, false)
	test.Tap(aa.u.welcome.create)
	c := onScreen[*createAccountScreen](aa, appcore.ScreenCreate)
	c.email.SetText("mail@example.com")
	typeSecret(c.password, accountPW)
	typeSecret(c.confirm, accountPW)
	test.Tap(c.submit)
	s := onScreen[*emailCodeScreen](aa, appcore.ScreenEmailCode)
	if !strings.Contains(s.explain.Text, "ma•••@example.com") {
		t.Error("the window does not say where the code went")
	}
	if !s.resend.Disabled() || !strings.Contains(s.resend.Text, "0:30") {
		t.Errorf("resend at once: disabled %v, %q", s.resend.Disabled(), s.resend.Text)
	}
	test.Type(s.code, "12 3")
	test.Tap(s.submit)
	if s.code.Text != "123" || aa.message() != T("emailCode.needSix") {
		t.Errorf("short code: field %q, %q", s.code.Text, aa.message())
	}
	code := env.LastCode(t, "mail@example.com")
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	s.code.SetText(wrong)
	test.Tap(s.submit)
	s = onScreen[*emailCodeScreen](aa, appcore.ScreenEmailCode)
	left := aa.u.acct.core.State().TriesLeft
	if left == 0 || aa.message() != T("accountError.codeWrongTries", map[string]any{"Count": left}) || s.code.Text != "" {
		t.Errorf("wrong code: %q, field %q", aa.message(), s.code.Text)
	}
	aa.advance(20 * time.Second)
	if !s.resend.Disabled() || !strings.Contains(s.resend.Text, "0:10") {
		t.Errorf("after 20 s: %q (disabled %v)", s.resend.Text, s.resend.Disabled())
	}
	aa.advance(api.EmailResendAfter - 20*time.Second)
	if s.resend.Disabled() || s.resend.Text != T("emailCode.resend") {
		t.Fatalf("after 30 s: %q (disabled %v)", s.resend.Text, s.resend.Disabled())
	}
	test.Tap(s.resend)
	s = onScreen[*emailCodeScreen](aa, appcore.ScreenEmailCode)
	if aa.message() != T("emailCode.sent") || !s.resend.Disabled() {
		t.Errorf("after resend: %q, resend disabled %v", aa.message(), s.resend.Disabled())
	}
	s.code.SetText(env.LastCode(t, "mail@example.com"))
	test.Tap(s.submit)
	done := onScreen[*connectedScreen](aa, appcore.ScreenConnected)
	test.Tap(done.submit)
	if aa.u.create == nil {
		t.Fatal("a proven new account must lead on to the master password")
	}
}
