package ui

import (
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/valvpm/valv/ui/appcore"
	"github.com/valvpm/valv/vault/transfer"
)

// exportDialog is File → Export: encrypted, Valv JSON or browser CSV; the export
// password twice (encrypted) or the master password again and a warning (plain text);
// then the save dialog and the write.
type exportDialog struct {
	u    *UI
	job  *appcore.ExportJob
	step *transferStep
	// askPath asks where to save: Fyne's save dialog; tests answer directly.
	askPath func(name string, done func(path string))

	kind     *widget.RadioGroup
	kinds    []string // the radio labels, in ExportKind order
	details  *fyne.Container
	pair     *passwordPair // the export password, typed twice, with the strength meter
	master   *SecretEntry
	warning  fyne.CanvasObject
	csvNote  *widget.Label
	message  *widget.Label
	working  *widget.Label
	progress *widget.ProgressBarInfinite
	next     *widget.Button
	cancel   *widget.Button
	done     *widget.Button
	result   *widget.Label
}

// showExport opens File → Export.
func showExport(u *UI) *exportDialog {
	d := &exportDialog{u: u, job: u.ctrl.NewExport()}
	d.askPath = func(name string, done func(string)) { saveFileDialog(u, name, done) }
	d.step = newTransferStep(T("transfer.exportTitle"), u.win)
	d.cancel = u.button(T("button.cancel"), theme.CancelIcon(), func() { d.step.dlg.Hide() })
	d.done = u.button(T("button.close"), theme.ConfirmIcon(), func() { d.step.dlg.Hide() })
	d.done.Importance = widget.HighImportance
	d.next = u.button(T("transfer.exportButton"), theme.DocumentSaveIcon(), d.doNext)
	d.next.Importance = widget.HighImportance

	d.pair = newPasswordPair(u, T("transfer.exportPassword"), T("transfer.exportPasswordRepeat"))
	d.pair.pw2.OnSubmitted = d.doNext
	d.master = u.newSecretEntry(T("transfer.masterPassword"))
	d.master.OnSubmitted = d.doNext
	d.master.OnChanged = func() { u.ctrl.Touch(); d.message.Hide() }
	warn := wrapped(T("transfer.plainWarning"))
	warn.Importance = widget.DangerImportance
	d.warning = container.NewBorder(nil, nil, container.NewVBox(widget.NewIcon(theme.WarningIcon())), nil, warn)
	logins, total := u.ctrl.ExportCounts()
	d.csvNote = wrapped(T("transfer.csvNote", map[string]any{"Logins": logins, "Others": total - logins}))
	d.message = errorLabel()
	d.working = widget.NewLabel("")
	d.working.Hide()
	d.progress = busyBar()
	d.result = wrapped("")

	d.kinds = []string{T("transfer.kindEncrypted"), T("transfer.kindJSON"), T("transfer.kindCSV")}
	d.details = container.NewVBox()
	d.kind = widget.NewRadioGroup(d.kinds, func(s string) {
		u.ctrl.Touch()
		for i, k := range d.kinds {
			if k == s {
				d.setKind(transfer.ExportKind(i))
			}
		}
	})
	d.kind.Required = true

	d.step.dlg.SetOnClosed(func() {
		d.job.Drop()
		d.pair.wipe()
		d.master.Wipe()
		d.progress.Stop()
	})
	d.kind.SetSelected(d.kinds[transfer.EncryptedExport])
	d.step.show(container.NewVBox(wrapped(T("transfer.exportIntro")), d.kind,
		widget.NewSeparator(), d.details, d.working, d.progress), d.cancel, d.next)
	u.showDialog(d.step.dlg)
	u.win.Canvas().Focus(d.pair.pw1)
	return d
}

// setKind shows what the chosen kind needs: the export password, or the warning and
// the master password.
func (d *exportDialog) setKind(k transfer.ExportKind) {
	d.job.SetKind(k)
	d.message.Hide()
	d.pair.message.Hide()
	switch k {
	case transfer.EncryptedExport:
		objs := []fyne.CanvasObject{wrapped(T("transfer.encryptedExplain"))}
		objs = append(objs, d.pair.objects()...)
		d.details.Objects = append(objs, d.pair.message)
	case transfer.JSONExport:
		d.details.Objects = []fyne.CanvasObject{d.warning, d.master, d.message}
	case transfer.CSVExport:
		d.details.Objects = []fyne.CanvasObject{d.warning, d.csvNote, d.master, d.message}
	}
	d.details.Refresh()
	d.step.dlg.Resize(fyne.NewSize(transferWidth, 0))
}

// doNext is Export…: check what the kind needs, then ask where to save.
func (d *exportDialog) doNext() {
	if d.u.ctrl.Busy() || d.progress.Visible() {
		return
	}
	if d.job.Ready() && d.pair.pw1.Len() == 0 && d.master.Len() == 0 {
		d.chooseFile() // confirmed already; the save dialog was cancelled
		return
	}
	if d.job.Kind() == transfer.EncryptedExport {
		if d.pair.pw1.Len() == 0 {
			d.pair.fail(T("transfer.needExportPassword"))
			return
		}
		pw := d.pair.take()
		if pw == nil {
			return
		}
		d.job.SetPassword(pw)
		d.pair.wipe()
		d.pair.changed() // the meter forgets the password too
		d.chooseFile()
		return
	}
	if d.master.Len() == 0 {
		showError(d.message, T("transfer.needMaster"))
		return
	}
	pw := d.master.Bytes()
	d.master.Wipe()
	d.busy(T("transfer.checking"))
	d.job.Verify(pw, func(err error) {
		d.busy("")
		if err != nil {
			showError(d.message, errorText(err))
			d.u.win.Canvas().Focus(d.master)
			return
		}
		d.chooseFile()
	})
}

// busy shows what runs in the background, or nothing when what is "".
func (d *exportDialog) busy(what string) {
	d.working.SetText(what)
	if what == "" {
		d.working.Hide()
		d.progress.Stop()
		d.progress.Hide()
		d.next.Enable()
		d.kind.Enable()
		return
	}
	d.working.Show()
	d.progress.Show()
	d.progress.Start()
	d.next.Disable()
	d.kind.Disable()
}

// chooseFile asks where to save; the dialog stays open, confirmed, if that is cancelled.
func (d *exportDialog) chooseFile() { d.askPath(appcore.ExportFileName(d.job.Kind()), d.saveTo) }

// saveTo writes the export to path.
func (d *exportDialog) saveTo(path string) {
	kind := d.job.Kind()
	d.busy(T("transfer.exporting"))
	d.job.Write(path, func(written, skipped int, err error) {
		d.busy("")
		if err != nil {
			showError(d.message, say(appcore.ExportMessage(err)))
			if kind == transfer.EncryptedExport {
				showError(d.pair.message, say(appcore.ExportMessage(err)))
			}
			return
		}
		d.showResult(kind, filepath.Base(path), written, skipped)
	})
}

func (d *exportDialog) showResult(kind transfer.ExportKind, file string, written, skipped int) {
	data := map[string]any{"Count": written, "File": file}
	var msg []string
	switch kind {
	case transfer.EncryptedExport:
		msg = append(msg, T("transfer.exportedAll", data), T("transfer.exportedKeepPassword"))
	case transfer.JSONExport:
		msg = append(msg, T("transfer.exportedAll", data), T("transfer.exportedPlain"))
	case transfer.CSVExport:
		msg = append(msg, T("transfer.exportedCSV", data))
		if skipped > 0 {
			msg = append(msg, T("transfer.exportedSkipped", map[string]any{"Count": skipped}))
		}
		msg = append(msg, T("transfer.exportedPlain"))
	}
	d.result.SetText(strings.Join(msg, "\n\n"))
	d.step.show(d.result, d.done)
}
