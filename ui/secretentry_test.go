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
