package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// stepDialog is a dialog that walks through steps in one window (enter a code, then a
// password, then the result), with one message line and a busy indicator. Its secret
// entries are wiped when it closes, however it closes.
type stepDialog struct {
	u        *UI
	dlg      *dialog.CustomDialog
	box      *fyne.Container
	message  *widget.Label
	progress *widget.ProgressBarInfinite
	actions  []fyne.Disableable
	secrets  []*SecretEntry
	busy     bool
	closed   bool
	onClosed func() // what the dialog built on this one does when it closes
}

func newStepDialog(u *UI, title string) *stepDialog {
	d := &stepDialog{u: u, box: container.NewVBox()}
	d.message = errorLabel()
	d.progress = busyBar()
	d.dlg = dialog.NewCustomWithoutButtons(title, container.NewVBox(d.box, d.message, d.progress), u.win)
	d.dlg.Resize(fyne.NewSize(500, 0))
	d.dlg.SetOnClosed(func() {
		d.closed = true
		for _, s := range d.secrets {
			s.Wipe()
		}
		if d.onClosed != nil {
			d.onClosed()
		}
	})
	return d
}

// secret returns a password entry the dialog wipes when it closes.
func (d *stepDialog) secret(placeholder string) *SecretEntry {
	e := d.u.newSecretEntry(placeholder)
	e.OnChanged = func() { d.u.ctrl.Touch(); d.message.Hide() }
	d.secrets = append(d.secrets, e)
	return e
}

// step shows objs with buttons (the last is the main one); act lists what a running
// call disables.
func (d *stepDialog) step(objs []fyne.CanvasObject, act []fyne.Disableable, buttons ...fyne.CanvasObject) {
	d.box.Objects = objs
	d.box.Refresh()
	d.actions = act
	d.message.Hide()
	d.dlg.SetButtons(buttons)
	relayout(d.box)
}

// show opens the dialog on the window's stack (Esc closes it).
func (d *stepDialog) show() { d.u.showDialog(d.dlg) }

// close hides the dialog.
func (d *stepDialog) close() { d.dlg.Hide() }

// fail shows msg in the message line ("" hides it).
func (d *stepDialog) fail(msg string) { d.note(msg, widget.DangerImportance) }

func (d *stepDialog) note(msg string, imp widget.Importance) {
	if msg == "" {
		d.message.Hide()
	} else {
		d.message.Importance = imp
		d.message.SetText(msg)
		d.message.Show()
	}
	relayout(d.message)
}

// setBusy disables the step's actions and shows the busy indicator while a call runs.
func (d *stepDialog) setBusy(on bool) {
	d.busy = on
	for _, a := range d.actions {
		if on {
			a.Disable()
		} else {
			a.Enable()
		}
	}
	if on {
		d.message.Hide()
		d.progress.Show()
		d.progress.Start()
	} else {
		d.progress.Stop()
		d.progress.Hide()
	}
	relayout(d.progress)
}

// cancelButton closes the dialog.
func (d *stepDialog) cancelButton() *widget.Button {
	return d.u.button(T("button.cancel"), theme.CancelIcon(), d.close)
}

// finish replaces the steps with the outcome and an OK button.
func (d *stepDialog) finish(msg string) {
	ok := d.u.button(T("button.ok"), theme.ConfirmIcon(), d.close)
	ok.Importance = widget.HighImportance
	d.step([]fyne.CanvasObject{wrapped(msg)}, nil, ok)
}
