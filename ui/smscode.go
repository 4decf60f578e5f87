package ui

import (
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/valvpm/valv/ui/appcore"
)

// smsScreen is the SMS code window of two-step verification (PRODUCT.md §1.2): the
// 6-digit field, Confirm, the code's validity, a countdown to Request code again, and
// Didn't get the code?
type smsScreen struct {
	f        *accountFlow
	code     *entry
	submit   *widget.Button
	validity *widget.Label
	resend   *widget.Button
	help     *widget.Button
}

func newSMSScreen(f *accountFlow) *smsScreen {
	u := f.u
	s := &smsScreen{f: f}
	s.code = u.newEntry()
	s.code.SetPlaceHolder(T("sms.code"))
	s.code.OnChanged = func(typed string) {
		if d := appcore.SMSDigits(typed); d != typed {
			s.code.SetText(d)
		}
		f.message.Hide()
	}
	s.code.OnSubmitted = func(string) { s.confirm() }
	s.submit = u.button(T("sms.confirm"), theme.ConfirmIcon(), s.confirm)
	s.submit.Importance = widget.HighImportance
	s.validity = widget.NewLabel("")
	s.validity.Alignment = fyne.TextAlignCenter
	s.validity.SizeName = theme.SizeNameCaptionText
	s.resend = u.button(T("sms.resend"), theme.MailSendIcon(), f.core.ResendSMS)
	s.help = u.button(T("sms.help"), theme.HelpIcon(), func() { u.showMessage(T("sms.helpTitle"), T("sms.helpBody")) })
	s.help.Importance = widget.LowImportance
	// Resend is busy with the rest; the countdown enables it again when its wait is over.
	f.act(s.code, s.submit, s.resend)
	phone := ""
	if sms := f.core.State().SMS; sms != nil {
		phone = sms.PhoneHint
	}
	f.page(T("sms.title"),
		paragraph(T("sms.explain", map[string]any{"Phone": phone})),
		s.code, s.submit, s.validity,
		s.resend, container.NewCenter(s.help),
	)
	u.focusSoon(s.code)
	return s
}

func (s *smsScreen) confirm() {
	if len(s.code.Text) != 6 {
		s.f.fail(T("sms.needSix"))
		return
	}
	s.f.core.ConfirmSMS(s.code.Text)
}

// countdown shows the code's validity and the wait before Request code again.
func (s *smsScreen) countdown(c appcore.Countdown) {
	if c.ValidFor > 0 {
		s.validity.SetText(T("sms.validFor", map[string]any{"Time": minSec(c.ValidFor)}))
	} else {
		s.validity.SetText(T("sms.expired"))
	}
	if c.ResendIn > 0 {
		s.resend.SetText(T("sms.resendIn", map[string]any{"Time": minSec(c.ResendIn)}))
	} else {
		s.resend.SetText(T("sms.resend"))
	}
	if c.CanResend {
		s.resend.Enable()
	} else {
		s.resend.Disable()
	}
}

// minSec formats a countdown as m:ss, rounding up so it never shows 0:00 while waiting.
func minSec(d time.Duration) string {
	sec := int((d + time.Second - 1) / time.Second)
	return fmt.Sprintf("%d:%02d", sec/60, sec%60)
}
