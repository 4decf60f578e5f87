package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// welcomeScreen is the first start: what a Valv Account is, Sign in, Create account,
// and how to go on without one (PRODUCT.md §1, §1.5).
type welcomeScreen struct {
	u       *UI
	signIn  *widget.Button
	create  *widget.Button
	offline *widget.Button
}

func newWelcomeScreen(u *UI) *welcomeScreen { return &welcomeScreen{u: u} }

func (s *welcomeScreen) loadUI() fyne.CanvasObject {
	s.signIn = s.u.button(T("welcome.signIn"), theme.LoginIcon(), func() { s.u.startAccount(false, "") })
	s.signIn.Importance = widget.HighImportance
	s.create = s.u.button(T("welcome.createAccount"), theme.ContentAddIcon(), func() { s.u.startAccount(true, "") })
	s.offline = s.u.button(T("welcome.runOffline"), theme.NavigateNextIcon(), s.runOffline)
	s.offline.Importance = widget.LowImportance
	return centred(
		logo(),
		heading(T("welcome.title")),
		paragraph(T("welcome.account")),
		layout.NewSpacer(),
		container.NewGridWithColumns(2, s.signIn, s.create),
		paragraph(T("welcome.offlineNote")),
		s.offline,
	)
}

func (s *welcomeScreen) runOffline() {
	if err := s.u.ctrl.RunOffline(); err != nil {
		fyne.LogError("saving settings", err)
	}
	s.u.showStage()
}
