package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// changePasswordDialog asks for the current master password and a new one (twice, with
// the strength meter) and re-protects the vault in the background.
type changePasswordDialog struct {
	u        *UI
	dlg      *dialog.CustomDialog
	current  *SecretEntry
	pair     *passwordPair
	progress *widget.ProgressBarInfinite
	submit   *widget.Button
	cancel   *widget.Button
}

func showChangePassword(u *UI) *changePasswordDialog {
	c := &changePasswordDialog{u: u}
	c.current = u.newSecretEntry(T("change.current"))
	c.pair = newPasswordPair(u, T("change.new"), T("change.repeat"))
	c.current.OnSubmitted = func() { u.win.Canvas().Focus(c.pair.pw1) }
	c.pair.pw2.OnSubmitted = c.doChange
	c.progress = busyBar()
	c.submit = u.button(T("change.submit"), theme.ConfirmIcon(), c.doChange)
	c.submit.Importance = widget.HighImportance
	c.cancel = u.button(T("button.cancel"), theme.CancelIcon(), func() { c.dlg.Hide() })
	objs := []fyne.CanvasObject{c.current, widget.NewSeparator()}
	objs = append(objs, c.pair.objects()...)
	objs = append(objs, c.pair.message, c.progress)
	c.dlg = dialog.NewCustomWithoutButtons(T("change.title"), container.NewVBox(objs...), u.win)
	c.dlg.SetButtons([]fyne.CanvasObject{c.cancel, c.submit})
	c.dlg.Resize(fyne.NewSize(460, 0))
	c.dlg.SetOnClosed(func() {
		c.current.Wipe()
		c.pair.wipe()
	})
	u.changePW = c
	u.showDialog(c.dlg)
	u.win.Canvas().Focus(c.current)
	return c
}

func (c *changePasswordDialog) doChange() {
	if c.u.ctrl.Busy() {
		return
	}
	if c.current.Len() == 0 {
		c.pair.fail(T("change.needCurrent"))
		return
	}
	newPW := c.pair.take()
	if newPW == nil {
		return
	}
	oldPW := c.current.Bytes()
	c.submit.Disable()
	c.progress.Show()
	c.progress.Start()
	c.u.ctrl.ChangeMasterPassword(oldPW, newPW, func(err error) {
		c.submit.Enable()
		c.progress.Stop()
		c.progress.Hide()
		if err != nil {
			c.pair.fail(errorText(err))
			return
		}
		c.dlg.Hide()
		c.u.showMessage(T("change.title"), T("change.done"))
	})
}
