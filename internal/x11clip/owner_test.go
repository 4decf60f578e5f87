package x11clip

import (
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/valvpm/valv/internal/testenv"
)

// xclipOut reads the clipboard of display in target with xclip, an independent X
// client, as a clipboard manager or a paste would.
func xclipOut(t *testing.T, display, target string) (string, error) {
	t.Helper()
	cmd := exec.Command(testenv.LookPath(t, "xclip"), "-o", "-selection", "clipboard", "-t", target)
	cmd.Env = append(os.Environ(), "DISPLAY="+display)
	out, err := cmd.Output()
	return string(out), err
}

func dialTest(t *testing.T, display string) *Owner {
	t.Helper()
	o, err := Dial(display)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := o.Close(); err != nil {
			t.Error(err)
		}
	})
	return o
}

// What Offer puts on the clipboard is offered as text and with the secret hint, which
// another X client sees in TARGETS; Clear empties the clipboard.
func TestOfferMarksTheClipboardSecret(t *testing.T) {
	display := testenv.StartXvfb(t)
	o := dialTest(t, display)
	pw := "Cb" + strings.Repeat("T5-Ochre", 2) + "-Wharf-é"
	if err := o.Offer(pw); err != nil {
		t.Fatal(err)
	}
	targets, err := xclipOut(t, display, "TARGETS")
	if err != nil {
		t.Fatalf("reading TARGETS: %v", err)
	}
	list := strings.Fields(targets)
	for _, want := range []string{"TARGETS", "UTF8_STRING", "text/plain;charset=utf-8", Hint} {
		if !slices.Contains(list, want) {
			t.Errorf("TARGETS %v lack %s", list, want)
		}
	}
	if slices.Contains(list, "STRING") {
		t.Errorf("TARGETS %v offer STRING (Latin-1) for non-ASCII text", list)
	}
	if got, err := xclipOut(t, display, Hint); err != nil || got != HintValue {
		t.Errorf("%s = %q, %v; want %q", Hint, got, err, HintValue)
	}
	for _, target := range []string{"UTF8_STRING", "text/plain;charset=utf-8"} {
		if got, err := xclipOut(t, display, target); err != nil || got != pw {
			t.Errorf("pasting %s gave %d bytes, %v; want the copied text", target, len(got), err)
		}
	}
	if !o.Holds() {
		t.Error("Holds is false while Valv owns the clipboard")
	}
	if err := o.Clear(); err != nil {
		t.Fatal(err)
	}
	if got, err := xclipOut(t, display, "UTF8_STRING"); err == nil {
		t.Errorf("after Clear the clipboard still gave %d bytes", len(got))
	}
	if o.Holds() {
		t.Error("Holds is true after Clear")
	}
}

// When another program copies something, Valv's text is wiped and Holds says so, so
// the clear after the delay leaves the other program's copy alone.
func TestAnotherCopyTakesOver(t *testing.T) {
	display := testenv.StartXvfb(t)
	valv, other := dialTest(t, display), dialTest(t, display)
	if err := valv.Offer("Ask-Pw-1"); err != nil {
		t.Fatal(err)
	}
	if err := other.Offer("someone else's text"); err != nil {
		t.Fatal(err)
	}
	if valv.Holds() {
		t.Error("Holds is true after another program took the clipboard")
	}
	valv.mu.Lock()
	kept := valv.text != nil
	valv.mu.Unlock()
	if kept {
		t.Error("Valv kept its text after losing the selection")
	}
	if err := valv.Clear(); err != nil {
		t.Fatal(err)
	}
	if got, err := xclipOut(t, display, "UTF8_STRING"); err != nil || got != "someone else's text" {
		t.Errorf("Valv's Clear touched another program's copy: %q, %v", got, err)
	}
	if err := other.Offer("plain ASCII"); err != nil {
		t.Fatal(err)
	}
	if got, _ := xclipOut(t, display, "TARGETS"); !slices.Contains(strings.Fields(got), "STRING") {
		t.Errorf("ASCII text is not offered as STRING too: %q", got)
	}
}

func TestOfferTooLong(t *testing.T) {
	display := testenv.StartXvfb(t)
	o := dialTest(t, display)
	if err := o.Offer(strings.Repeat("x", o.setup.maxRequest)); err != ErrTooLong {
		t.Fatalf("a text longer than one request: %v, want ErrTooLong", err)
	}
}

func TestDialNoDisplay(t *testing.T) {
	for _, d := range []string{"", "nonsense", ":99999"} {
		if _, err := Dial(d); err == nil {
			t.Errorf("Dial(%q) connected", d)
		}
	}
}
