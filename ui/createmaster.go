package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// createScreen asks for a new master password and creates the vault in the background.
type createScreen struct {
	u        *UI
	pair     *passwordPair
	progress *widget.ProgressBarInfinite
	submit   *widget.Button
	back     *widget.Button // to Welcome (offline)
	signOut  *widget.Button // "Not you? Sign out" (signed in)
}

func newCreateScreen(u *UI) *createScreen { return &createScreen{u: u} }

func (s *createScreen) loadUI() fyne.CanvasObject {
	s.pair = newPasswordPair(s.u, T("create.password"), T("create.repeat"))
	s.pair.pw2.OnSubmitted = s.doCreate
	s.progress = busyBar()
	s.submit = s.u.button(T("create.submit"), theme.ConfirmIcon(), s.doCreate)
	s.submit.Importance = widget.HighImportance
	objs := []fyne.CanvasObject{logo(), heading(T("create.title")), paragraph(T("create.explain"))}
	objs = append(objs, s.pair.objects()...)
	objs = append(objs, s.pair.message, s.progress, s.submit, s.createWayBack())
	return centred(objs...)
}

func (s *createScreen) doCreate() {
	if s.u.ctrl.Busy() {
		return
	}
	pw := s.pair.take()
	if pw == nil {
		return
	}
	s.busy(true)
	s.u.ctrl.Create(pw, func(err error) {
		if s.u.create != s {
			return // the window moved on
		}
		s.busy(false)
		if err != nil {
			s.pair.fail(errorText(err))
			return
		}
		s.pair.wipe()
		s.u.showStage()
	})
}

func (s *createScreen) busy(on bool) {
	if on {
		s.submit.Disable()
		s.progress.Show()
		s.progress.Start()
		s.pair.message.SetText(T("create.working"))
		s.pair.message.Importance = widget.MediumImportance
		s.pair.message.Show()
		return
	}
	s.submit.Enable()
	s.progress.Stop()
	s.progress.Hide()
	s.pair.message.Hide()
}
