package ui

import (
	"bytes"
	"encoding/hex"
	"strings"
	"testing"
)

// FuzzAppleScriptData: whatever osascript prints, reading it never panics; the
// literal of any bytes reads back as those bytes, in either case of hex.
func FuzzAppleScriptData(f *testing.F) {
	f.Add([]byte("\x89PNG\r\n\x1a\n"), "")
	f.Add([]byte{}, "«data PNGf»")
	f.Add([]byte{1}, "«data TIFF4D4D»")
	f.Add([]byte{2}, "missing value")
	f.Fuzz(func(t *testing.T, b []byte, printed string) {
		_, _ = appleScriptData([]byte(printed))
		for _, h := range []string{hex.EncodeToString(b), strings.ToUpper(hex.EncodeToString(b))} {
			got, err := appleScriptData([]byte("«data PNGf" + h + "»\n"))
			if err != nil || !bytes.Equal(got, b) {
				t.Fatalf("%x read back as %x, %v", b, got, err)
			}
		}
	})
}

func TestAppleScriptDataRefusesOtherText(t *testing.T) {
	for _, s := range []string{"", "missing value", "«data TIFF4D4D»", "«data PNGfXY»"} {
		if _, err := appleScriptData([]byte(s)); err == nil {
			t.Errorf("%q was read as a picture", s)
		}
	}
}
