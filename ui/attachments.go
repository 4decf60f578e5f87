package ui

import (
	"context"
	"errors"
	"image"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/valvpm/valv/ui/appcore"
	"github.com/valvpm/valv/vault"
)

// previewSize is the room a picture's preview takes in the detail pane.
var previewSize = fyne.NewSize(240, 160)

// filesSection is the Files part of the detail view: each file with its size, Open
// and a menu (Save as…, Rename, Remove), a preview under a picture, and Add file.
type filesSection struct {
	u    *UI
	d    *detailView
	rows []*fileRow
	add  *widget.Button
	sync map[vault.AttachmentID]appcore.Message // each file's sync state; nil: not linked
}

// fileRow is one file of the section.
type fileRow struct {
	att     appcore.AttachmentRow
	name    *widget.Label
	size    *widget.Label
	open    *widget.Button
	more    *widget.Button
	menu    *fyne.Menu // Save as…, Rename, Remove
	preview *canvas.Image
}

func newFilesSection(u *UI, d *detailView) *filesSection { return &filesSection{u: u, d: d} }

func (f *filesSection) loadUI() fyne.CanvasObject {
	caption := widget.NewLabelWithStyle(T("attach.section"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	caption.SizeName = theme.SizeNameCaptionText
	f.add = f.u.button(T("attach.add"), theme.ContentAddIcon(), f.chooseFile)
	f.add.Importance = widget.LowImportance
	box := container.NewVBox(container.NewBorder(nil, nil, nil, f.add, caption))
	rows := appcore.Attachments(f.d.it)
	f.sync = f.u.ctrl.FileSync(f.d.it.ID)
	if len(rows) == 0 && f.d.it.Type == vault.TypeDocument {
		box.Add(paragraph(T("attach.none")))
	}
	for _, a := range rows {
		r := f.rowOf(a)
		f.rows = append(f.rows, r)
		box.Add(f.rowUI(r))
	}
	return box
}

func (f *filesSection) rowOf(a appcore.AttachmentRow) *fileRow {
	r := &fileRow{att: a, name: widget.NewLabel(a.Name), size: widget.NewLabel(f.sizeText(a))}
	r.name.Truncation = fyne.TextTruncateEllipsis
	r.size.SizeName = theme.SizeNameCaptionText
	r.open = f.u.button(T("attach.open"), theme.FileIcon(), func() { f.open(r) })
	r.menu = fyne.NewMenu("",
		fyne.NewMenuItemWithIcon(T("attach.saveAs"), theme.DocumentSaveIcon(), func() { f.saveAs(r) }),
		fyne.NewMenuItemWithIcon(T("attach.rename"), theme.DocumentCreateIcon(), func() { f.rename(r) }),
		fyne.NewMenuItemWithIcon(T("attach.remove"), theme.DeleteIcon(), func() { f.remove(r) }),
	)
	r.more = f.u.button("", theme.MoreHorizontalIcon(), func() {
		pop := widget.NewPopUpMenu(r.menu, f.u.win.Canvas())
		pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(r.more)
		pop.ShowAtPosition(pos.Add(fyne.NewPos(0, r.more.Size().Height)))
	})
	return r
}

// sizeText is a file's size, and where it stands in sync when the vault syncs.
func (f *filesSection) sizeText(a appcore.AttachmentRow) string {
	if m, ok := f.sync[a.ID]; ok {
		return say(a.Size) + " · " + say(m)
	}
	return say(a.Size)
}

// refreshSync shows the files' sync states anew (the sync status line calls it when a
// round of file sync has ended).
func (f *filesSection) refreshSync() {
	f.sync = f.u.ctrl.FileSync(f.d.it.ID)
	for _, r := range f.rows {
		if t := f.sizeText(r.att); t != r.size.Text {
			r.size.SetText(t)
		}
	}
}

func (f *filesSection) rowUI(r *fileRow) fyne.CanvasObject {
	texts := container.New(layout.NewCustomPaddedVBoxLayout(-12), r.name, r.size)
	line := container.NewBorder(nil, nil, widget.NewIcon(theme.FileIcon()), container.NewCenter(container.NewHBox(r.open, r.more)), texts)
	if !r.att.Image {
		return line
	}
	r.preview = canvas.NewImageFromImage(nil)
	r.preview.FillMode = canvas.ImageFillContain
	r.preview.SetMinSize(previewSize)
	r.preview.Hide()
	id := f.d.it.ID
	f.u.ctrl.Preview(id, r.att.ID, func(img image.Image, err error) {
		if err != nil || img == nil {
			return // no preview: the file still opens
		}
		r.preview.Image = img
		r.preview.Show()
		r.preview.Refresh()
	})
	return container.NewVBox(line, container.NewHBox(r.preview))
}

// row returns the row of the file with the given name, for tests.
func (f *filesSection) row(name string) *fileRow {
	for _, r := range f.rows {
		if r.att.Name == name {
			return r
		}
	}
	return nil
}

func (f *filesSection) chooseFile() {
	f.u.ctrl.Touch()
	openFileDialogFor(f.u, T("attach.addTitle"), nil, func(path string) {
		f.u.addFiles(f.d.it.ID, []string{path})
	})
}

func (f *filesSection) open(r *fileRow) {
	p := f.u.showProgress(T("attach.opening", map[string]any{"Name": r.att.Name}))
	p.cancel = f.u.ctrl.OpenAttachment(f.d.it.ID, r.att.ID, func(m appcore.Message) { p.say(say(m)) }, func(_ string, err error) {
		p.close()
		if err != nil && !errors.Is(err, context.Canceled) {
			f.u.showMessage(T("dialog.errorTitle"), say(appcore.AttachMessage(err)))
		}
	})
}

func (f *filesSection) saveAs(r *fileRow) {
	f.u.ctrl.Touch()
	id := f.d.it.ID
	saveFileDialogAs(f.u, T("attach.saveTitle"), r.att.Name, func(path string) {
		f.u.ctrl.SaveAttachmentAs(id, r.att.ID, path, func(err error) {
			if err != nil {
				f.u.showMessage(T("dialog.errorTitle"), say(appcore.SaveMessage(err)))
			}
		})
	})
}

func (f *filesSection) rename(r *fileRow) {
	f.u.ctrl.Touch()
	showRenameFile(f.u, r.att.Name, func(name string) error {
		saved, err := f.u.ctrl.RenameAttachment(f.d.it.ID, r.att.ID, name)
		if err == nil {
			f.d.showSaved(saved)
		}
		return err
	})
}

func (f *filesSection) remove(r *fileRow) {
	f.u.ctrl.Touch()
	id := f.d.it.ID
	body := T("attach.removeBody", map[string]any{"Name": r.att.Name, "Title": f.d.it.Title})
	f.u.confirmDanger(T("attach.removeTitle"), body, T("attach.remove"), func() {
		saved, err := f.u.ctrl.RemoveAttachment(id, r.att.ID)
		if err != nil {
			f.u.showError(err)
			return
		}
		f.d.showSaved(saved)
	})
}

// addFiles adds files to item (zero: a new Document for them) with a progress dialog
// and Cancel, then shows the item. Dropping files on the window, Add file and the
// editor's files all come here.
func (u *UI) addFiles(item vault.ID, paths []string) {
	if len(paths) == 0 {
		return
	}
	p := u.showProgress(T("attach.adding", map[string]any{"Name": filepath.Base(paths[0])}))
	screen := u.main
	p.cancel = u.ctrl.AddFiles(item, paths, func(name string) {
		p.say(T("attach.adding", map[string]any{"Name": name}))
	}, func(saved *vault.Item, err error) {
		p.close()
		if saved != nil && screen != nil && screen == u.main {
			screen.selected = saved.ID
			screen.reload()
		}
		// Cancel is the person's own choice and a lock closed everything: neither
		// needs a sentence.
		if err != nil && !errors.Is(err, vault.ErrLocked) && !errors.Is(err, context.Canceled) {
			u.showMessage(T("dialog.errorTitle"), say(appcore.AttachMessage(err)))
		}
	})
}

// showSaved shows the item as stored after a change of its files.
func (d *detailView) showSaved(saved *vault.Item) {
	if d.screen == nil || d.screen != d.u.main {
		return
	}
	d.screen.selected = saved.ID
	d.screen.reload()
}
