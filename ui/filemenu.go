package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
)

// File → Import and File → Export. The work is done by vault/transfer through the
// app core's jobs (appcore.ImportJob, appcore.ExportJob); importdialog.go and
// exportdialog.go show them. Closing a dialog — Cancel, Esc, or a lock, which closes
// every dialog — drops its job, so what it held (a plain-text export's bytes, an export
// password) is wiped.

// fileMenu is the window's menu bar: File with Import… and Export… while the vault is
// open, and Quit; then Help (about.go). setContent installs it with every screen, so the labels follow a language
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
	return fyne.NewMainMenu(fyne.NewMenu(T("transfer.menuFile"), imp, exp, fyne.NewMenuItemSeparator(), quit), u.toolsMenu(), u.helpMenu())
}

// openFileDialog asks for a file to import with Fyne's file dialog.
func openFileDialog(u *UI, done func(path string)) {
	openFileDialogFor(u, T("transfer.openTitle"), nil, done)
}

// openFileDialogFor asks for a file to read under the given title, showing only the
// files filter lets through (nil: all).
func openFileDialogFor(u *UI, title string, filter storage.FileFilter, done func(path string)) {
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
	fd.SetTitleText(title)
	fd.SetFilter(filter)
	fd.SetConfirmText(T("transfer.open"))
	fd.SetDismissText(T("button.cancel"))
	fd.Resize(fyne.NewSize(720, 480))
	u.showDialog(fd)
}

// saveFileDialog asks where to save an export with Fyne's save dialog, suggesting name.
func saveFileDialog(u *UI, name string, done func(path string)) {
	saveFileDialogAs(u, T("transfer.saveTitle"), name, done)
}

// saveFileDialogAs asks where to save a file under the given title, suggesting name.
func saveFileDialogAs(u *UI, title, name string, done func(path string)) {
	fd := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			return // cancelled
		}
		path := w.URI().Path()
		// Fyne has created the file; the export or the file's copy replaces it with a
		// 0600 one through a temporary file and a rename.
		if err := w.Close(); err != nil {
			fyne.LogError("closing the chosen file", err)
		}
		done(path)
	}, u.win)
	fd.SetTitleText(title)
	fd.SetConfirmText(T("button.save"))
	fd.SetDismissText(T("button.cancel"))
	fd.SetFileName(name)
	fd.Resize(fyne.NewSize(720, 480))
	u.showDialog(fd)
}
