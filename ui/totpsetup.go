package ui

import (
	"bytes"
	"io"
	"os"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/valvpm/valv/ui/appcore"
	"github.com/valvpm/valv/vault/totp"
)

// pictureFiles are the picture files the QR reader takes (vault/totp/qr).
var pictureFiles = storage.NewExtensionFileFilter([]string{".png", ".jpg", ".jpeg", ".gif", ".bmp", ".webp"})

// totpSetup is the editor's authenticator key row: the entry for an otpauth:// link or
// the key a site shows, and two ways to read the link from a QR code picture — a file,
// or a picture on the clipboard. A picture that gives no key leaves the entry as it
// was and says why beside it; the key itself is checked when the item is saved.
type totpSetup struct {
	u     *UI
	entry *SecretEntry

	fromFile *widget.Button
	paste    *widget.Button
	note     *widget.Label
}

func newTOTPSetup(u *UI, en *SecretEntry) *totpSetup {
	return &totpSetup{u: u, entry: en}
}

// loadUI lays out row (the entry and its eye) above the two ways to read a picture.
func (t *totpSetup) loadUI(row fyne.CanvasObject) fyne.CanvasObject {
	t.fromFile = t.u.button(T("totp.fromFile"), theme.FolderOpenIcon(), func() {
		openFileDialogFor(t.u, T("totp.openTitle"), pictureFiles, t.readFile)
	})
	t.paste = t.u.button(T("totp.fromClipboard"), theme.ContentPasteIcon(), t.readClipboard)
	for _, b := range []*widget.Button{t.fromFile, t.paste} {
		b.Importance = widget.LowImportance
	}
	t.note = wrapped("")
	t.note.Hide()
	return container.NewVBox(row, container.NewHBox(t.fromFile, t.paste), t.note)
}

// readFile takes the key from a picture file.
func (t *totpSetup) readFile(path string) {
	f, err := os.Open(path)
	if err != nil {
		t.say(T("transfer.errFile"), true)
		return
	}
	t.readPicture(f)
	if err := f.Close(); err != nil {
		fyne.LogError("closing the picture", err)
	}
}

// readClipboard takes the key from a picture on the clipboard or, when the clipboard
// holds text, from an otpauth:// link copied as text (what "copy QR code" gives in
// some browsers). Other text is not taken: a word copied by chance can look like a
// base32 key.
func (t *totpSetup) readClipboard() {
	if b, err := readClipboardPicture(); err == nil {
		t.readPicture(bytes.NewReader(b))
		return
	}
	text := strings.TrimSpace(t.u.app.Clipboard().Content())
	if k, err := totp.Parse(text); err == nil && strings.HasPrefix(strings.ToLower(text), "otpauth://") {
		clear(k.Secret)
		t.take(text)
		return
	}
	t.say(errorText(appcore.ErrNoClipboardPicture), true)
}

func (t *totpSetup) readPicture(r io.Reader) {
	uri, err := appcore.ReadTOTPPicture(r)
	if err != nil {
		t.say(errorText(err), true)
		return
	}
	t.take(uri)
}

// take puts a key in the entry, replacing what was there.
func (t *totpSetup) take(key string) {
	t.entry.SetText(key)
	t.say(T("totp.read"), false)
}

func (t *totpSetup) say(msg string, problem bool) {
	t.note.Importance = widget.SuccessImportance
	if problem {
		t.note.Importance = widget.DangerImportance
	}
	t.note.SetText(msg)
	t.note.Show()
}
