package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// The window's dialogs are a stack: Esc closes the top one, and a lock (showStage)
// closes them all, so no dialog keeps decrypted data on show after a lock.

// showDialog shows d and keeps it on the stack Esc closes.
func (u *UI) showDialog(d dialog.Dialog) {
	u.dialogs = append(u.dialogs, d)
	d.SetOnClosed(func() { u.forgetDialog(d) })
	d.Show()
}

func (u *UI) forgetDialog(d dialog.Dialog) {
	for i, x := range u.dialogs {
		if x == d {
			u.dialogs = append(u.dialogs[:i], u.dialogs[i+1:]...)
			return
		}
	}
}

// closeTopDialog is Esc: it closes the dialog on top, except that the editor asks
// first when something was typed (Esc must never lose input silently).
func (u *UI) closeTopDialog() {
	n := len(u.dialogs)
	switch {
	case n == 0:
	case u.editor != nil && u.dialogs[n-1] == u.editor.dlg:
		u.editor.escape()
	default:
		u.dialogs[n-1].Hide()
	}
}

func (u *UI) closeAllDialogs() {
	for len(u.dialogs) > 0 {
		d := u.dialogs[len(u.dialogs)-1]
		u.dialogs = u.dialogs[:len(u.dialogs)-1]
		d.Hide()
	}
}

// dialogChrome is the height a dialog adds around its content (title, buttons and
// padding), which the content must leave free for the dialog to fit the window.
const dialogChrome = 180

// fitWindow wraps a dialog's content in a vertical scroll no taller than the window
// leaves room for, so the dialog's buttons never sit on top of its last controls and
// everything stays reachable in a small window.
func (u *UI) fitWindow(content fyne.CanvasObject) *container.Scroll {
	sc := container.NewVScroll(content)
	minSize := content.MinSize()
	room := u.win.Canvas().Size().Height - dialogChrome
	if room <= 0 {
		room = defaultWindowSize.Height - dialogChrome
	}
	sc.SetMinSize(fyne.NewSize(minSize.Width, min(minSize.Height, room)))
	return sc
}

// showError shows err as a sentence in a dialog.
func (u *UI) showError(err error) {
	u.showMessage(T("dialog.errorTitle"), errorText(err))
}

// showMessage shows an information dialog with an OK button.
func (u *UI) showMessage(title, msg string) {
	l := widget.NewLabel(msg)
	l.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom(title, T("button.ok"), ofWidth(380, l.MinSize().Height*3, l), u.win)
	u.showDialog(d)
}

// confirm asks a yes/no question with our own (translated) button labels.
func (u *UI) confirm(title, msg, yes string, onYes func()) {
	l := widget.NewLabel(msg)
	l.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustomConfirm(title, yes, T("button.cancel"), ofWidth(380, l.MinSize().Height*2, l), func(ok bool) {
		if ok {
			onYes()
		}
	}, u.win)
	u.asked = d
	u.showDialog(d)
}

// confirmDanger is confirm for an action that deletes or discards: its button has the
// danger colour, not the blue of a safe default.
func (u *UI) confirmDanger(title, msg, yes string, onYes func()) {
	u.confirm(title, msg, yes, onYes)
	u.asked.SetConfirmImportance(widget.DangerImportance)
}
