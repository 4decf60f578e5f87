package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/valvpm/valv/ui/appcore"
)

// progressDialog says what a file step is doing (adding, opening, downloading) with a
// busy bar and Cancel, while the step runs in the background.
type progressDialog struct {
	u      *UI
	dlg    *dialog.CustomDialog
	text   *widget.Label
	bar    *widget.ProgressBarInfinite
	stop   *widget.Button
	cancel func() // set by the caller once the step started
	closed bool
}

// showProgress opens a progress dialog saying text.
func (u *UI) showProgress(text string) *progressDialog {
	p := &progressDialog{u: u, text: wrapped(text), bar: busyBar()}
	p.stop = u.button(T("button.cancel"), theme.CancelIcon(), func() {
		if p.cancel != nil {
			p.cancel()
		}
	})
	p.bar.Show()
	p.bar.Start()
	content := ofWidth(380, p.text.MinSize().Height*2+p.bar.MinSize().Height, container.NewVBox(p.text, p.bar))
	p.dlg = dialog.NewCustomWithoutButtons(T("attach.section"), content, u.win)
	p.dlg.SetButtons([]fyne.CanvasObject{p.stop})
	u.progress = p
	u.showDialog(p.dlg)
	return p
}

// say replaces the dialog's text ("Downloading…" after "Opening…").
func (p *progressDialog) say(text string) {
	if !p.closed {
		p.text.SetText(text)
		p.dlg.Refresh() // a longer text may need another line
	}
}

// close ends the dialog; the step has finished.
func (p *progressDialog) close() {
	if p.closed {
		return
	}
	p.closed = true
	p.bar.Stop()
	p.dlg.Hide()
}

// renameFileDialog asks for a file's new name.
type renameFileDialog struct {
	dlg     *dialog.CustomDialog
	name    *entry
	message *widget.Label
	save    *widget.Button
}

// showRenameFile asks for a new name for the file called current; rename stores it and
// returns why it could not (the dialog then stays open and says so).
func showRenameFile(u *UI, current string, rename func(name string) error) *renameFileDialog {
	r := &renameFileDialog{name: u.newEntry(), message: errorLabel()}
	r.name.SetText(current)
	submit := func() {
		if err := rename(r.name.Text); err != nil {
			r.message.SetText(say(appcore.MessageFor(err)))
			r.message.Show()
			r.dlg.Refresh() // lay the dialog out again, taller by the sentence
			return
		}
		r.dlg.Hide()
	}
	r.name.OnSubmitted = func(string) { submit() }
	r.save = u.button(T("button.save"), theme.DocumentSaveIcon(), submit)
	r.save.Importance = widget.HighImportance
	cancel := u.button(T("button.cancel"), theme.CancelIcon(), func() { r.dlg.Hide() })
	form := widget.NewForm(widget.NewFormItem(T("attach.name"), r.name))
	content := ofWidth(420, form.MinSize().Height+r.name.MinSize().Height*2, container.NewVBox(form, r.message))
	r.dlg = dialog.NewCustomWithoutButtons(T("attach.renameTitle"), content, u.win)
	r.dlg.SetButtons([]fyne.CanvasObject{cancel, r.save})
	u.renameFile = r
	u.showDialog(r.dlg)
	u.win.Canvas().Focus(r.name)
	return r
}
