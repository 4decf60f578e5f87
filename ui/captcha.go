package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/valvpm/valv/account"
)

// captchaScreen is Enter the code from the picture (PRODUCT.md §1.2), after too many
// wrong passwords: the picture, New picture, the answer and the password again.
type captchaScreen struct {
	f         *accountFlow
	picture   *canvas.Image
	answer    *entry
	refresh   *widget.Button
	password  *SecretEntry
	submit    *widget.Button
	statement *widget.Hyperlink
}

func newCaptchaScreen(f *accountFlow) *captchaScreen {
	u := f.u
	s := &captchaScreen{f: f}
	s.picture = canvas.NewImageFromResource(nil)
	s.picture.FillMode = canvas.ImageFillContain
	s.picture.SetMinSize(fyne.NewSize(220, 80))
	s.answer = u.newEntry()
	s.answer.SetPlaceHolder(T("captcha.answer"))
	s.answer.OnSubmitted = func(string) { s.send() }
	s.setPicture(f.core.State().Captcha)
	s.refresh = u.button(T("captcha.refresh"), theme.ViewRefreshIcon(), f.core.RefreshCaptcha)
	s.password = u.newSecretEntry(T("captcha.password"))
	s.password.OnSubmitted = s.send
	s.submit = u.button(T("captcha.submit"), theme.NavigateNextIcon(), s.send)
	s.submit.Importance = widget.HighImportance
	f.act(s.answer, s.refresh, s.submit)
	s.statement = f.statementLink()
	f.page(T("captcha.title"),
		paragraph(T("captcha.explain")),
		container.NewCenter(s.picture),
		container.NewBorder(nil, nil, nil, s.refresh, s.answer),
		s.password,
		s.submit,
		caption(T("signIn.statement")), s.statement,
	)
	u.focusSoon(s.answer)
	return s
}

// setPicture shows a new picture; the answer to the old one goes.
func (s *captchaScreen) setPicture(cp *account.Captcha) {
	if cp == nil {
		return
	}
	s.picture.Resource = fyne.NewStaticResource("captcha-"+cp.ID+".png", cp.ImagePNG)
	s.picture.Refresh()
	s.answer.SetText("")
}

func (s *captchaScreen) send() {
	answer := strings.TrimSpace(s.answer.Text)
	if answer == "" {
		s.f.fail(T("captcha.needAnswer"))
		return
	}
	s.f.core.AnswerCaptcha(answer, secret(s.password))
}
