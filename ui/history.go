package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/valvpm/valv/vault"
)

// historyDialog lists an item's previous passwords (newest first, at most
// vault.MaxHistory), masked, each with reveal and copy.
type historyDialog struct {
	u    *UI
	dlg  dialog.Dialog
	rows []*fieldRow
}

func showHistory(u *UI, it *vault.Item) *historyDialog {
	h := &historyDialog{u: u}
	box := container.NewVBox()
	d := &detailView{u: u}
	for _, p := range it.History {
		r := &fieldRow{key: "password", value: p.Password, secret: true}
		h.rows = append(h.rows, r)
		name := T("history.replaced", map[string]any{"Date": p.Replaced.Local().Format("2006-01-02 15:04")})
		box.Add(d.customRowUI(name, r))
	}
	if len(it.History) == 0 {
		box.Add(widget.NewLabel(T("history.none")))
	}
	h.dlg = dialog.NewCustom(T("history.title"), T("button.close"), container.NewVScroll(box), u.win)
	h.dlg.Resize(fyne.NewSize(460, 360))
	u.history = h
	u.showDialog(h.dlg)
	return h
}
