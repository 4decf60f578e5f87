package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/valvpm/valv/vault"
)

// A list field (website addresses, street lines) holds one line per value, so the
// editor gives each value a single-line entry of its own — Enter saves and Tab moves
// on, as in every other one-line field — with a button to add one more.

// listUI lays out the entries of list field f: first (already in e.entries) and one
// more per further value.
func (e *editor) listUI(f vault.FieldSpec, first *entry) fyne.CanvasObject {
	box := container.NewVBox()
	add := func(value string) *entry {
		en := first
		if len(box.Objects) > 0 {
			en = e.u.newEntry()
			en.OnSubmitted = func(string) { e.doSave() }
			e.more[f.Name] = append(e.more[f.Name], en)
		}
		en.SetText(value)
		box.Add(en)
		return en
	}
	values := f.Values(e.it)
	if len(values) == 0 {
		values = []string{""}
	}
	for _, v := range values {
		add(v)
	}
	more := e.u.button("", theme.ContentAddIcon(), func() {
		e.u.win.Canvas().Focus(add(""))
	})
	more.Importance = widget.LowImportance
	return container.NewBorder(nil, nil, nil, container.NewVBox(more), box)
}

// fieldText is what field name's entries hold, a list field's one value per line.
func (e *editor) fieldText(name string) string {
	if se := e.secrets[name]; se != nil {
		return e.lend(se)
	}
	lines := []string{e.entries[name].Text}
	for _, en := range e.more[name] {
		lines = append(lines, en.Text)
	}
	return strings.Join(lines, "\n")
}

// formState is everything the form holds, to tell whether the person changed anything.
func (e *editor) formState() string {
	var b strings.Builder
	for _, f := range e.fields {
		if se := e.secrets[f.Name]; se != nil {
			b.WriteString(e.secretState(se) + "\x00")
			continue
		}
		b.WriteString(e.fieldText(f.Name) + "\x00")
	}
	for _, r := range e.extras {
		b.WriteString(r.name.Text + "\x00" + r.value.Text + "\x00")
	}
	if e.fav.Checked {
		b.WriteString("fav")
	}
	for _, p := range e.files.pending {
		b.WriteString("\x00file:" + p)
	}
	return b.String()
}

// escape is Esc in the editor: it closes an unchanged form, and asks before throwing
// typed input away.
func (e *editor) escape() {
	if e.formState() == e.opened {
		e.dlg.Hide()
		return
	}
	e.u.confirmDanger(T("editor.discardTitle"), T("editor.discardBody"), T("editor.discard"), func() { e.dlg.Hide() })
}
