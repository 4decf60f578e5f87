// Package winclip puts text Valv copies on the Windows clipboard together with the
// formats Windows defines for secrets: ExcludeClipboardContentFromMonitorProcessing
// (clipboard monitors and managers skip the content), CanIncludeInClipboardHistory = 0
// (kept out of Win+V history) and CanUploadToCloudClipboard = 0 (not synced to other
// devices). GLFW, under Fyne, writes CF_UNICODETEXT only.
//
// Whether the clipboard still holds Valv's copy is told by the clipboard's sequence
// number, never by reading the text back: Clear empties the clipboard only if the
// number is still the one it was when the copy was made. It calls user32 through
// golang.org/x/sys/windows (no cgo).
package winclip
