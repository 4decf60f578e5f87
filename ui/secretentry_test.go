package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// TestSecretEntryKeepsNoCopies: the text lives in one buffer that Wipe zeroes, growing
// wipes the old buffer, Backspace zeroes the removed rune, and nothing but bullets is
// rendered.
func TestSecretEntryKeepsNoCopies(t *testing.T) {
	test.NewTempApp(t)
	e := NewSecretEntry()
	w := test.NewWindow(e)
	defer w.Close()

	test.Type(e, "abcdefghijklmnop") // 16 runes: forces the buffer to grow once
	if e.Len() != 16 || string(e.Bytes()) != "abcdefghijklmnop" {
		t.Fatalf("typed %d runes: %q", e.Len(), e.Bytes())
	}
	old := e.buf[:cap(e.buf)]
	test.Type(e, "qrstuvwxyz0123456789") // grows again: the previous array must be wiped
	for i, r := range old {
		if r != 0 {
			t.Fatalf("the outgrown buffer still holds %q at %d", r, i)
		}
	}
	e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyBackspace})
	if e.buf[:e.Len()+1][e.Len()] != 0 {
		t.Error("Backspace left the removed character in the buffer")
	}
	markup := test.RenderObjectToMarkup(e)
	for _, s := range []string{"abc", "xyz", "789"} {
		if strings.Contains(markup, s) {
			t.Errorf("the rendered entry contains %q", s)
		}
	}
	buf := e.buf[:cap(e.buf)]
	e.Wipe()
	for i, r := range buf {
		if r != 0 {
			t.Fatalf("Wipe left %q at %d", r, i)
		}
	}
	if e.Len() != 0 {
		t.Error("Wipe did not empty the entry")
	}
	e.TypedRune('\r')
	if e.Len() != 0 {
		t.Error("a control character was typed into the entry")
	}
	submitted := false
	e.OnSubmitted = func() { submitted = true }
	e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if !submitted {
		t.Error("Enter did not submit")
	}
}

// TestSecretEntryPasteAndReveal: Ctrl+V appends the clipboard's text without its line
// break; the eye shows the text and hides it again; other shortcuts go to OnShortcut.
func TestSecretEntryPasteAndReveal(t *testing.T) {
	app := test.NewTempApp(t)
	e := NewSecretEntry()
	w := test.NewWindow(e)
	defer w.Close()
	var other fyne.Shortcut
	e.OnShortcut = func(s fyne.Shortcut) { other = s }

	test.Type(e, "ab")
	cb := app.Clipboard()
	cb.SetContent("cd-Pasted-9\n")
	e.TypedShortcut(&fyne.ShortcutPaste{Clipboard: cb})
	if got := string(e.Bytes()); got != "abcd-Pasted-9" {
		t.Fatalf("after paste the entry holds %q", got)
	}
	if m := test.RenderObjectToMarkup(e); strings.Contains(m, "Pasted") {
		t.Error("the pasted text is drawn before the eye is pressed")
	}
	e.SetRevealed(true)
	if m := test.RenderObjectToMarkup(e); !strings.Contains(m, "abcd-Pasted-9") {
		t.Errorf("revealed, the entry does not show its text:\n%s", m)
	}
	e.SetRevealed(false)
	if m := test.RenderObjectToMarkup(e); strings.Contains(m, "Pasted") {
		t.Error("hidden again, the text is still drawn")
	}
	copyKey := &fyne.ShortcutCopy{Clipboard: cb}
	e.TypedShortcut(copyKey)
	if other != copyKey || cb.Content() != "cd-Pasted-9\n" {
		t.Errorf("Copy went to %v and the clipboard holds %q: the entry must never copy", other, cb.Content())
	}
}

// TestSecretEntryFitsItsBox: a text longer than the box (an otpauth:// link) draws no
// more bullets than fit, and revealed, the end of the text after an ellipsis, never
// past the entry's edge; the whole text is still what Bytes gives.
func TestSecretEntryFitsItsBox(t *testing.T) {
	test.NewTempApp(t)
	e := NewSecretEntry()
	w := test.NewWindow(e)
	defer w.Close()
	w.Resize(fyne.NewSize(240, 60))
	link := "otpauth://totp/Example:ann@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Example&digits=6"
	e.SetText(link)
	r := test.WidgetRenderer(e).(*secretRenderer)
	inside := func(what string) {
		t.Helper()
		if right := r.text.Position().X + r.text.MinSize().Width; right > e.Size().Width {
			t.Errorf("%s: the text ends at %.0f, past the entry's %.0f", what, right, e.Size().Width)
		}
	}
	if n := len([]rune(r.text.Text)); n == 0 || n >= len(link) || strings.Trim(r.text.Text, "•") != "" {
		t.Fatalf("hidden, the entry draws %d characters %q for a %d-character key", n, r.text.Text, len(link))
	}
	inside("hidden")
	e.SetRevealed(true)
	if !strings.HasPrefix(r.text.Text, "…") || !strings.HasSuffix(link, strings.TrimPrefix(r.text.Text, "…")) {
		t.Fatalf("revealed, the entry draws %q", r.text.Text)
	}
	inside("revealed")
	if string(e.Bytes()) != link {
		t.Error("fitting the text changed it")
	}
	w.Resize(fyne.NewSize(900, 60))
	if r.text.Text != link {
		t.Errorf("in a wide box the whole key is not shown: %q", r.text.Text)
	}
}
