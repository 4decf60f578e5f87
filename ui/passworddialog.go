package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// passwordDialog is a dialog asking for one password with an explanation; submit gets
// the password (which it must wipe) and reports back through the dialog.
type passwordDialog struct {
	*stepDialog
	pw     *SecretEntry
	submit *widget.Button
}

func showPasswordDialog(u *UI, title, explain, placeholder, action string, submit func(d *passwordDialog, pw []byte)) *passwordDialog {
	d := &passwordDialog{stepDialog: newStepDialog(u, title)}
	d.pw = d.secret(placeholder)
	run := func() {
		if d.busy {
			return
		}
		if d.pw.Len() == 0 {
			d.fail(T("unlock.empty"))
			return
		}
		pw := d.pw.Bytes()
		d.pw.Wipe()
		d.setBusy(true)
		submit(d, pw)
	}
	d.pw.OnSubmitted = run
	d.submit = u.button(action, theme.ConfirmIcon(), run)
	d.submit.Importance = widget.HighImportance
	d.step([]fyne.CanvasObject{wrapped(explain), d.pw}, []fyne.Disableable{d.submit}, d.cancelButton(), d.submit)
	u.syncUI.password = d
	d.show()
	u.win.Canvas().Focus(d.pw)
	return d
}

// done ends a call: the outcome message on success, the reason on failure.
func (d *passwordDialog) done(err error, success string) {
	if d.closed {
		return
	}
	d.setBusy(false)
	if err != nil {
		d.fail(errorText(err))
		d.u.win.Canvas().Focus(d.pw)
		return
	}
	d.finish(success)
}

// showPasswordChanged asks for the master password changed on another device. Changes
// made here meanwhile stay and are synced: the vault key itself did not change.
func showPasswordChanged(u *UI) *passwordDialog {
	return showPasswordDialog(u, T("sync.passwordChangedTitle"), T("sync.passwordChanged"), T("sync.newMasterPassword"), T("sync.adopt"),
		func(d *passwordDialog, pw []byte) {
			u.ctrl.AdoptPassword(pw, func(err error) { d.done(err, T("sync.adopted")) })
		})
}

// showLinkPassword asks for the master password that linking this vault needs (the
// account had a vault before, so the key is re-protected for the next key epoch).
func showLinkPassword(u *UI) *passwordDialog {
	return showPasswordDialog(u, T("sync.linkTitle"), T("sync.errNeedPassword"), T("unlock.password"), T("sync.link"),
		func(d *passwordDialog, pw []byte) {
			u.ctrl.Link(pw, func(err error) { d.done(err, T("sync.linked")) })
		})
}

// showReplacedElsewhere is the way on after the cloud vault was replaced or reset on
// another device: this vault is kept as an encrypted backup and the cloud's comes down,
// opened with its master password (which may be a new one). When the cloud vault was
// cleared and not replaced, this vault is uploaded again instead.
func showReplacedElsewhere(u *UI, wiped bool) *passwordDialog {
	if wiped {
		return showPasswordDialog(u, T("sync.wipedTitle"), T("sync.wiped"), T("unlock.password"), T("sync.uploadAgain"),
			func(d *passwordDialog, pw []byte) {
				u.ctrl.Link(pw, func(err error) { d.done(err, T("sync.linked")) })
			})
	}
	return showPasswordDialog(u, T("sync.replacedTitle"), T("sync.replaced"), T("sync.cloudMasterPassword"), T("sync.download"),
		func(d *passwordDialog, pw []byte) {
			u.ctrl.KeepCloud(pw, func(backup string, err error) {
				if err == nil {
					u.afterVaultSwap()
				}
				d.done(err, T("sync.keptBackup", map[string]any{"Path": backup}))
			})
		})
}

// showDownload is Your vault is in the cloud: the account has a vault and this device
// none; it comes down and opens with its master password. Not now leaves the create screen,
// for a new vault (which, once the account is linked, asks what to do with two).
func showDownload(u *UI) *passwordDialog {
	d := showPasswordDialog(u, T("sync.downloadTitle"), T("sync.downloadExplain"), T("sync.cloudMasterPassword"), T("sync.download"),
		func(d *passwordDialog, pw []byte) {
			u.ctrl.DownloadVault(pw, func(err error) {
				if d.closed {
					return
				}
				d.setBusy(false)
				if err != nil {
					d.fail(errorText(err))
					u.win.Canvas().Focus(d.pw)
					return
				}
				d.close()
				u.showStage()
			})
		})
	return d
}
