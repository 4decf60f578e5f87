package ui

import (
	"errors"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/valvpm/valv/ui/appcore"
	"github.com/valvpm/valv/vault/transfer"
)

// importDialog is File → Import: choose a file (and, if detection guesses wrong, its
// format), the export password of an encrypted export, progress while the file is read
// and checked, the summary, and only on Import the write.
type importDialog struct {
	u    *UI
	job  *appcore.ImportJob
	step *transferStep
	// askPath asks for the file to import: Fyne's file dialog; tests answer directly.
	askPath func(done func(path string))

	// Choose the file.
	fileName *widget.Label
	choose   *widget.Button
	format   *widget.Select
	check    *widget.Button
	message  *widget.Label
	// The export password of an encrypted export.
	password  *SecretEntry
	pwMessage *widget.Label
	open      *widget.Button
	// Progress.
	stage *widget.Label
	bar   *widget.ProgressBar
	// The summary and the result.
	summary  *fyne.Container
	doImport *widget.Button
	result   *widget.Label
	done     *widget.Button
	cancel   *widget.Button
}

// showImport opens File → Import.
func showImport(u *UI) *importDialog {
	d := &importDialog{u: u, job: u.ctrl.NewImport()}
	d.askPath = func(done func(string)) { openFileDialog(u, done) }
	d.step = newTransferStep(T("transfer.importTitle"), u.win)
	d.cancel = u.button(T("button.cancel"), theme.CancelIcon(), func() { d.step.dlg.Hide() })
	d.done = u.button(T("button.close"), theme.ConfirmIcon(), func() { d.step.dlg.Hide() })
	d.done.Importance = widget.HighImportance

	d.fileName = widget.NewLabel(T("transfer.noFile"))
	d.fileName.Truncation = fyne.TextTruncateEllipsis
	d.choose = u.button(T("transfer.chooseFile"), theme.FolderOpenIcon(), d.chooseFile)
	opts := []string{T("transfer.detect")}
	for _, f := range transfer.Formats {
		opts = append(opts, formatName(f))
	}
	d.format = widget.NewSelect(opts, func(string) { u.ctrl.Touch() })
	d.format.SetSelectedIndex(0)
	d.check = u.button(T("transfer.check"), theme.SearchIcon(), d.doCheck)
	d.check.Importance = widget.HighImportance
	d.check.Disable()
	d.message = errorLabel()

	d.password = u.newSecretEntry(T("transfer.exportPassword"))
	d.password.OnSubmitted = d.doOpen
	d.password.OnChanged = func() { u.ctrl.Touch(); d.pwMessage.Hide() }
	d.pwMessage = errorLabel()
	d.open = u.button(T("transfer.open"), theme.ConfirmIcon(), d.doOpen)
	d.open.Importance = widget.HighImportance

	d.stage = widget.NewLabel("")
	d.bar = widget.NewProgressBar()

	d.doImport = u.button(T("transfer.import"), theme.DownloadIcon(), d.doApply)
	d.doImport.Importance = widget.HighImportance
	d.result = wrapped("")

	d.step.dlg.SetOnClosed(func() {
		d.job.Drop()
		d.password.Wipe()
		d.summary = nil
	})
	d.showChoose()
	u.showDialog(d.step.dlg)
	return d
}

func (d *importDialog) showChoose() {
	form := widget.NewForm(
		widget.NewFormItem(T("transfer.file"), container.NewBorder(nil, nil, nil, d.choose, d.fileName)),
		widget.NewFormItem(T("transfer.format"), d.format),
	)
	d.step.show(container.NewVBox(wrapped(T("transfer.importIntro")), form, d.message), d.cancel, d.check)
}

// chooseFile asks for the file to import.
func (d *importDialog) chooseFile() { d.askPath(d.setFile) }

// setFile is what choosing a file in the file dialog does.
func (d *importDialog) setFile(path string) {
	d.job.SetFile(path)
	d.fileName.SetText(filepath.Base(path))
	d.message.Hide()
	d.check.Enable()
	d.showChoose()
}

func (d *importDialog) doCheck() {
	if d.job.Path() == "" {
		return
	}
	format := transfer.Format("")
	if i := d.format.SelectedIndex(); i > 0 {
		format = transfer.Formats[i-1]
	}
	d.job.SetFormat(format)
	d.run(nil)
}

// doOpen tries the typed export password.
func (d *importDialog) doOpen() {
	if d.password.Len() == 0 {
		showError(d.pwMessage, T("transfer.needExportPassword"))
		return
	}
	pw := d.password.Bytes()
	d.password.Wipe()
	d.run(pw)
}

// run checks the file with the progress bar on show.
func (d *importDialog) run(password []byte) {
	d.showProgress()
	d.job.Check(password, d.progress, d.checked)
}

func (d *importDialog) showProgress() {
	d.stage.SetText(T("transfer.stageRead"))
	d.bar.Max = 1
	d.bar.SetValue(0)
	d.step.show(container.NewVBox(d.stage, d.bar), d.cancel)
}

// progress shows a report from transfer (on the UI goroutine).
func (d *importDialog) progress(s transfer.Stage, done, total int) {
	switch s {
	case transfer.StageRead:
		d.stage.SetText(T("transfer.stageRead"))
	case transfer.StageCheck:
		d.stage.SetText(T("transfer.stageCheck"))
	default:
		d.stage.SetText(T("transfer.stageSave"))
	}
	d.bar.Max = float64(max(total, 1))
	d.bar.SetValue(float64(done))
}

func (d *importDialog) checked(err error) {
	switch {
	case err == nil:
		d.showSummary()
	case errors.Is(err, transfer.ErrNeedPassword):
		d.showPassword("")
	case errors.Is(err, transfer.ErrWrongPassword):
		d.showPassword(T("transfer.wrongExportPassword"))
	default:
		showError(d.message, say(appcore.ImportMessage(err)))
		d.showChoose()
	}
}

func (d *importDialog) showPassword(msg string) {
	d.pwMessage.Hide()
	if msg != "" {
		showError(d.pwMessage, msg)
	}
	d.step.show(container.NewVBox(wrapped(T("transfer.passwordIntro")), d.password, d.pwMessage), d.cancel, d.open)
	d.u.win.Canvas().Focus(d.password)
}

func (d *importDialog) doApply() {
	if d.job.Plan() == nil || len(d.job.Plan().Items) == 0 {
		return
	}
	dups := d.job.Plan().Duplicates
	d.showProgress()
	d.stage.SetText(T("transfer.stageSave"))
	d.job.Apply(func(added int, err error) {
		if err != nil {
			d.showResult(T("transfer.importFailed") + " " + errorText(err))
			return
		}
		if d.u.main != nil {
			d.u.main.reload()
		}
		msg := T("transfer.imported", map[string]any{"Count": added})
		if dups > 0 {
			msg += " " + T("transfer.importedDuplicates", map[string]any{"Count": dups})
		}
		d.showResult(msg)
	})
}

func (d *importDialog) showResult(msg string) {
	d.result.SetText(msg)
	d.step.show(d.result, d.done)
}

// formatName is a format's name in the person's language.
func formatName(f transfer.Format) string {
	return T("transfer.format." + string(f))
}
