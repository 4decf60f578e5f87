package ui

import (
	"net/url"
	"path/filepath"

	"fyne.io/fyne/v2"

	"github.com/valvpm/valv/vault"
)

// dropped takes files dropped on the window: into the editor when it is open (added on
// Save), else to the item on show, else into a new Document item. Locked, or over
// another dialog, a drop does nothing: the person cannot see where the files would go.
func (u *UI) dropped(_ fyne.Position, uris []fyne.URI) {
	paths := droppedPaths(uris)
	if u.main == nil || len(paths) == 0 {
		return
	}
	u.ctrl.Touch()
	if n := len(u.dialogs); n > 0 {
		if u.editor != nil && u.dialogs[n-1] == u.editor.dlg {
			u.editor.addPending(paths...)
		}
		return
	}
	target := vault.ID{}
	if d := u.main.detail; d != nil {
		target = d.it.ID
	}
	u.addFiles(target, paths)
}

// droppedPaths are the local files among what was dropped (a link from a browser is
// not a file to keep).
func droppedPaths(uris []fyne.URI) []string {
	var out []string
	for _, u := range uris {
		if u != nil && u.Scheme() == "file" && u.Path() != "" {
			out = append(out, u.Path())
		}
	}
	return out
}

// fileURL is the file:// address of a local file, for the system's opener.
func fileURL(path string) *url.URL {
	p := filepath.ToSlash(path)
	if len(p) > 1 && p[1] == ':' {
		p = "/" + p // a Windows drive letter: file:///C:/…
	}
	return &url.URL{Scheme: "file", Path: p}
}
