package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/valvpm/valv/vault"
)

// mask is what a hidden secret looks like; a fixed length so it does not leak the real one.
const mask = "••••••••"

// opensInBrowser are the fields whose values are addresses the detail view opens.
var opensInBrowser = map[string]bool{"url": true}

// detailView shows one item: each field of its type that has a value (in the order of
// the vault's field table) with copy, secrets masked with reveal, addresses with open,
// then the extra fields, and Edit, Delete and Password history.
type detailView struct {
	u      *UI
	screen *mainScreen
	it     *vault.Item // a private copy (Get), dropped with the view on lock

	rows   []*fieldRow
	code   *codeView // the authenticator code, when the item has a key
	files  *filesSection
	edit   *widget.Button
	delete *widget.Button
	hist   *widget.Button
}

// fieldRow is one field of the detail pane.
type fieldRow struct {
	key    string // the field's name in the translations (field.<key>)
	value  string
	secret bool
	label  *widget.Label
	reveal *widget.Button
	copy   *widget.Button
	open   *widget.Button
	shown  bool
}

func newDetailView(u *UI, s *mainScreen, it *vault.Item) *detailView {
	return &detailView{u: u, screen: s, it: it}
}

func (d *detailView) loadUI() fyne.CanvasObject {
	it := d.it
	title := widget.NewLabelWithStyle(itemTitle(it.Title), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameSubHeadingText
	title.Wrapping = fyne.TextWrapWord
	kind := widget.NewLabel(typeName(it.Type))
	kind.SizeName = theme.SizeNameCaptionText
	if it.Favourite {
		kind.SetText(typeName(it.Type) + " · " + T("detail.favourite"))
	}
	head := container.NewBorder(nil, nil, widget.NewIcon(typeIcon(it.Type)), nil,
		container.New(layout.NewCustomPaddedVBoxLayout(-8), title, kind))

	d.u.setCodeView(nil) // the pane before may have shown a code
	body := container.NewVBox()
	for _, f := range vault.FieldsOf(it.Type) {
		if f.Name == "title" {
			continue // the heading
		}
		values := []string{f.Get(it)}
		if opensInBrowser[f.Name] {
			values = f.Values(it) // one row, and one Open, per address
		}
		for _, v := range values {
			if strings.TrimSpace(v) == "" {
				continue
			}
			if f.Name == "totp" {
				if d.code = newCodeView(d.u, v); d.code != nil {
					body.Add(d.code.ui) // the code, not the key (totpview.go)
					continue
				}
			}
			r := &fieldRow{key: f.Name, value: v, secret: f.Secret}
			d.rows = append(d.rows, r)
			body.Add(d.rowUI(r))
		}
	}
	for _, f := range it.Fields {
		r := &fieldRow{key: "", value: f.Value}
		d.rows = append(d.rows, r)
		body.Add(d.customRowUI(f.Name, r))
	}
	d.files = newFilesSection(d.u, d)
	body.Add(d.files.loadUI())

	d.edit = d.u.button(T("detail.edit"), theme.DocumentCreateIcon(), d.doEdit)
	d.delete = d.u.button(T("detail.delete"), theme.DeleteIcon(), d.doDelete)
	d.delete.Importance = widget.DangerImportance
	actions := container.NewHBox(d.edit, d.delete)
	if hasPasswordField(it.Type) || len(it.History) > 0 {
		// Always there for an item with a password, disabled until there is a history:
		// a button appearing after the first change would move the others.
		d.hist = d.u.button(T("detail.history"), theme.HistoryIcon(), func() { showHistory(d.u, d.it) })
		if len(it.History) == 0 {
			d.hist.Disable()
		}
		actions.Add(d.hist)
	}
	modified := widget.NewLabel(T("detail.modified", map[string]any{"Date": it.Modified.Local().Format("2006-01-02 15:04")}))
	modified.SizeName = theme.SizeNameCaptionText
	return container.NewBorder(
		container.NewVBox(head, widget.NewSeparator()),
		container.NewVBox(widget.NewSeparator(), container.NewBorder(nil, nil, nil, actions, modified)),
		nil, nil,
		container.NewVScroll(body))
}

func (d *detailView) rowUI(r *fieldRow) fyne.CanvasObject {
	return d.customRowUI(T("field."+r.key), r)
}

func (d *detailView) customRowUI(name string, r *fieldRow) fyne.CanvasObject {
	// Caption-sized but full-contrast: the field names must stay readable in both themes.
	caption := widget.NewLabelWithStyle(name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	caption.SizeName = theme.SizeNameCaptionText
	r.label = widget.NewLabel("")
	r.label.Wrapping = fyne.TextWrapWord
	r.label.Selectable = !r.secret
	d.render(r)
	buttons := container.NewHBox()
	if r.secret {
		r.reveal = d.u.button("", theme.VisibilityIcon(), func() {
			r.shown = !r.shown
			d.render(r)
		})
		buttons.Add(r.reveal)
	}
	if opensInBrowser[r.key] {
		r.open = d.u.button("", theme.ComputerIcon(), func() {
			if err := openURL(d.u.app, r.value); err != nil {
				d.u.showMessage(T("dialog.errorTitle"), T("error.openURL"))
			}
		})
		buttons.Add(r.open)
	}
	r.copy = d.u.button("", theme.ContentCopyIcon(), func() { d.u.copyValue(r.value) })
	buttons.Add(r.copy)
	return container.NewBorder(nil, nil, nil, container.NewCenter(buttons),
		container.New(layout.NewCustomPaddedVBoxLayout(-12), caption, r.label))
}

// render shows a field's value, or the mask while a secret is hidden.
func (d *detailView) render(r *fieldRow) {
	if r.secret && !r.shown {
		r.label.SetText(mask)
		if r.reveal != nil {
			r.reveal.SetIcon(theme.VisibilityIcon())
		}
		return
	}
	r.label.SetText(r.value)
	if r.reveal != nil {
		r.reveal.SetIcon(theme.VisibilityOffIcon())
	}
}

// row returns the row of a field by its key, for tests.
func (d *detailView) row(key string) *fieldRow {
	for _, r := range d.rows {
		if r.key == key {
			return r
		}
	}
	return nil
}

func (d *detailView) doEdit() {
	showEditor(d.u, d.it, func(saved *vault.Item) {
		d.screen.selected = saved.ID
		d.screen.reload()
	})
}

func (d *detailView) doDelete() {
	id := d.it.ID
	d.u.confirmDanger(T("delete.title"), T("delete.body", map[string]any{"Title": itemTitle(d.it.Title)}), T("delete.confirm"), func() {
		if err := d.u.ctrl.Delete(id); err != nil {
			d.u.showError(err)
			return
		}
		d.screen.selected = vault.ID{}
		d.screen.reload()
	})
}

// hasPasswordField reports whether items of type t have a password (and so a history).
func hasPasswordField(t vault.Type) bool {
	for _, f := range vault.FieldsOf(t) {
		if f.Name == "password" {
			return true
		}
	}
	return false
}
