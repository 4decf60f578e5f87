package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// transferWidth is the width of both dialogs: room for a problem line such as
// `Line 7 ("broken.example"): the row has 3 columns, the header has 5` on two lines.
const transferWidth = 520

// transferStep swaps a dialog's content and buttons: both dialogs walk through steps
// (choose, password, progress, summary, result) in one window rather than stacking
// dialogs, so Esc and a lock always have exactly one to close.
type transferStep struct {
	dlg  *dialog.CustomDialog
	body *fyne.Container
}

func newTransferStep(title string, w fyne.Window) *transferStep {
	s := &transferStep{body: container.NewStack()}
	s.dlg = dialog.NewCustomWithoutButtons(title, s.body, w)
	return s
}

// show puts content (laid out at the dialog's width, so wrapped text measures right)
// and buttons in the dialog.
func (s *transferStep) show(content fyne.CanvasObject, buttons ...fyne.CanvasObject) {
	s.body.Objects = []fyne.CanvasObject{container.New(fixedWidth(transferWidth), content)}
	s.body.Refresh()
	s.dlg.SetButtons(buttons)
	s.dlg.Resize(fyne.NewSize(transferWidth, 0))
}

func showError(l *widget.Label, msg string) {
	l.SetText(msg)
	l.Show()
}
