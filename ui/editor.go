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

// editor edits a private copy of an item (a Clone, or a new item) and hands it to the
// controller on Save, as lucor/paw's item widgets do. Only the fields of the item's type
// are shown.
type editor struct {
	u       *UI
	it      *vault.Item
	onSaved func(*vault.Item)

	dlg      *dialog.CustomDialog
	entries  map[string]*entry
	fav      *widget.Check
	message  *widget.Label
	save     *widget.Button
	cancel   *widget.Button
	generate *widget.Button
}

// editorFields lists each type's fields in display order; multi-line ones are marked.
var editorFields = map[vault.Type][]string{
	vault.TypeLogin:   {"title", "url", "username", "password", "notes"},
	vault.TypeApp:     {"title", "application", "username", "password", "notes"},
	vault.TypeCard:    {"title", "cardholder", "number", "expiry", "cvc", "pin", "notes"},
	vault.TypeAddress: {"title", "name", "street", "city", "region", "postcode", "country", "phone", "email", "notes"},
	vault.TypeNote:    {"title", "notes"},
}

var multiLine = map[string]bool{"url": true, "street": true, "notes": true}
var secretField = map[string]bool{"password": true, "cvc": true, "pin": true}

// showEditor opens the editor for it (which the editor owns from now on).
func showEditor(u *UI, it *vault.Item, onSaved func(*vault.Item)) *editor {
	e := &editor{u: u, it: it, onSaved: onSaved, entries: map[string]*entry{}}
	title := T("editor.editTitle", map[string]any{"Type": typeName(it.Type)})
	if it.ID == (vault.ID{}) {
		title = T("editor.newTitle", map[string]any{"Type": typeName(it.Type)})
	}
	e.dlg = dialog.NewCustomWithoutButtons(title, e.loadUI(), u.win)
	e.dlg.SetButtons([]fyne.CanvasObject{e.cancel, e.save})
	e.dlg.Resize(fyne.NewSize(520, 600))
	u.showDialog(e.dlg)
	if en := e.entries["title"]; en != nil {
		u.win.Canvas().Focus(en)
	}
	u.editor = e
	return e
}

func (e *editor) loadUI() fyne.CanvasObject {
	form := widget.NewForm()
	for _, f := range editorFields[e.it.Type] {
		en := e.u.newEntry()
		if multiLine[f] {
			en.MultiLine = true
			en.Wrapping = fyne.TextWrapWord
			en.SetMinRowsVisible(3)
		}
		if secretField[f] {
			en.Password = true
		}
		en.SetText(e.get(f))
		en.OnSubmitted = func(string) { e.doSave() }
		e.entries[f] = en
		var item fyne.CanvasObject = en
		if f == "password" {
			e.generate = e.u.button("", theme.ViewRefreshIcon(), func() {
				showGenerator(e.u, func(pw string) { en.SetText(pw) })
			})
			item = container.NewBorder(nil, nil, nil, e.generate, en)
		}
		form.Append(T("field."+f), item)
	}
	if ph := e.placeholder(); ph != nil {
		for f, p := range ph {
			e.entries[f].SetPlaceHolder(p)
		}
	}
	e.fav = widget.NewCheck(T("editor.favourite"), nil)
	e.fav.Checked = e.it.Favourite
	form.Append("", e.fav)
	e.message = errorLabel()
	e.save = e.u.button(T("button.save"), theme.DocumentSaveIcon(), e.doSave)
	e.save.Importance = widget.HighImportance
	e.cancel = e.u.button(T("button.cancel"), theme.CancelIcon(), func() { e.dlg.Hide() })
	return container.NewBorder(nil, e.message, nil, nil, container.NewVScroll(form))
}

// placeholder gives format hints for the fields that have a format.
func (e *editor) placeholder() map[string]string {
	m := map[string]string{}
	if en := e.entries["url"]; en != nil {
		m["url"] = T("editor.urlHint")
	}
	if en := e.entries["expiry"]; en != nil {
		m["expiry"] = T("editor.expiryHint")
	}
	return m
}

// get reads a field of the item being edited as editor text.
func (e *editor) get(f string) string {
	it := e.it
	switch f {
	case "title":
		return it.Title
	case "url":
		return strings.Join(it.URLs, "\n")
	case "application":
		return it.Application
	case "username":
		return it.Username
	case "password":
		return it.Password
	case "cardholder":
		return it.Cardholder
	case "number":
		return it.Number
	case "expiry":
		return it.Expiry
	case "cvc":
		return it.CVC
	case "pin":
		return it.PIN
	case "name":
		return it.Name
	case "street":
		return strings.Join(it.Street, "\n")
	case "city":
		return it.City
	case "region":
		return it.Region
	case "postcode":
		return it.Postcode
	case "country":
		return it.Country
	case "phone":
		return it.Phone
	case "email":
		return it.Email
	case "notes":
		return it.Notes
	}
	return ""
}

// set writes editor text back into the item being edited.
func (e *editor) set(f, v string) {
	it := e.it
	if f != "notes" && f != "street" && f != "url" {
		v = strings.TrimSpace(v)
	}
	switch f {
	case "title":
		it.Title = v
	case "url":
		it.URLs = lines(v)
	case "application":
		it.Application = v
	case "username":
		it.Username = v
	case "password":
		it.Password = v
	case "cardholder":
		it.Cardholder = v
	case "number":
		it.Number = v
	case "expiry":
		it.Expiry = v
	case "cvc":
		it.CVC = v
	case "pin":
		it.PIN = v
	case "name":
		it.Name = v
	case "street":
		it.Street = lines(v)
	case "city":
		it.City = v
	case "region":
		it.Region = v
	case "postcode":
		it.Postcode = v
	case "country":
		it.Country = v
	case "phone":
		it.Phone = v
	case "email":
		it.Email = v
	case "notes":
		it.Notes = v
	}
}

// lines splits multi-line text into its non-empty trimmed lines.
func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

func (e *editor) doSave() {
	for f, en := range e.entries {
		e.set(f, en.Text)
	}
	e.it.Favourite = e.fav.Checked
	saved, err := e.u.ctrl.Save(e.it)
	if err != nil {
		e.message.SetText(errorText(err))
		e.message.Show()
		return
	}
	e.dlg.Hide()
	if e.onSaved != nil {
		e.onSaved(saved)
	}
}
