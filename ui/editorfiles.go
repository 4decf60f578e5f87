package ui

import (
	"path/filepath"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/valvpm/valv/ui/appcore"
)

// editorFiles is the Files part of the editor: the item's files (opened, renamed and
// removed from the detail view, where each change is stored at once), and the files
// added here, which are stored when the item is saved — a new item has no place in the
// vault for them before.
type editorFiles struct {
	e       *editor
	pending []string // paths added in the editor
	box     *fyne.Container
	add     *widget.Button
}

func newEditorFiles(e *editor) *editorFiles { return &editorFiles{e: e} }

func (f *editorFiles) loadUI() fyne.CanvasObject {
	f.box = container.NewVBox()
	f.add = f.e.u.button(T("attach.add"), theme.ContentAddIcon(), func() {
		openFileDialogFor(f.e.u, T("attach.addTitle"), nil, func(path string) { f.e.addPending(path) })
	})
	f.add.Importance = widget.LowImportance
	f.refresh()
	return container.NewVBox(
		widget.NewLabelWithStyle(T("attach.section"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		f.box, container.NewHBox(f.add))
}

// refresh lists the stored files, then the ones to add.
func (f *editorFiles) refresh() {
	f.box.RemoveAll()
	for _, a := range appcore.Attachments(f.e.it) {
		f.box.Add(fileLine(a.Name, say(a.Size), nil))
	}
	for _, p := range f.pending {
		remove := f.e.u.button("", theme.DeleteIcon(), func() {
			if i := slices.Index(f.pending, p); i >= 0 {
				f.pending = slices.Delete(f.pending, i, i+1)
			}
			f.refresh()
		})
		remove.Importance = widget.LowImportance
		f.box.Add(fileLine(filepath.Base(p), T("attach.pending"), remove))
	}
	f.box.Refresh()
}

// fileLine is a file's name and a caption under it, with an optional button.
func fileLine(name, caption string, button fyne.CanvasObject) fyne.CanvasObject {
	n := widget.NewLabel(name)
	n.Truncation = fyne.TextTruncateEllipsis
	c := widget.NewLabel(caption)
	c.SizeName = theme.SizeNameCaptionText
	return container.NewBorder(nil, nil, widget.NewIcon(theme.FileIcon()), button, container.NewVBox(n, c))
}

// addPending adds files to be stored with the item on Save (Add file, or dropped on
// the window while the editor is open).
func (e *editor) addPending(paths ...string) {
	e.u.ctrl.Touch()
	e.files.pending = append(e.files.pending, paths...)
	e.files.refresh()
}
