package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/valvpm/valv/ui/appcore"
)

// linkChoice is Two vaults: this device has a vault and the account has another in the
// cloud. Merge (both unlocked: the cloud one with its master password), keep the
// cloud vault (this one becomes a backup), or replace the cloud vault with this one (a
// dangerous action, confirmed by an e-mailed code).
type linkChoice struct {
	*stepDialog
	merge, keep, replace *widget.Button
	pw                   *SecretEntry   // the cloud vault's master password (second step)
	submit               *widget.Button // Merge or Keep on the second step
}

func showLinkChoice(u *UI) *linkChoice {
	c := &linkChoice{stepDialog: newStepDialog(u, T("sync.choiceTitle"))}
	c.merge = u.button(T("sync.merge"), theme.ContentAddIcon(), func() { c.askCloudPassword(true) })
	c.keep = u.button(T("sync.keepCloud"), theme.DownloadIcon(), func() { c.askCloudPassword(false) })
	c.replace = u.button(T("sync.replaceCloud"), theme.UploadIcon(), func() {
		c.close()
		showDanger(u, appcore.DangerReplace)
	})
	c.merge.Importance = widget.HighImportance
	c.replace.Importance = widget.DangerImportance
	c.step([]fyne.CanvasObject{
		wrapped(T("sync.choice")),
		c.merge, wrapped(T("sync.mergeExplain")),
		c.keep, wrapped(T("sync.keepCloudExplain")),
		c.replace, wrapped(T("sync.replaceCloudExplain")),
	}, nil, c.cancelButton())
	u.syncUI.choice = c
	c.show()
	return c
}

// askCloudPassword is the second step of merge and keep: the cloud vault's password.
func (c *linkChoice) askCloudPassword(merge bool) {
	pw := c.secret(T("sync.cloudMasterPassword"))
	c.pw = pw
	action := T("sync.keepCloud")
	if merge {
		action = T("sync.merge")
	}
	run := func() {
		if c.busy {
			return
		}
		if pw.Len() == 0 {
			c.fail(T("unlock.empty"))
			return
		}
		b := pw.Bytes()
		pw.Wipe()
		c.setBusy(true)
		u := c.u
		finish := func(err error, msg string) {
			if c.closed {
				return
			}
			c.setBusy(false)
			if err != nil {
				c.fail(errorText(err))
				return
			}
			u.afterVaultSwap()
			c.finish(msg)
		}
		if merge {
			u.ctrl.Merge(b, func(backup string, added int, err error) {
				finish(err, T("sync.merged", map[string]any{"Count": added, "Path": backup}))
			})
		} else {
			u.ctrl.KeepCloud(b, func(backup string, err error) {
				finish(err, T("sync.keptBackup", map[string]any{"Path": backup}))
			})
		}
	}
	pw.OnSubmitted = run
	c.submit = c.u.button(action, theme.ConfirmIcon(), run)
	c.submit.Importance = widget.HighImportance
	c.step([]fyne.CanvasObject{wrapped(T("sync.cloudPasswordExplain")), pw}, []fyne.Disableable{c.submit}, c.cancelButton(), c.submit)
	c.u.win.Canvas().Focus(pw)
}
