package ui

import (
	"net/url"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/valvpm/valv/assets"
	"github.com/valvpm/valv/internal/version"
)

// helpMenu is the window's Help menu; About is there on every screen, locked or not,
// since it shows nothing of the vault.
func (u *UI) helpMenu() *fyne.Menu {
	return fyne.NewMenu(T("about.menuHelp"), fyne.NewMenuItem(T("about.menuAbout"), func() { showAbout(u) }))
}

// showAbout shows which Valv this is: the version the build was made from (the same
// one `valv --version` prints, so a bug report can name it), the licence and where
// the source is.
func showAbout(u *UI) {
	icon := widget.NewIcon(assets.Icon)
	name := widget.NewLabelWithStyle("Valv", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	ver := widget.NewLabelWithStyle(T("about.version", map[string]any{"Version": version.String()}), fyne.TextAlignCenter, fyne.TextStyle{})
	ver.Selectable = true
	lic := widget.NewLabelWithStyle(T("about.licence", map[string]any{"Licence": version.Licence}), fyne.TextAlignCenter, fyne.TextStyle{})
	var src fyne.CanvasObject = widget.NewLabel(version.Source)
	if link, err := url.Parse(version.Source); err == nil {
		src = widget.NewHyperlinkWithStyle(T("about.source"), link, fyne.TextAlignCenter, fyne.TextStyle{})
	}
	box := container.NewVBox(container.NewCenter(container.NewGridWrap(fyne.NewSize(64, 64), icon)), name, ver, lic, src)
	d := dialog.NewCustom(T("about.title"), T("button.close"), box, u.win)
	u.showDialog(d)
}
