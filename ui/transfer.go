package ui

// File → Import and File → Export (issue 7). The work is done by vault/transfer; this
// file is the small controller that runs it off the UI goroutine (importJob, exportJob:
// state without widgets) and the two dialogs that show it (importDialog, exportDialog).
//
// Both jobs may hold decrypted data: the bytes of another manager's plain-text export,
// the items of a plan, an export password. Closing the dialog — Cancel, Esc, or a lock,
// which closes every dialog — drops the job: its secrets are wiped or released, and
// results that arrive from the background afterwards are ignored.

import (
	"errors"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/valvpm/valv/ui/appcore"
	"github.com/valvpm/valv/vault"
	"github.com/valvpm/valv/vault/transfer"
)

// transferWidth is the width of both dialogs: room for a problem line such as
// `Line 7 ("broken.example"): the row has 3 columns, the header has 5` on two lines.
const transferWidth = 520

// maxShownProblems caps the lines the summary lists per kind; a file with thousands of
// unreadable rows would otherwise build thousands of labels. The count stays exact.
const maxShownProblems = 100

// fileMenu is the window's File menu: Import… and Export… while the vault is open, and
// Quit. setContent installs it with every screen, so the labels follow a language
// switch and the two items are disabled while no vault is open.
func (u *UI) fileMenu() *fyne.MainMenu {
	open := u.main != nil && !u.ctrl.Locked()
	imp := fyne.NewMenuItem(T("transfer.menuImport"), func() {
		if u.main != nil && !u.ctrl.Locked() {
			u.ctrl.Touch()
			showImport(u)
		}
	})
	exp := fyne.NewMenuItem(T("transfer.menuExport"), func() {
		if u.main != nil && !u.ctrl.Locked() {
			u.ctrl.Touch()
			showExport(u)
		}
	})
	imp.Icon, exp.Icon = theme.DownloadIcon(), theme.UploadIcon()
	imp.Disabled, exp.Disabled = !open, !open
	// Our own Quit, so it is translated; Fyne fills in its action (which goes through
	// the window's close intercept, so the vault is closed and the size remembered).
	quit := fyne.NewMenuItem(T("transfer.menuQuit"), nil)
	quit.IsQuit = true
	return fyne.NewMainMenu(fyne.NewMenu(T("transfer.menuFile"), imp, exp, fyne.NewMenuItemSeparator(), quit))
}

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

// openFileDialog asks for a file to read with Fyne's file dialog.
func openFileDialog(u *UI, done func(path string)) {
	fd := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return // cancelled
		}
		path := r.URI().Path()
		// transfer.ReadFile opens it again, refusing an oversized file before reading.
		if err := r.Close(); err != nil {
			fyne.LogError("closing the chosen file", err)
		}
		done(path)
	}, u.win)
	fd.SetTitleText(T("transfer.openTitle"))
	fd.SetConfirmText(T("transfer.open"))
	fd.SetDismissText(T("button.cancel"))
	fd.Resize(fyne.NewSize(720, 480))
	u.showDialog(fd)
}

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
		showError(d.message, importErrorText(err))
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

// showSummary is the dry run: what Import would add, skip and leave out.
func (d *importDialog) showSummary() {
	p := d.job.Plan()
	counts := p.Counts()
	total := len(p.Items)
	head := widget.NewLabelWithStyle(formatName(p.Format), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	file := widget.NewLabel(filepath.Base(d.job.Path()))
	file.Truncation = fyne.TextTruncateEllipsis
	var perType []string
	for _, t := range vault.Types {
		if n := counts[t]; n > 0 {
			perType = append(perType, T("transfer.typeCount", map[string]any{"Type": typeGroupName(t), "Count": n}))
		}
	}
	types := wrapped(strings.Join(perType, " · "))
	types.SizeName = theme.SizeNameCaptionText
	// Tight rows: the four counts read as one block, and the dialog must fit a
	// 640-pixel window together with the problem list.
	stats := container.New(layout.NewCustomPaddedVBoxLayout(-theme.Padding()*2),
		statRow(T("transfer.toImport"), total, widget.HighImportance), types,
		statRow(T("transfer.duplicates"), p.Duplicates, widget.MediumImportance),
		statRow(T("transfer.problems"), len(p.Problems), warnIfAny(len(p.Problems))),
		statRow(T("transfer.notices"), len(p.Notices), widget.MediumImportance))
	if len(perType) == 0 {
		types.Hide()
	}
	objs := []fyne.CanvasObject{container.NewBorder(nil, nil, head, nil, file), widget.NewSeparator(), stats}
	lists := container.NewVBox()
	if len(p.Problems) > 0 {
		lists.Add(widget.NewLabelWithStyle(T("transfer.problemsHead"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		addProblems(lists, p.Problems)
	}
	if len(p.Notices) > 0 {
		lists.Add(widget.NewLabelWithStyle(T("transfer.noticesHead"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		addProblems(lists, p.Notices)
	}
	if len(lists.Objects) > 0 {
		lists.Resize(fyne.NewSize(transferWidth, lists.MinSize().Height))
		scroll := container.NewVScroll(lists)
		scroll.SetMinSize(fyne.NewSize(0, min(lists.MinSize().Height, 180)))
		objs = append(objs, widget.NewSeparator(), scroll)
	}
	if total == 0 {
		objs = append(objs, wrapped(T("transfer.nothingNew")))
		d.doImport.Disable()
	} else {
		d.doImport.Enable()
	}
	d.summary = container.NewVBox(objs...)
	d.step.show(d.summary, d.cancel, d.doImport)
}

// statRow is one count of the summary: what, then the number.
func statRow(name string, n int, imp widget.Importance) fyne.CanvasObject {
	count := widget.NewLabelWithStyle(strconv.Itoa(n), fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
	count.Importance = imp
	return container.NewBorder(nil, nil, nil, count, widget.NewLabel(name))
}

// warnIfAny colours the count of unreadable entries when there are some.
func warnIfAny(n int) widget.Importance {
	if n > 0 {
		return widget.WarningImportance
	}
	return widget.MediumImportance
}

// typeGroupName is the plural name of a type, as the sidebar shows it.
func typeGroupName(t vault.Type) string {
	switch t {
	case vault.TypeLogin:
		return categoryName(appcore.CatLogin)
	case vault.TypeApp:
		return categoryName(appcore.CatApp)
	case vault.TypeCard:
		return categoryName(appcore.CatCard)
	case vault.TypeAddress:
		return categoryName(appcore.CatAddress)
	case vault.TypeNote:
		return categoryName(appcore.CatNote)
	}
	return typeName(t)
}

// addProblems lists problem lines, at most maxShownProblems of them.
func addProblems(box *fyne.Container, ps []transfer.Problem) {
	for i, p := range ps {
		if i == maxShownProblems {
			box.Add(wrapped(T("transfer.more", map[string]any{"Count": len(ps) - i})))
			return
		}
		l := wrapped(problemText(p))
		l.SizeName = theme.SizeNameCaptionText
		box.Add(l)
	}
}

// problemText is one problem line in the person's language. Only a parser's own detail
// (KindOther: a JSON or CSV syntax error) stays in English, in parentheses.
func problemText(p transfer.Problem) string {
	where := T("transfer.line", map[string]any{"Line": p.Line})
	if p.Line == 0 {
		where = T("transfer.entry", map[string]any{"Entry": p.Entry})
	}
	reason := problemReason(p)
	if p.Title != "" {
		return T("transfer.problemTitled", map[string]any{"Where": where, "Title": p.Title, "Reason": reason})
	}
	return T("transfer.problem", map[string]any{"Where": where, "Reason": reason})
}

// problemReason says why an entry was left out or changed, by the problem's kind.
func problemReason(p transfer.Problem) string {
	switch p.Kind {
	case transfer.KindColumns:
		return T("transfer.reason.columns", map[string]any{"Got": p.Got, "Want": p.Want})
	case transfer.KindUnreadable:
		// The parser's detail ("the value of "name" should be a string") helps find it.
		return T("transfer.reason.other", map[string]any{"Detail": strings.TrimPrefix(p.Reason, "the item cannot be read: ")})
	case transfer.KindNotUTF8:
		return T("transfer.reason.notUTF8")
	case transfer.KindField:
		return T("error.field", map[string]any{"Field": fieldName(p.Field), "Reason": reasonText(p.FieldCode)})
	case transfer.KindCardAsNote:
		return T("transfer.reason.cardAsNote")
	case transfer.KindExpiryAsField:
		return T("transfer.reason.expiryAsField")
	}
	return T("transfer.reason.other", map[string]any{"Detail": p.Reason})
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

// importErrorText says why a file could not be read. Unlike errorText it logs nothing:
// transfer's messages for damaged files may quote the file (a header row, a title).
func importErrorText(err error) string {
	switch {
	case errors.Is(err, transfer.ErrUnknownFormat):
		return T("transfer.errUnknownFormat")
	case errors.Is(err, transfer.ErrTooLarge):
		return T("transfer.errTooLarge")
	case errors.Is(err, transfer.ErrNewerExport):
		return T("transfer.errNewerExport")
	case errors.Is(err, transfer.ErrWrongPassword):
		return T("transfer.wrongExportPassword")
	case errors.Is(err, transfer.ErrNeedPassword):
		return T("transfer.needExportPassword")
	case errors.Is(err, vault.ErrLocked):
		return T("error.locked")
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return T("transfer.errFile")
	}
	return T("transfer.errUnreadable")
}

// exportErrorText says why an export could not be written.
func exportErrorText(err error) string {
	var pe *fs.PathError
	switch {
	case errors.Is(err, vault.ErrDiskFull):
		return errorText(err)
	case errors.Is(err, appcore.ErrNotConfirmed):
		return T("transfer.needMaster")
	case errors.As(err, &pe):
		return T("transfer.errWrite")
	}
	return errorText(err)
}

// formatName is a format's name in the person's language.
func formatName(f transfer.Format) string {
	return T("transfer.format." + string(f))
}

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
				d.setKind(appcore.ExportKind(i))
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
	d.kind.SetSelected(d.kinds[appcore.ExportEncrypted])
	d.step.show(container.NewVBox(wrapped(T("transfer.exportIntro")), d.kind,
		widget.NewSeparator(), d.details, d.working, d.progress), d.cancel, d.next)
	u.showDialog(d.step.dlg)
	u.win.Canvas().Focus(d.pair.pw1)
	return d
}

// setKind shows what the chosen kind needs: the export password, or the warning and
// the master password.
func (d *exportDialog) setKind(k appcore.ExportKind) {
	d.job.SetKind(k)
	d.message.Hide()
	d.pair.message.Hide()
	switch k {
	case appcore.ExportEncrypted:
		objs := []fyne.CanvasObject{wrapped(T("transfer.encryptedExplain"))}
		objs = append(objs, d.pair.objects()...)
		d.details.Objects = append(objs, d.pair.message)
	case appcore.ExportJSON:
		d.details.Objects = []fyne.CanvasObject{d.warning, d.master, d.message}
	case appcore.ExportCSV:
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
	if d.job.Kind() == appcore.ExportEncrypted {
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
func (d *exportDialog) chooseFile() { d.askPath(defaultExportName(d.job.Kind()), d.saveTo) }

// saveFileDialog asks where to save a file with Fyne's save dialog, suggesting name.
func saveFileDialog(u *UI, name string, done func(path string)) {
	fd := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			return // cancelled
		}
		path := w.URI().Path()
		// Fyne has created the file; transfer.WriteFile replaces it with a 0600 one
		// through a temporary file and a rename.
		if err := w.Close(); err != nil {
			fyne.LogError("closing the chosen file", err)
		}
		done(path)
	}, u.win)
	fd.SetTitleText(T("transfer.saveTitle"))
	fd.SetConfirmText(T("button.save"))
	fd.SetDismissText(T("button.cancel"))
	fd.SetFileName(name)
	fd.Resize(fyne.NewSize(720, 480))
	u.showDialog(fd)
}

// defaultExportName suggests a file name with the extension the kind is known by.
func defaultExportName(k appcore.ExportKind) string {
	switch k {
	case appcore.ExportCSV:
		return "valv-passwords.csv"
	case appcore.ExportJSON:
		return "valv-export.json"
	}
	return "valv-export.valv"
}

// saveTo writes the export to path.
func (d *exportDialog) saveTo(path string) {
	kind := d.job.Kind()
	d.busy(T("transfer.exporting"))
	d.job.Write(path, func(written, skipped int, err error) {
		d.busy("")
		if err != nil {
			showError(d.message, exportErrorText(err))
			if kind == appcore.ExportEncrypted {
				showError(d.pair.message, exportErrorText(err))
			}
			return
		}
		d.showResult(kind, filepath.Base(path), written, skipped)
	})
}

func (d *exportDialog) showResult(kind appcore.ExportKind, file string, written, skipped int) {
	data := map[string]any{"Count": written, "File": file}
	var msg []string
	switch kind {
	case appcore.ExportEncrypted:
		msg = append(msg, T("transfer.exportedAll", data), T("transfer.exportedKeepPassword"))
	case appcore.ExportJSON:
		msg = append(msg, T("transfer.exportedAll", data), T("transfer.exportedPlain"))
	case appcore.ExportCSV:
		msg = append(msg, T("transfer.exportedCSV", data))
		if skipped > 0 {
			msg = append(msg, T("transfer.exportedSkipped", map[string]any{"Count": skipped}))
		}
		msg = append(msg, T("transfer.exportedPlain"))
	}
	d.result.SetText(strings.Join(msg, "\n\n"))
	d.step.show(d.result, d.done)
}
