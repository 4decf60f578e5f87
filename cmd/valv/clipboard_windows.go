//go:build windows

package main

import (
	"fyne.io/fyne/v2"

	"github.com/valvpm/valv/internal/winclip"
	"github.com/valvpm/valv/ui/appcore"
)

// appClipboard is the clipboard the controller copies secrets to: Valv's own writer,
// which adds ExcludeClipboardContentFromMonitorProcessing, CanIncludeInClipboardHistory
// = 0 and CanUploadToCloudClipboard = 0 (GLFW writes text only), and clears a copy only
// while the clipboard's sequence number is still the copy's.
func appClipboard(fc fyne.Clipboard) appcore.Clipboard {
	return &secretClipboard{Clipboard: fc, owner: winclip.New()}
}
