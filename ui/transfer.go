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
	"runtime/debug"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

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

// unlocked returns the open, unlocked vault, or vault.ErrLocked.
func (c *Controller) unlocked() (*vault.Vault, error) {
	c.mu.Lock()
	v := c.v
	c.mu.Unlock()
	if v == nil || v.Locked() {
		return nil, vault.ErrLocked
	}
	return v, nil
}

// importJob is one import apart from its dialog: the file, the format override, the
// bytes read and the plan. Its methods are called on the UI goroutine; the work runs
// through the controller's Runner and reports back on the UI goroutine.
type importJob struct {
	c      *Controller
	path   string
	format transfer.Format // "" detects the format from the content

	data    []byte // the file's bytes, kept so a retried export password needs no re-read
	plan    *transfer.Plan
	dropped bool
}

// setFile chooses the file to import, forgetting what was read from the previous one.
func (j *importJob) setFile(path string) {
	wipe(j.data)
	j.path, j.data, j.plan = path, nil, nil
}

// check reads the file (once) and works out the plan. password is the export password
// of an encrypted export, nil until the person was asked; it is wiped after use.
// progress and done run on the UI goroutine, and not at all once the job was dropped.
func (j *importJob) check(password []byte, progress transfer.ProgressFunc, done func(error)) {
	v, err := j.c.unlocked()
	if err != nil {
		wipe(password)
		done(err)
		return
	}
	data, path := j.data, j.path
	opts := transfer.ImportOptions{
		Format: j.format,
		// Called on the background goroutine (during Prepare, and again during Apply,
		// which reuses the plan's options).
		Progress: func(s transfer.Stage, n, total int) {
			j.c.run.OnUI(func() {
				if !j.dropped {
					progress(s, n, total)
				}
			})
		},
	}
	if password != nil {
		// Without a Password function Prepare fails with ErrNeedPassword, which is how
		// the dialog learns that it must ask.
		opts.Password = func() ([]byte, error) { return password, nil }
	}
	j.c.run.Background(func() {
		var plan *transfer.Plan
		var err error
		if data == nil {
			data, err = transfer.ReadFile(path)
		}
		if err == nil {
			plan, err = transfer.Prepare(v, data, opts)
		}
		if password != nil {
			wipe(password)
			debug.FreeOSMemory() // Argon2id's memory, as Controller.slow does
		}
		j.c.run.OnUI(func() {
			if j.dropped {
				wipe(data)
				return
			}
			j.data, j.plan = data, plan
			done(err)
		})
	})
}

// apply writes the plan in one transaction and refreshes the list. done runs on the UI
// goroutine with how many items were added (none when err is set).
func (j *importJob) apply(done func(added int, err error)) {
	v, err := j.c.unlocked()
	if err != nil || j.plan == nil {
		done(0, vault.ErrLocked)
		return
	}
	plan := j.plan
	j.c.run.Background(func() {
		n, err := plan.Apply(v)
		j.c.run.OnUI(func() {
			if err == nil {
				j.c.refresh()
			}
			if !j.dropped {
				done(n, err)
			}
		})
	})
}

// drop wipes the file's bytes and lets go of the plan's items.
func (j *importJob) drop() {
	j.dropped = true
	wipe(j.data)
	j.data, j.plan = nil, nil
}

// exportKind is what File → Export writes.
type exportKind int

// The export kinds, in the order the dialog offers them: the safe one first.
const (
	exportEncrypted exportKind = iota // Valv JSON sealed under an export password
	exportJSON                        // Valv JSON in clear: everything
	exportCSV                         // browser CSV in clear: website logins only
)

// exportJob is one export apart from its dialog. A plaintext export becomes ready once
// the master password was checked, an encrypted one once its export password is set.
type exportJob struct {
	c        *Controller
	kind     exportKind
	password []byte // the export password, until the file is written
	ready    bool
	dropped  bool
}

// setKind chooses what to write; the confirmation given for another kind is dropped.
func (j *exportJob) setKind(k exportKind) {
	if k != j.kind {
		j.reset()
	}
	j.kind = k
}

func (j *exportJob) reset() {
	wipe(j.password)
	j.password, j.ready = nil, false
}

// setPassword takes the export password of an encrypted export (the job wipes it).
func (j *exportJob) setPassword(pw []byte) {
	wipe(j.password)
	j.password, j.ready = pw, true
}

// verify checks the master password before a plaintext export, in the background. pw
// is wiped afterwards; done runs on the UI goroutine.
func (j *exportJob) verify(pw []byte, done func(error)) {
	v, err := j.c.unlocked()
	if err != nil {
		wipe(pw)
		done(err)
		return
	}
	j.c.run.Background(func() {
		err := checkMasterPassword(v, pw)
		wipe(pw)
		debug.FreeOSMemory()
		j.c.run.OnUI(func() {
			if j.dropped {
				return
			}
			j.ready = err == nil
			done(err)
		})
	})
}

// write builds the export and writes it to path (0600, atomically), in the background.
// done gets how many items the file holds and how many were left out (CSV only).
func (j *exportJob) write(path string, done func(written, skipped int, err error)) {
	v, err := j.c.unlocked()
	if err == nil && !j.ready {
		err = errNotConfirmed
	}
	if err != nil {
		done(0, 0, err)
		return
	}
	kind, pw := j.kind, j.password
	j.password, j.ready = nil, false // the background owns (and wipes) pw now
	j.c.run.Background(func() {
		written, skipped, err := buildExport(v, kind, pw, path)
		wipe(pw)
		j.c.run.OnUI(func() {
			if !j.dropped {
				done(written, skipped, err)
			}
		})
	})
}

// errNotConfirmed means write was called before the master password was checked or the
// export password set; the dialog never does that.
var errNotConfirmed = errors.New("ui: export not confirmed")

// buildExport writes every item of v to path as kind.
func buildExport(v *vault.Vault, kind exportKind, pw []byte, path string) (written, skipped int, err error) {
	items, err := v.List(vault.Filter{})
	if err != nil {
		return 0, 0, err
	}
	var data []byte
	if kind == exportCSV {
		data, skipped, err = transfer.ExportCSV(items)
	} else {
		data, err = transfer.ExportJSON(items)
	}
	if err != nil {
		return 0, 0, err
	}
	if kind == exportEncrypted {
		// The vault's own calibrated Argon2id cost, with a fresh salt (as valv-cli).
		sealed, err := transfer.Encrypt(data, pw, v.Header().KDF)
		wipe(data)
		debug.FreeOSMemory()
		if err != nil {
			return 0, 0, err
		}
		data = sealed
	}
	err = transfer.WriteFile(path, data)
	wipe(data)
	if err != nil {
		return 0, 0, err
	}
	return len(items) - skipped, skipped, nil
}

// drop wipes the export password.
func (j *exportJob) drop() {
	j.dropped = true
	j.reset()
}

// checkMasterPassword reports whether pw is v's master password, changing nothing.
func checkMasterPassword(v *vault.Vault, pw []byte) error { return v.CheckPassword(pw) }

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
	job  *importJob
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
	d := &importDialog{u: u, job: &importJob{c: u.ctrl}}
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
		d.job.drop()
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
	d.job.setFile(path)
	d.fileName.SetText(filepath.Base(path))
	d.message.Hide()
	d.check.Enable()
	d.showChoose()
}

func (d *importDialog) doCheck() {
	if d.job.path == "" {
		return
	}
	d.job.format = ""
	if i := d.format.SelectedIndex(); i > 0 {
		d.job.format = transfer.Formats[i-1]
	}
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
	d.job.check(password, d.progress, d.checked)
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
	p := d.job.plan
	counts := p.Counts()
	total := len(p.Items)
	head := widget.NewLabelWithStyle(formatName(p.Format), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	file := widget.NewLabel(filepath.Base(d.job.path))
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
		return categoryName(CatLogin)
	case vault.TypeApp:
		return categoryName(CatApp)
	case vault.TypeCard:
		return categoryName(CatCard)
	case vault.TypeAddress:
		return categoryName(CatAddress)
	case vault.TypeNote:
		return categoryName(CatNote)
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
	if d.job.plan == nil || len(d.job.plan.Items) == 0 {
		return
	}
	dups := d.job.plan.Duplicates
	d.showProgress()
	d.stage.SetText(T("transfer.stageSave"))
	d.job.apply(func(added int, err error) {
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
	case errors.Is(err, errNotConfirmed):
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
	job  *exportJob
	step *transferStep
	// askPath asks where to save: Fyne's save dialog; tests answer directly.
	askPath func(name string, done func(path string))

	kind     *widget.RadioGroup
	kinds    []string // the radio labels, in exportKind order
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
	d := &exportDialog{u: u, job: &exportJob{c: u.ctrl}}
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
	logins, total := exportCounts(u.ctrl)
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
				d.setKind(exportKind(i))
			}
		}
	})
	d.kind.Required = true

	d.step.dlg.SetOnClosed(func() {
		d.job.drop()
		d.pair.wipe()
		d.master.Wipe()
		d.progress.Stop()
	})
	d.kind.SetSelected(d.kinds[exportEncrypted])
	d.step.show(container.NewVBox(wrapped(T("transfer.exportIntro")), d.kind,
		widget.NewSeparator(), d.details, d.working, d.progress), d.cancel, d.next)
	u.showDialog(d.step.dlg)
	u.win.Canvas().Focus(d.pair.pw1)
	return d
}

// exportCounts counts the website logins and all items, for the CSV note.
func exportCounts(c *Controller) (logins, total int) {
	v, err := c.unlocked()
	if err != nil {
		return 0, 0
	}
	items, err := v.List(vault.Filter{})
	if err != nil {
		return 0, 0
	}
	for _, it := range items {
		if it.Type == vault.TypeLogin {
			logins++
		}
	}
	return logins, len(items)
}

// setKind shows what the chosen kind needs: the export password, or the warning and
// the master password.
func (d *exportDialog) setKind(k exportKind) {
	d.job.setKind(k)
	d.message.Hide()
	d.pair.message.Hide()
	switch k {
	case exportEncrypted:
		objs := []fyne.CanvasObject{wrapped(T("transfer.encryptedExplain"))}
		objs = append(objs, d.pair.objects()...)
		d.details.Objects = append(objs, d.pair.message)
	case exportJSON:
		d.details.Objects = []fyne.CanvasObject{d.warning, d.master, d.message}
	case exportCSV:
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
	if d.job.ready && d.pair.pw1.Len() == 0 && d.master.Len() == 0 {
		d.chooseFile() // confirmed already; the save dialog was cancelled
		return
	}
	if d.job.kind == exportEncrypted {
		if d.pair.pw1.Len() == 0 {
			d.pair.fail(T("transfer.needExportPassword"))
			return
		}
		pw := d.pair.take()
		if pw == nil {
			return
		}
		d.job.setPassword(pw)
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
	d.job.verify(pw, func(err error) {
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
func (d *exportDialog) chooseFile() { d.askPath(defaultExportName(d.job.kind), d.saveTo) }

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
func defaultExportName(k exportKind) string {
	switch k {
	case exportCSV:
		return "valv-passwords.csv"
	case exportJSON:
		return "valv-export.json"
	}
	return "valv-export.valv"
}

// saveTo writes the export to path.
func (d *exportDialog) saveTo(path string) {
	kind := d.job.kind
	d.busy(T("transfer.exporting"))
	d.job.write(path, func(written, skipped int, err error) {
		d.busy("")
		if err != nil {
			showError(d.message, exportErrorText(err))
			if kind == exportEncrypted {
				showError(d.pair.message, exportErrorText(err))
			}
			return
		}
		d.showResult(kind, filepath.Base(path), written, skipped)
	})
}

func (d *exportDialog) showResult(kind exportKind, file string, written, skipped int) {
	data := map[string]any{"Count": written, "File": file}
	var msg []string
	switch kind {
	case exportEncrypted:
		msg = append(msg, T("transfer.exportedAll", data), T("transfer.exportedKeepPassword"))
	case exportJSON:
		msg = append(msg, T("transfer.exportedAll", data), T("transfer.exportedPlain"))
	case exportCSV:
		msg = append(msg, T("transfer.exportedCSV", data))
		if skipped > 0 {
			msg = append(msg, T("transfer.exportedSkipped", map[string]any{"Count": skipped}))
		}
		msg = append(msg, T("transfer.exportedPlain"))
	}
	d.result.SetText(strings.Join(msg, "\n\n"))
	d.step.show(d.result, d.done)
}
