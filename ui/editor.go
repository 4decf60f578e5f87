package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/valvpm/valv/vault"
)

// editorHints are the placeholders of the fields that have a format.
var editorHints = map[string]string{"url": "editor.urlHint", "expiry": "editor.expiryHint"}

// editor edits a private copy of an item and hands the copy to the controller on Save,
// as lucor/paw's item widgets do: the vault's item is untouched until the save
// succeeds, and Cancel just drops the copy. Its form is built from the vault's field
// table (vault.FieldsOf), so every field of the item's type is offered — a new row in
// the table appears here with no change — followed by the item's extra fields, which
// can be added, renamed and removed.
type editor struct {
	u       *UI
	it      *vault.Item // the copy being edited
	onSaved func(*vault.Item)

	dlg      *dialog.CustomDialog
	fields   []vault.FieldSpec
	entries  map[string]*entry       // by field name; a list field's first value
	more     map[string][]*entry     // a list field's further values
	secrets  map[string]*SecretEntry // the secret fields (secretfield.go)
	lent     [][]byte                // the secrets' text lent to the copy, wiped on close
	stateKey []byte                  // keys the digests of the secrets in formState
	opened   string                  // formState as the editor opened, for Esc
	extras   []*extraRow
	extraBox *fyne.Container
	addExtra *widget.Button
	fav      *widget.Check
	message  *widget.Label
	save     *widget.Button
	cancel   *widget.Button
	generate *widget.Button
	totp     *totpSetup // the authenticator key row (totpsetup.go)
	files    *editorFiles
}

// extraRow is one extra field in the editor: its name, its value and Remove.
type extraRow struct {
	name, value *entry
	remove      *widget.Button
}

// showEditor opens the editor for a copy of it; onSaved gets the stored item.
func showEditor(u *UI, it *vault.Item, onSaved func(*vault.Item)) *editor {
	e := &editor{u: u, it: it.Clone(), onSaved: onSaved, entries: map[string]*entry{}, more: map[string][]*entry{}, secrets: map[string]*SecretEntry{}, fields: vault.FieldsOf(it.Type)}
	title := T("editor.editTitle", map[string]any{"Type": typeName(it.Type)})
	if it.ID == (vault.ID{}) {
		title = T("editor.newTitle", map[string]any{"Type": typeName(it.Type)})
	}
	e.dlg = dialog.NewCustomWithoutButtons(title, e.loadUI(), u.win)
	e.dlg.SetButtons([]fyne.CanvasObject{e.cancel, e.save})
	e.dlg.SetOnClosed(e.wipe)
	e.dlg.Resize(fyne.NewSize(520, 600))
	u.showDialog(e.dlg)
	e.opened = e.formState()
	if en := e.entries["title"]; en != nil {
		u.win.Canvas().Focus(en)
	}
	u.editor = e
	return e
}

func (e *editor) loadUI() fyne.CanvasObject {
	form := widget.NewForm()
	for _, f := range e.fields {
		form.Append(T(f.LabelKey()), e.fieldUI(f))
	}
	e.extraBox = container.NewVBox()
	for _, x := range e.it.Fields {
		e.addExtraRow(x.Name, x.Value)
	}
	e.addExtra = e.u.button(T("editor.addField"), theme.ContentAddIcon(), func() {
		r := e.addExtraRow("", "")
		e.u.win.Canvas().Focus(r.name)
	})
	e.addExtra.Importance = widget.LowImportance
	e.fav = widget.NewCheck(T("editor.favourite"), nil)
	e.fav.Checked = e.it.Favourite
	e.message = errorLabel()
	e.save = e.u.button(T("button.save"), theme.DocumentSaveIcon(), e.doSave)
	e.save.Importance = widget.HighImportance
	e.cancel = e.u.button(T("button.cancel"), theme.CancelIcon(), func() { e.dlg.Hide() })
	extras := container.NewVBox(
		widget.NewLabelWithStyle(T("editor.extraFields"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		e.extraBox, container.NewHBox(e.addExtra))
	e.files = newEditorFiles(e)
	body := container.NewVBox(form, widget.NewSeparator(), extras, widget.NewSeparator(), e.files.loadUI(), widget.NewSeparator(), e.fav)
	return container.NewBorder(nil, e.message, nil, nil, container.NewVScroll(body))
}

// fieldUI is the entry of one field of the table, shaped by the field's kind.
func (e *editor) fieldUI(f vault.FieldSpec) fyne.CanvasObject {
	if isSecretField(f) {
		return e.secretUI(f)
	}
	en := e.u.newEntry()
	if f.MultiLine && !f.List {
		en.MultiLine = true
		en.Wrapping = fyne.TextWrapWord
		en.SetMinRowsVisible(3)
	}
	en.SetText(f.Get(e.it))
	if hint, ok := editorHints[f.Name]; ok {
		en.SetPlaceHolder(T(hint))
	}
	en.OnSubmitted = func(string) { e.doSave() }
	e.entries[f.Name] = en
	if f.List {
		return e.listUI(f, en)
	}
	return en
}

// addExtraRow adds an extra field's row to the editor.
func (e *editor) addExtraRow(name, value string) *extraRow {
	r := &extraRow{name: e.u.newEntry(), value: e.u.newEntry()}
	r.name.SetPlaceHolder(T("editor.extraName"))
	r.name.SetText(name)
	r.value.SetPlaceHolder(T("editor.extraValue"))
	r.value.SetText(value)
	r.value.OnSubmitted = func(string) { e.doSave() }
	var row *fyne.Container
	r.remove = e.u.button("", theme.DeleteIcon(), func() {
		e.extraBox.Remove(row)
		for i, x := range e.extras {
			if x == r {
				e.extras = append(e.extras[:i], e.extras[i+1:]...)
			}
		}
	})
	r.remove.Importance = widget.LowImportance
	row = container.NewBorder(nil, nil, nil, r.remove, container.NewGridWithColumns(2, r.name, r.value))
	e.extras = append(e.extras, r)
	e.extraBox.Add(row)
	return r
}

// read puts what the form holds into the copy; it returns false (and says why) when an
// extra field has a value but no name.
func (e *editor) read() bool {
	for _, f := range e.fields {
		f.SetInput(e.it, e.fieldText(f.Name))
	}
	e.it.Fields = nil
	for _, r := range e.extras {
		name, value := strings.TrimSpace(r.name.Text), strings.TrimSpace(r.value.Text)
		switch {
		case name == "" && value == "":
			continue // an empty row is no field
		case name == "":
			e.fail(T("editor.extraNeedsName"))
			e.u.win.Canvas().Focus(r.name)
			return false
		}
		e.it.Fields = append(e.it.Fields, vault.Field{Name: name, Value: value})
	}
	e.it.Favourite = e.fav.Checked
	return true
}

func (e *editor) fail(msg string) {
	e.message.SetText(msg)
	e.message.Show()
}

func (e *editor) doSave() {
	e.message.Hide()
	if !e.read() {
		return
	}
	saved, err := e.u.ctrl.Save(e.it)
	if err != nil {
		e.fail(errorText(err))
		return
	}
	e.dlg.Hide()
	if e.onSaved != nil {
		e.onSaved(saved)
	}
	e.u.addFiles(saved.ID, e.files.pending) // after the item exists: a new one has no ID before
}
