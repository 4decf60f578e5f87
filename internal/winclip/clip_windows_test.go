//go:build windows

package winclip

import (
	"runtime"
	"strings"
	"testing"
	"unsafe"

	"golang.org/x/sys/windows"
)

// These tests run under Wine from packaging/windows/check (and on Windows itself).

var (
	isFormatAvailable = user32.NewProc("IsClipboardFormatAvailable")
	getClipboardData  = user32.NewProc("GetClipboardData")
	globalSize        = kernel32.NewProc("GlobalSize")
)

// read returns the bytes the clipboard holds in format, and whether it holds any.
func read(t *testing.T, format uintptr) ([]byte, bool) {
	t.Helper()
	runtime.LockOSThread() // the clipboard is open for one thread (see Offer)
	defer runtime.UnlockOSThread()
	if err := open(); err != nil {
		t.Fatal(err)
	}
	defer closeClipboard.Call()
	if r, _, _ := isFormatAvailable.Call(format); r == 0 {
		return nil, false
	}
	h, _, err := getClipboardData.Call(format)
	if h == 0 {
		t.Fatalf("GetClipboardData(%d): %v", format, err)
	}
	n, _, _ := globalSize.Call(h)
	p, _, _ := globalLock.Call(h)
	defer globalUnlock.Call(h)
	return append([]byte(nil), unsafe.Slice((*byte)(ptr(p)), n)...), true
}

func readText(t *testing.T) (string, bool) {
	b, ok := read(t, cfUnicodeText)
	if !ok {
		return "", false
	}
	u := unsafe.Slice((*uint16)(unsafe.Pointer(&b[0])), len(b)/2)
	return windows.UTF16ToString(u), true
}

// another plays a different program copying plain text.
func another(t *testing.T, s string) {
	t.Helper()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if err := open(); err != nil {
		t.Fatal(err)
	}
	defer closeClipboard.Call()
	emptyClipboard.Call()
	if err := setText(s); err != nil {
		t.Fatal(err)
	}
}

func TestOfferMarksTheSecret(t *testing.T) {
	pw := "Wi" + strings.Repeat("nd-Slate", 2) + "-Ferry-\u00e9\U0001F511"
	c := New()
	if err := c.Offer(pw); err != nil {
		t.Fatal(err)
	}
	if got, ok := readText(t); !ok || got != pw {
		t.Errorf("CF_UNICODETEXT gave %d characters (present: %v), not the copied text", len(got), ok)
	}
	for _, m := range markers {
		f, err := Format(m.Name)
		if err != nil {
			t.Fatal(err)
		}
		b, ok := read(t, f)
		if !ok {
			t.Errorf("the clipboard lacks %s", m.Name)
			continue
		}
		if len(b) < 4 || *(*uint32)(unsafe.Pointer(&b[0])) != m.Value {
			t.Errorf("%s = % x, want the DWORD %d", m.Name, b, m.Value)
		}
	}
	if !c.Holds() {
		t.Error("Holds() is false right after the copy")
	}
	if err := c.Clear(); err != nil {
		t.Fatal(err)
	}
	if _, ok := readText(t); ok {
		t.Error("the clipboard still holds text after Clear")
	}
	if c.Holds() {
		t.Error("Holds() is true after Clear")
	}
}

// A copy another program made since is not ours to clear, even if it is the same text.
func TestClearLeavesAnotherCopy(t *testing.T) {
	c := New()
	if err := c.Offer("Valv-copy-1"); err != nil {
		t.Fatal(err)
	}
	another(t, "Valv-copy-1")
	if c.Holds() {
		t.Error("Holds() is true after another program copied")
	}
	if err := c.Clear(); err != nil {
		t.Fatal(err)
	}
	if got, ok := readText(t); !ok || got != "Valv-copy-1" {
		t.Errorf("Clear removed the other program's copy (present: %v)", ok)
	}
	// Nor does a later Clear, once the guard has looked.
	another(t, "other")
	if err := c.Clear(); err != nil {
		t.Fatal(err)
	}
	if _, ok := readText(t); !ok {
		t.Error("a second Clear emptied the clipboard")
	}
}

func TestClearWithoutOffer(t *testing.T) {
	another(t, "kept")
	if err := New().Clear(); err != nil {
		t.Fatal(err)
	}
	if _, ok := readText(t); !ok {
		t.Error("Clear without a copy emptied the clipboard")
	}
}
