package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	qrcode "github.com/skip2/go-qrcode"

	"github.com/valvpm/valv/vault"
	"github.com/valvpm/valv/vault/totp"
)

const totpURI = "otpauth://totp/GitHub:ann.lee?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=GitHub&algorithm=SHA256&digits=8&period=60"

// qrPNG draws text as a QR code PNG with an encoder independent of the decoder.
func qrPNG(t *testing.T, text string) []byte {
	t.Helper()
	b, err := qrcode.Encode(text, qrcode.Medium, 320)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestItemShowsItsCode: the detail pane shows the code (not the key), counts down on
// the app's clock, shows the next code the moment the period turns, and copies the
// code of that moment; locking stops it.
func TestItemShowsItsCode(t *testing.T) {
	ta := unlockedApp(t, &vault.Item{Type: vault.TypeLogin, Title: "GitHub", Username: "ann.lee", Password: "x7!Rk2#pQ9vL", TOTP: totpURI})
	d := ta.selectTitle("GitHub")
	if d.code == nil || d.row("totp") != nil {
		t.Fatal("the pane shows the key instead of the code")
	}
	key, err := totp.Parse(totpURI)
	if err != nil {
		t.Fatal(err)
	}
	now := key.At(ta.clock.Now())
	shown := strings.ReplaceAll(d.code.code.Text, " ", "")
	if shown != now.Value || d.code.left.Text != T("totp.remaining", map[string]any{"Seconds": now.RemainingSeconds()}) {
		t.Fatalf("the pane shows %q, %q; the code is %s with %v left", d.code.code.Text, d.code.left.Text, now.Value, now.Remaining)
	}
	ta.clock.Advance(now.Remaining - time.Millisecond)
	if got := strings.ReplaceAll(d.code.code.Text, " ", ""); got != now.Value || d.code.left.Text != T("totp.remaining", map[string]any{"Seconds": 1}) {
		t.Fatalf("in the last second the pane shows %q, %q", got, d.code.left.Text)
	}
	ta.clock.Advance(time.Millisecond)
	next := key.At(ta.clock.Now())
	if next.Value == now.Value || strings.ReplaceAll(d.code.code.Text, " ", "") != next.Value ||
		d.code.left.Text != T("totp.remaining", map[string]any{"Seconds": 60}) {
		t.Fatalf("when the period turned the pane shows %q, %q (code %s)", d.code.code.Text, d.code.left.Text, next.Value)
	}
	test.Tap(d.code.copy)
	if got := ta.app.Clipboard().Content(); got != next.Value {
		t.Fatalf("Copy code put %q on the clipboard", got)
	}
	ta.clock.Advance(ta.ctrl.Settings().ClipboardDelay())
	if got := ta.app.Clipboard().Content(); got != "" {
		t.Fatalf("the code stayed on the clipboard: %q", got)
	}

	// Another item in the pane stops the code's timer; so does locking.
	code := d.code
	ta.u.main.showEmpty()
	if code.ticker.Running() {
		t.Fatal("the code kept running after the pane changed")
	}
	ta.u.main.list.UnselectAll()
	d = ta.selectTitle("GitHub")
	test.Tap(ta.u.main.lock)
	ta.clock.Advance(2 * time.Second)
	if d.code.ticker.Running() {
		t.Fatal("the code kept running after the vault locked")
	}
}

// TestEditorTakesTheKeyFromAQRPicture reads the link from a picture file and from the
// clipboard; a picture without a key leaves the entry as it was and says why.
func TestEditorTakesTheKeyFromAQRPicture(t *testing.T) {
	ta := unlockedApp(t)
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	e := showEditor(ta.u, &vault.Item{Type: vault.TypeLogin}, nil)
	if e.totp == nil {
		t.Fatal("the login editor has no authenticator row")
	}
	en := e.secrets["totp"]
	key := func() string { return string(en.Bytes()) }
	for _, c := range []struct{ file, want string }{
		{write("notes.txt", []byte("not a picture")), T("totp.errNotPicture")},
		{write("site.png", qrPNG(t, "https://example.com/")), T("totp.errNotTOTP")},
		{filepath.Join(dir, "gone.png"), T("transfer.errFile")},
	} {
		e.totp.readFile(c.file)
		if key() != "" || !e.totp.note.Visible() || e.totp.note.Text != c.want {
			t.Errorf("%s: entry %q, note %q", filepath.Base(c.file), key(), e.totp.note.Text)
		}
	}
	e.totp.readFile(write("github.png", qrPNG(t, totpURI)))
	if key() != totpURI || e.totp.note.Text != T("totp.read") {
		t.Fatalf("from the file: entry %q, note %q", key(), e.totp.note.Text)
	}

	// The clipboard: a picture, else a link copied as text, else a sentence.
	t.Cleanup(func() { readClipboardPicture = systemClipboardPicture })
	en.SetText("")
	readClipboardPicture = func() ([]byte, error) { return qrPNG(t, totpURI), nil }
	test.Tap(e.totp.paste)
	if key() != totpURI {
		t.Fatalf("the clipboard's picture gave %q", key())
	}
	readClipboardPicture = func() ([]byte, error) { return nil, os.ErrNotExist }
	const link = "otpauth://totp/Shop?secret=JBSWY3DPEHPK3PXP"
	ta.app.Clipboard().SetContent(" " + link + "\n")
	test.Tap(e.totp.paste)
	if key() != link {
		t.Fatalf("the clipboard's link gave %q", key())
	}
	// "hello" is valid base32, but a word on the clipboard is not taken for a key.
	for _, text := range []string{"hello", "otpauth://hotp/x?secret=JBSWY3DP"} {
		ta.app.Clipboard().SetContent(text)
		test.Tap(e.totp.paste)
		if key() != link || e.totp.note.Text != T("totp.errNoClipboardPicture") {
			t.Fatalf("%q on the clipboard: entry %q, note %q", text, key(), e.totp.note.Text)
		}
	}

	e.entries["title"].SetText("GitHub")
	en.SetText(totpURI)
	test.Tap(e.save)
	if items := ta.ctrl.Items(); len(items) != 1 || items[0].TOTP != totpURI {
		t.Fatalf("saved %+v", items)
	}
}

// TestEditorRefusesABadKey: a key Valv cannot make codes from is refused on Save with
// the field's sentence, and nothing is saved.
func TestEditorRefusesABadKey(t *testing.T) {
	ta := unlockedApp(t)
	e := ta.addItem(vault.TypeLogin, map[string]string{"title": "Shop", "totp": "not a key 1"})
	want := T("error.field", map[string]any{"Field": T("field.totp"), "Reason": T("reason.totp")})
	if !e.message.Visible() || e.message.Text != want {
		t.Fatalf("the editor says %q, want %q", e.message.Text, want)
	}
	if n := len(ta.ctrl.Items()); n != 0 {
		t.Fatalf("%d items were saved", n)
	}
	e.secrets["totp"].SetText("otpauth://totp/Shop?secret=JBSWY3DPEHPK3PXP&digits=7")
	test.Tap(e.save)
	if items := ta.ctrl.Items(); len(items) != 1 || items[0].TOTP != "otpauth://totp/Shop?secret=JBSWY3DPEHPK3PXP&digits=7" {
		t.Fatalf("after correcting the key: %+v", items)
	}
}
