//go:build linux || freebsd || openbsd || netbsd

package main

import (
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/valvpm/valv/internal/testenv"
	"github.com/valvpm/valv/internal/x11clip"
	"github.com/valvpm/valv/ui/appcore"
)

// toolkitClipboard records what reaches the toolkit's clipboard.
type toolkitClipboard struct{ s string }

func (c *toolkitClipboard) Content() string     { return c.s }
func (c *toolkitClipboard) SetContent(s string) { c.s = s }

// The app's clipboard offers a copied secret with the secret hint (read back with
// xclip, as a clipboard manager would), tells the guard it still holds it without
// reading it back, and empties the clipboard on clear; the toolkit's clipboard never
// sees the secret.
func TestAppClipboardMarksSecrets(t *testing.T) {
	t.Setenv("DISPLAY", testenv.StartXvfb(t))
	xclip := testenv.LookPath(t, "xclip")
	paste := func(target string) (string, error) {
		out, err := exec.Command(xclip, "-o", "-selection", "clipboard", "-t", target).Output()
		return string(out), err
	}
	tk := &toolkitClipboard{}
	cb := appClipboard(tk)
	h, ok := cb.(appcore.Holder)
	if !ok {
		t.Fatalf("with a display the app's clipboard is %T, not Valv's selection owner", cb)
	}
	pw := "Ap" + strings.Repeat("G2-Slate", 2) + "-Ferry"
	cb.SetContent(pw)
	targets, err := paste("TARGETS")
	if err != nil || !slices.Contains(strings.Fields(targets), x11clip.Hint) {
		t.Fatalf("TARGETS %q (%v) lack %s", targets, err, x11clip.Hint)
	}
	if got, err := paste("UTF8_STRING"); err != nil || got != pw {
		t.Errorf("pasting gave %d bytes, %v; want the copied password", len(got), err)
	}
	if held, known := h.Holds(); !held || !known {
		t.Errorf("Holds() = %v, %v while the copy is on the clipboard", held, known)
	}
	if tk.s != "" {
		t.Error("the secret went through the toolkit's clipboard too")
	}
	cb.SetContent("")
	if got, err := paste("UTF8_STRING"); err == nil {
		t.Errorf("the clipboard still gave %d bytes after clearing", len(got))
	}
	if held, known := h.Holds(); held || !known {
		t.Errorf("Holds() = %v, %v after clearing", held, known)
	}
}

func TestAppClipboardWithoutDisplay(t *testing.T) {
	t.Setenv("DISPLAY", ":"+strings.Repeat("9", 6))
	tk := &toolkitClipboard{}
	if cb := appClipboard(tk); cb != appcore.Clipboard(tk) {
		t.Errorf("without a display the app's clipboard is %T, want the toolkit's", cb)
	}
}
