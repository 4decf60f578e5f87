package ui

import (
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/valvpm/valv/ui/appcore"
)

// emailCodeScreen is Enter the code we e-mailed (PRODUCT.md §1.4): where the code went,
// the 6-digit field, Confirm, and Request code again once its 30 s wait is over.
type emailCodeScreen struct {
	f       *accountFlow
	explain *widget.Label // where the code went
	code    *entry
	submit  *widget.Button
	resend  *widget.Button
}

func newEmailCodeScreen(f *accountFlow) *emailCodeScreen {
	u := f.u
	s := &emailCodeScreen{f: f}
	s.code = u.newEntry()
	s.code.SetPlaceHolder(T("emailCode.code"))
	s.code.OnChanged = func(typed string) {
		if d := appcore.SMSDigits(typed); d != typed {
			s.code.SetText(d)
		}
		f.message.Hide()
	}
	s.code.OnSubmitted = func(string) { s.confirm() }
	s.submit = u.button(T("emailCode.confirm"), theme.ConfirmIcon(), s.confirm)
	s.submit.Importance = widget.HighImportance
	s.resend = u.button(T("emailCode.resend"), theme.MailSendIcon(), f.core.ResendEmailCode)
	// Resend is busy with the rest; the countdown enables it again when its wait is over.
	f.act(s.code, s.submit, s.resend)
	s.explain = paragraph(T("emailCode.explain", map[string]any{"Address": f.core.EmailSentTo()}))
	f.page(T("emailCode.title"),
		s.explain, s.code, s.submit, s.resend,
		container.NewCenter(caption(T("emailCode.help"))),
	)
	u.focusSoon(s.code)
	return s
}

func (s *emailCodeScreen) confirm() {
	if len(s.code.Text) != 6 {
		s.f.fail(T("emailCode.needSix"))
		return
	}
	s.f.core.VerifyEmail(s.code.Text)
}

// countdown shows the wait before Request code again.
func (s *emailCodeScreen) countdown(c appcore.Countdown) {
	if c.ResendIn > 0 {
		s.resend.SetText(T("emailCode.resendIn", map[string]any{"Time": minSec(c.ResendIn)}))
	} else {
		s.resend.SetText(T("emailCode.resend"))
	}
	if c.CanResend {
		s.resend.Enable()
	} else {
		s.resend.Disable()
	}
}

// wipePassword empties the code after a wrong or expired one (appcore.AccountView's
// WipePassword); the window stays as it was.
func (s *emailCodeScreen) wipePassword() { s.code.SetText("") }
