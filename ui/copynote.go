package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// copyNoteFor is how long "Copied — clears in 30 s" stays over the window.
const copyNoteFor = 3 * time.Second

// copyValue puts value on the clipboard and says so, with the delay after which the
// clipboard is cleared (the setting), since a copy otherwise gives no sign at all.
func (u *UI) copyValue(value string) {
	u.ctrl.Copy(value)
	msg := T("copy.copied")
	if secs := int(u.ctrl.Settings().ClipboardDelay().Seconds()); secs > 0 {
		msg = T("copy.copiedClears", map[string]any{"Seconds": secs})
	}
	u.showCopyNote(msg)
}

// showCopyNote shows msg near the bottom of the window for a moment.
func (u *UI) showCopyNote(msg string) {
	if u.copyNote != nil {
		u.copyNote.Hide()
	}
	label := widget.NewLabelWithStyle(msg, fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	label.Importance = widget.SuccessImportance
	pop := widget.NewPopUp(container.NewHBox(widget.NewIcon(theme.ConfirmIcon()), label), u.win.Canvas())
	size := pop.MinSize()
	c := u.win.Canvas().Size()
	pop.ShowAtPosition(fyne.NewPos((c.Width-size.Width)/2, c.Height-size.Height-48))
	u.copyNote, u.copyNoteText = pop, msg
	u.ctrl.Clock().AfterFunc(copyNoteFor, func() {
		u.ctrl.OnUI(func() {
			if u.copyNote == pop {
				pop.Hide()
				u.copyNote, u.copyNoteText = nil, ""
			}
		})
	})
}
