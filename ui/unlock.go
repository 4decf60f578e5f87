package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/valvpm/valv/ui/appcore"
)

// unlockScreen asks for the master password.
type unlockScreen struct {
	u        *UI
	pw       *SecretEntry
	message  *widget.Label
	progress *widget.ProgressBarInfinite
	submit   *widget.Button
	forgot   *widget.Button // Forgot master password? (danger.go)
}

func newUnlockScreen(u *UI) *unlockScreen { return &unlockScreen{u: u} }

func (s *unlockScreen) loadUI() fyne.CanvasObject {
	s.pw = s.u.newSecretEntry(T("unlock.password"))
	s.pw.OnSubmitted = s.doUnlock
	s.pw.OnChanged = func() { s.message.Hide() }
	s.message = errorLabel()
	s.message.Alignment = fyne.TextAlignCenter
	s.progress = busyBar()
	s.submit = s.u.button(T("unlock.submit"), theme.LoginIcon(), s.doUnlock)
	s.submit.Importance = widget.HighImportance
	s.forgot = s.u.button(T("danger.forgotMaster"), theme.QuestionIcon(), func() { showDanger(s.u, appcore.DangerReset) })
	s.forgot.Importance = widget.LowImportance
	return centred(
		logo(),
		heading(T("unlock.title")),
		paragraph(T("unlock.explain")),
		s.pw,
		s.message,
		s.progress,
		s.submit,
		s.forgot,
	)
}

func (s *unlockScreen) doUnlock() {
	if s.u.ctrl.Busy() {
		return
	}
	if s.pw.Len() == 0 {
		s.message.SetText(T("unlock.empty"))
		s.message.Show()
		return
	}
	pw := s.pw.Bytes()
	s.pw.Wipe()
	s.submit.Disable()
	s.message.Hide()
	s.progress.Show()
	s.progress.Start()
	s.u.ctrl.Unlock(pw, func(err error) {
		if s.u.unlock != s {
			return
		}
		s.submit.Enable()
		s.progress.Stop()
		s.progress.Hide()
		if err != nil {
			s.message.SetText(errorText(err))
			s.message.Show()
			relayout(s.message)
			s.u.win.Canvas().Focus(s.pw)
			return
		}
		s.u.showStage()
		if n := s.u.ctrl.Damaged(); n > 0 {
			s.u.showMessage(T("damaged.title"), T("damaged.body", map[string]any{"Count": n}))
		}
	})
}
