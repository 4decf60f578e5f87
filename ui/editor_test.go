package ui

import (
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/valvpm/valv/vault"
)

// TestEditorFollowsFieldTable: the editor offers every field the vault's table gives the
// type — the TOTP key and the folder too — and the detail view shows them; secrets are
// masked in both.
func TestEditorFollowsFieldTable(t *testing.T) {
	ta := newTestApp(t, true)
	ta.createVault(strongPassword)
	for _, typ := range vault.Types {
		ta.u.main.add(typ)
		e := ta.u.editor
		var want []string
		for _, f := range vault.FieldsOf(typ) {
			want = append(want, f.Name)
			en, se := e.entries[f.Name], e.secrets[f.Name]
			switch {
			case isSecretField(f) && (se == nil || en != nil):
				t.Errorf("%v editor: secret field %q is not a SecretEntry", typ, f.Name)
			case !isSecretField(f) && (en == nil || en.Password != f.Secret):
				t.Errorf("%v editor: field %q missing or not masked as the table says", typ, f.Name)
			}
		}
		if len(e.entries)+len(e.secrets) != len(want) {
			t.Errorf("%v editor has %d fields, the table %d (%q)", typ, len(e.entries), len(want), want)
		}
		ta.u.closeAllDialogs()
	}

	e := ta.addItem(vault.TypeLogin, map[string]string{"title": "Mail", "folder": "Work/Mail", "username": "ann",
		"password": "pw-Mail-1", "totp": "JBSWY3DPEHPK3PXP"})
	if !e.message.Hidden {
		t.Fatalf("saving the login failed: %q", e.message.Text)
	}
	d := ta.selectTitle("Mail")
	if d.row("totp") != nil || d.code == nil {
		t.Fatal("the detail view shows the TOTP key instead of its code")
	}
	if r := d.row("folder"); r == nil || r.value != "Work/Mail" {
		t.Error("the detail view does not show the folder")
	}
	it, err := ta.ctrl.Item(d.it.ID)
	if err != nil || it.TOTP != "JBSWY3DPEHPK3PXP" || it.Folder != "Work/Mail" {
		t.Fatalf("stored %+v, %v", it, err)
	}
}

// TestEditorExtraFields: extra fields are added, renamed and removed in the editor and
// stored with the item; a value without a name is refused with a sentence, and Cancel
// leaves the stored item as it was (the editor works on a copy).
func TestEditorExtraFields(t *testing.T) {
	ta := newTestApp(t, true)
	ta.createVault(strongPassword)
	ta.addItem(vault.TypeNote, map[string]string{"title": "Router"})
	d := ta.selectTitle("Router")

	test.Tap(d.edit)
	e := ta.u.editor
	test.Tap(e.addExtra)
	test.Tap(e.addExtra)
	test.Tap(e.addExtra)
	if len(e.extras) != 3 {
		t.Fatalf("%d extra rows after three taps on Add field", len(e.extras))
	}
	test.Type(e.extras[0].name, "SSID")
	test.Type(e.extras[0].value, "hall-5G")
	test.Type(e.extras[1].value, "no name")
	test.Tap(e.save)
	if e.message.Hidden || e.message.Text != T("editor.extraNeedsName") {
		t.Fatalf("a value without a name: message %q", e.message.Text)
	}
	test.Tap(e.extras[1].remove)
	test.Type(e.extras[1].name, "Admin") // the third row, now second
	test.Type(e.extras[1].value, "192.168.1.1")
	test.Tap(e.save)
	if !e.message.Hidden {
		t.Fatalf("saving: %q", e.message.Text)
	}
	it, err := ta.ctrl.Item(d.it.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := []vault.Field{{Name: "SSID", Value: "hall-5G"}, {Name: "Admin", Value: "192.168.1.1"}}
	if !slices.Equal(it.Fields, want) {
		t.Fatalf("stored extra fields %+v, want %+v", it.Fields, want)
	}

	d = ta.u.main.detail
	test.Tap(d.edit)
	e = ta.u.editor
	if len(e.extras) != 2 || e.extras[0].name.Text != "SSID" {
		t.Fatalf("the editor reopens with %d extra rows", len(e.extras))
	}
	e.extras[0].name.SetText("Network")
	test.Tap(e.extras[1].remove)
	test.Tap(e.cancel)
	if it, _ := ta.ctrl.Item(d.it.ID); !slices.Equal(it.Fields, want) {
		t.Errorf("Cancel changed the stored item: %+v", it.Fields)
	}
	if !slices.Equal(d.it.Fields, want) {
		t.Errorf("the editor changed the detail view's item instead of a copy: %+v", d.it.Fields)
	}
}

// TestEditorKeyboard: one-line fields are one line (Enter saves), Tab never types a
// tab, and Esc on a changed form asks before discarding; on an unchanged one it closes.
func TestEditorKeyboard(t *testing.T) {
	ta := newTestApp(t, true)
	ta.createVault(strongPassword)
	ta.u.main.add(vault.TypeAddress)
	e := ta.u.editor
	for _, name := range []string{"street", "notes"} {
		if e.entries[name].AcceptsTab() {
			t.Errorf("Tab in %s types a tab instead of moving on", name)
		}
	}
	if e.entries["street"].MultiLine {
		t.Error("Street is a multi-line entry")
	}
	test.Type(e.entries["title"], "Home")
	ta.u.closeTopDialog() // Esc
	if ta.u.asked == nil || len(ta.u.dialogs) != 2 {
		t.Fatal("Esc on a changed form closed it without asking")
	}
	ta.u.closeTopDialog() // Esc again: the question goes, the typing stays
	if len(ta.u.dialogs) != 1 || e.entries["title"].Text != "Home" {
		t.Fatalf("Esc on Discard changes? lost the form (%d dialogs)", len(ta.u.dialogs))
	}
	ta.u.closeAllDialogs()

	ta.u.main.add(vault.TypeLogin)
	e = ta.u.editor
	if e.entries["url"].MultiLine {
		t.Error("Website address is a multi-line entry")
	}
	ta.u.closeTopDialog()
	if len(ta.u.dialogs) != 0 {
		t.Error("Esc on an unchanged form did not close it")
	}
	ta.u.main.add(vault.TypeLogin)
	e = ta.u.editor
	test.Type(e.entries["title"], "Shop")
	test.Type(e.entries["url"], "shop.example")
	e.entries["url"].TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if len(ta.u.dialogs) != 0 || len(ta.appTitles()) != 1 {
		t.Fatalf("Enter in Website address did not save (%d dialogs)", len(ta.u.dialogs))
	}
}

// TestEditorSecretsWiped: an item's password is typed into a SecretEntry; the saved
// item holds it, the editor's "changed?" state holds no copy of it, and closing the
// editor zeroes the entry and the buffer it lent to the item copy.
func TestEditorSecretsWiped(t *testing.T) {
	ta := newTestApp(t, true)
	ta.createVault(strongPassword)
	const pw = "Canary-Editor-Pw-41"
	e := ta.addItem(vault.TypeLogin, map[string]string{"title": "Bank", "password": pw})
	if !e.message.Hidden {
		t.Fatalf("saving failed: %q", e.message.Text)
	}
	d := ta.selectTitle("Bank")
	it, err := ta.ctrl.Item(d.it.ID)
	if err != nil || it.Password != pw {
		t.Fatalf("stored password %q (%v)", it.Password, err)
	}
	if strings.Contains(e.opened, pw) {
		t.Error("the editor's opening state holds the password")
	}
	se := e.secrets["password"]
	if se.Len() != 0 || slices.ContainsFunc(se.buf[:cap(se.buf)], func(r rune) bool { return r != 0 }) {
		t.Error("the closed editor's password entry still holds the password")
	}
	if len(e.lent) != 0 {
		t.Error("the closed editor still keeps the text it lent")
	}

	// Editing: unchanged closes with Esc; a changed password asks first.
	test.Tap(d.edit)
	e2 := ta.u.editor
	if e2 == e || e2.it.ID != it.ID {
		t.Fatal("Edit did not open the editor for the item")
	}
	if got := secret(e2.secrets["password"]); got != pw {
		t.Fatalf("the editor opened with %q", got)
	}
	if strings.Contains(e2.opened, pw) {
		t.Error("the editor's opening state holds the password")
	}
	typeSecret(e2.secrets["password"], "Other-Pw-42")
	if e2.formState() == e2.opened {
		t.Error("a changed password is not seen as a change")
	}
}
