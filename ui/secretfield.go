package ui

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"unsafe"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	isecret "github.com/valvpm/valv/internal/secret"
	"github.com/valvpm/valv/vault"
)

// The editor's secret fields (password, card number, CVC, PIN) are SecretEntry, not
// widget.Entry: Fyne's entry builds a string per keystroke and keeps an undo stack, so a
// typed item password stayed in memory after lock. The text lives in the entry's one
// buffer; Save lends it to the item copy as a string over a buffer the editor wipes when
// it closes (the vault keeps its own copy in its arena, which Lock wipes), and "did the
// person change anything" compares digests, not the text. The authenticator key is one
// too; its setup row (totpsetup.go) reads a QR picture or a pasted link into it.

// isSecretField reports whether the editor edits f in a SecretEntry.
func isSecretField(f vault.FieldSpec) bool {
	return f.Secret && !f.MultiLine && !f.List
}

// secretUI is a secret field's row: the entry, an eye to show it, and for the password
// the generator.
func (e *editor) secretUI(f vault.FieldSpec) fyne.CanvasObject {
	se := e.u.newSecretEntry("")
	se.SetText(f.Get(e.it)) // the vault's arena copy, read into the entry's buffer
	se.OnSubmitted = e.doSave
	se.OnChanged = e.u.ctrl.Touch
	se.OnShortcut = func(s fyne.Shortcut) { e.u.shortcut(s) }
	e.secrets[f.Name] = se
	var eye *widget.Button
	eye = e.u.button("", theme.VisibilityIcon(), func() {
		se.SetRevealed(!se.Revealed)
		if se.Revealed {
			eye.SetIcon(theme.VisibilityOffIcon())
		} else {
			eye.SetIcon(theme.VisibilityIcon())
		}
	})
	eye.Importance = widget.LowImportance
	buttons := container.NewHBox(eye)
	if f.Name == "totp" {
		se.PlaceHolder = T("totp.entryHint")
		e.totp = newTOTPSetup(e.u, se)
		return e.totp.loadUI(container.NewBorder(nil, nil, nil, buttons, se))
	}
	if f.Name == "password" {
		e.generate = e.u.button("", theme.ViewRefreshIcon(), func() {
			showGenerator(e.u, func(pw string) { se.SetText(pw) })
		})
		buttons.Add(e.generate)
	}
	return container.NewBorder(nil, nil, nil, buttons, se)
}

// lend returns the text of se as a string over a new buffer that wipe zeroes.
func (e *editor) lend(se *SecretEntry) string {
	b := se.Bytes()
	if len(b) == 0 {
		return ""
	}
	e.lent = append(e.lent, b)
	return unsafe.String(&b[0], len(b))
}

// secretState is a digest of se's text, to tell whether it changed: keyed with a key of
// this editor's, so what it keeps is no hash of the password to try guesses against.
func (e *editor) secretState(se *SecretEntry) string {
	if e.stateKey == nil {
		e.stateKey = make([]byte, 32)
		rand.Read(e.stateKey)
	}
	b := se.Bytes()
	defer isecret.Wipe(b)
	m := hmac.New(sha256.New, e.stateKey)
	m.Write(b)
	return string(m.Sum(nil))
}

// wipe zeroes the secret entries and what they lent to the item copy; the editor is
// closed, and the copy is read no more.
func (e *editor) wipe() {
	for _, se := range e.secrets {
		se.Wipe()
	}
	for _, b := range e.lent {
		isecret.Wipe(b)
	}
	e.lent = nil
}
