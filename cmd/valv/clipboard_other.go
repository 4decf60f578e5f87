//go:build !(linux || freebsd || openbsd || netbsd || windows)

package main

import (
	"fyne.io/fyne/v2"

	"github.com/valvpm/valv/ui/appcore"
)

// appClipboard is Fyne's clipboard here. Fyne (GLFW) writes plain text only, so the
// marker macOS defines for secrets (org.nspasteboard.ConcealedType) is not set yet:
// that needs a pasteboard writer of Valv's own.
func appClipboard(fc fyne.Clipboard) appcore.Clipboard { return fc }
