//go:build !(linux || freebsd || openbsd || netbsd)

package main

import (
	"fyne.io/fyne/v2"

	"github.com/valvpm/valv/ui/appcore"
)

// appClipboard is Fyne's clipboard here. Fyne (GLFW) writes plain text only, so the
// markers Windows (ExcludeClipboardContentFromMonitorProcessing,
// CanIncludeInClipboardHistory = 0) and macOS (org.nspasteboard.ConcealedType) define
// for secrets are not set yet: that needs a clipboard writer of Valv's own per system.
func appClipboard(fc fyne.Clipboard) appcore.Clipboard { return fc }
