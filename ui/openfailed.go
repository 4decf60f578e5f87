package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// failedScreen says in a sentence why the vault could not be opened (in use by another
// Valv window, damaged, from a newer version) and offers to try again.
type failedScreen struct {
	u     *UI
	retry *widget.Button
}

func newFailedScreen(u *UI) *failedScreen { return &failedScreen{u: u} }

func (s *failedScreen) loadUI() fyne.CanvasObject {
	s.retry = s.u.button(T("failed.retry"), theme.ViewRefreshIcon(), func() {
		s.u.ctrl.Open()
		s.u.showStage()
	})
	msg := paragraph(errorText(s.u.ctrl.OpenError()))
	msg.Importance = widget.DangerImportance
	return centred(
		logo(),
		heading(T("failed.title")),
		msg,
		paragraph(T("failed.path", map[string]any{"Path": s.u.ctrl.Path()})),
		s.retry,
	)
}
