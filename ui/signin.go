package ui

import (
	"strings"

	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// signInScreen is Sign in to Valv Account (PRODUCT.md §1.2, §1.3): e-mail and password,
// Forgot your password?, Create account, and quick sign-in with the providers of the
// chosen region.
type signInScreen struct {
	f         *accountFlow
	email     *entry
	password  *SecretEntry
	submit    *widget.Button
	forgot    *widget.Button
	toCreate  *widget.Button
	regions   *regionPicker
	statement *widget.Hyperlink
}

func newSignInScreen(f *accountFlow) *signInScreen {
	u := f.u
	s := &signInScreen{f: f}
	s.email = u.newEntry()
	s.email.SetPlaceHolder(T("account.email"))
	s.email.SetText(f.core.Email())
	s.password = u.newSecretEntry(T("account.password"))
	s.email.OnSubmitted = func(string) { u.win.Canvas().Focus(s.password) }
	s.password.OnSubmitted = s.signIn
	s.password.OnChanged = func() { f.message.Hide() }
	s.submit = u.button(T("signIn.submit"), theme.LoginIcon(), s.signIn)
	s.submit.Importance = widget.HighImportance
	s.forgot = u.button(T("signIn.forgot"), theme.HelpIcon(), func() { f.open(f.core.URL("/portal/forgot")) })
	s.forgot.Importance = widget.LowImportance
	s.toCreate = u.button(T("signIn.toCreate"), theme.ContentAddIcon(), func() { f.core.ToCreate(s.email.Text) })
	s.toCreate.Importance = widget.LowImportance
	s.regions = newRegionPicker(f, true)
	f.act(s.email, s.submit, s.toCreate)
	s.statement = f.statementLink()
	f.page(T("signIn.title"),
		paragraph(T("signIn.explain")),
		s.email, s.password, s.submit,
		caption(T("signIn.statement")), s.statement,
		container.NewGridWithColumns(2, s.forgot, s.toCreate),
		widget.NewSeparator(),
		caption(T("signIn.quick")),
		s.regions.row(),
		s.regions.providerBox,
	)
	if f.core.Email() != "" {
		u.focusSoon(s.password)
	} else {
		u.focusSoon(s.email)
	}
	return s
}

func (s *signInScreen) signIn() {
	email := strings.TrimSpace(s.email.Text)
	if email == "" || s.password.Len() == 0 {
		s.f.fail(T("signIn.needBoth"))
		return
	}
	s.f.core.SignIn(email, secret(s.password))
}

// wipePassword: as sign-in forms do, a wrong password goes and the e-mail stays.
func (s *signInScreen) wipePassword() { s.password.Wipe() }

func (s *signInScreen) regionPicker() *regionPicker { return s.regions }
