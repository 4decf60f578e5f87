package ui

import (
	"fyne.io/fyne/v2"

	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// syncDialog is the Sign in to enable sync window of the main window (PRODUCT.md
// §1.5): what sync needs, and Enable sync, which leads to the same sign-in and
// create-account windows as the first start.
type syncDialog struct {
	dlg    *dialog.CustomDialog
	enable *widget.Button
	cancel *widget.Button
}

func showSyncDialog(u *UI) *syncDialog {
	d := &syncDialog{}
	body := widget.NewLabel(T("sync.body"))
	body.Wrapping = fyne.TextWrapWord
	d.enable = u.button(T("sync.enable"), theme.LoginIcon(), func() {
		d.dlg.Hide()
		u.startAccount(false, "")
	})
	d.enable.Importance = widget.HighImportance
	d.cancel = u.button(T("reminder.dismiss"), theme.CancelIcon(), func() { d.dlg.Hide() })
	d.dlg = dialog.NewCustomWithoutButtons(T("sync.title"), ofWidth(400, body.MinSize().Height*4, body), u.win)
	d.dlg.SetButtons([]fyne.CanvasObject{d.cancel, d.enable})
	u.syncDlg = d
	u.showDialog(d.dlg)
	return d
}
