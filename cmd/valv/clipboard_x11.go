//go:build linux || freebsd || openbsd || netbsd

package main

import (
	"log"
	"os"

	"fyne.io/fyne/v2"

	"github.com/valvpm/valv/internal/x11clip"
	"github.com/valvpm/valv/ui/appcore"
)

// appClipboard is the clipboard the controller copies secrets to: Valv's own X11
// selection owner, which marks it with x-kde-passwordManagerHint=secret (GLFW's owner
// offers text only), when the display can be reached; else Fyne's.
func appClipboard(fc fyne.Clipboard) appcore.Clipboard {
	o, err := x11clip.Dial(os.Getenv("DISPLAY"))
	if err != nil {
		log.Printf("valv: copies go to the clipboard without the secret marker: %v", err)
		return fc
	}
	return &secretClipboard{Clipboard: fc, owner: o}
}
