package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/valvpm/valv/ui/appcore"
	"github.com/valvpm/valv/vault"
	"github.com/valvpm/valv/vault/health"
)

// healthDialog is Password health: how many passwords were checked, how many have
// each problem and what it means, and the items that want attention, each opening its
// editor. The check runs off the UI goroutine (appcore.CheckHealth) and runs again
// after an item was saved from here, so a fixed password leaves the list.
type healthDialog struct {
	u   *UI
	dlg *dialog.CustomDialog

	content  fyne.CanvasObject
	status   *widget.Label
	activity *widget.ProgressBarInfinite
	counts   map[health.Problem]*widget.Label
	notes    *widget.Label // what was checked where, and what could not be
	list     *widget.List
	recheck  *widget.Button
	close    *widget.Button

	items   []health.Flagged
	cancel  func()
	running bool
	closed  bool
}

func showHealth(u *UI) *healthDialog {
	h := &healthDialog{u: u, counts: map[health.Problem]*widget.Label{}}
	h.content = h.loadUI()
	h.dlg = dialog.NewCustomWithoutButtons(T("health.title"), h.content, u.win)
	h.dlg.SetButtons([]fyne.CanvasObject{h.recheck, h.close})
	h.dlg.Resize(fyne.NewSize(620, 560))
	h.dlg.SetOnClosed(func() {
		h.closed = true
		if h.cancel != nil {
			h.cancel() // an online check stops asking
		}
	})
	u.health = h
	u.showDialog(h.dlg)
	h.run()
	return h
}

func (h *healthDialog) loadUI() fyne.CanvasObject {
	h.status = wrapped("")
	h.status.TextStyle.Bold = true
	h.activity = widget.NewProgressBarInfinite()
	h.activity.Hide()
	grid := container.New(layout.NewFormLayout())
	for _, p := range health.Problems {
		n := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		h.counts[p] = n
		explain := wrapped(T("health.explain." + string(p)))
		grid.Add(n)
		grid.Add(explain)
	}
	h.notes = wrapped("")
	h.notes.SizeName = theme.SizeNameCaptionText
	h.notes.Hide()
	h.list = widget.NewList(
		func() int { return len(h.items) },
		func() fyne.CanvasObject {
			title := widget.NewLabelWithStyle("Title", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
			title.Truncation = fyne.TextTruncateEllipsis
			probs := widget.NewLabel("problems")
			probs.SizeName = theme.SizeNameCaptionText
			probs.Importance = widget.WarningImportance
			return container.NewBorder(nil, nil, widget.NewIcon(theme.AccountIcon()), nil,
				container.New(layout.NewCustomPaddedVBoxLayout(-10), title, probs))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= len(h.items) {
				return
			}
			f := h.items[i]
			row := o.(*fyne.Container)
			texts := row.Objects[0].(*fyne.Container)
			texts.Objects[0].(*widget.Label).SetText(itemTitle(f.Title))
			texts.Objects[1].(*widget.Label).SetText(problemNames(f.Problems))
			row.Objects[1].(*widget.Icon).SetResource(typeIcon(f.Type))
		})
	h.list.OnSelected = func(i widget.ListItemID) {
		h.list.UnselectAll()
		if i < len(h.items) {
			h.open(h.items[i].ID)
		}
	}
	h.recheck = h.u.button(T("health.recheck"), theme.ViewRefreshIcon(), h.run)
	h.close = h.u.button(T("button.close"), theme.CancelIcon(), func() { h.dlg.Hide() })
	top := container.NewVBox(h.status, h.activity, grid, h.notes, widget.NewSeparator())
	return container.NewBorder(top, nil, nil, nil, h.list)
}

// problemNames lists an item's problems in the person's language.
func problemNames(ps []health.Problem) string {
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = T("health.problem." + string(p))
	}
	return strings.Join(names, " · ")
}

// run starts a check unless one is running.
func (h *healthDialog) run() {
	if h.running {
		return
	}
	h.running = true
	h.recheck.Disable()
	h.status.SetText(T("health.checking"))
	h.activity.Show()
	h.activity.Start()
	h.cancel = h.u.ctrl.CheckHealth(h.done)
}

func (h *healthDialog) done(res appcore.HealthResult) {
	h.running, h.cancel = false, nil
	if h.closed {
		return
	}
	h.activity.Stop()
	h.activity.Hide()
	h.recheck.Enable()
	if res.Report == nil {
		h.items = nil
		h.status.SetText(errorText(res.Err))
		h.list.Refresh()
		return
	}
	r := res.Report
	h.items = r.Items
	status := T("health.summary", map[string]any{"Count": r.Checked})
	if len(r.Items) == 0 {
		status += "\n" + T("health.none")
	}
	h.status.SetText(status)
	for p, l := range h.counts {
		l.SetText(T("health.count", map[string]any{"Problem": T("health.problem." + string(p)), "Count": r.Counts[p]}))
	}
	notes := []string{T("health.checkedOffline")}
	if res.Online {
		notes = append(notes, T("health.checkedOnline"))
	}
	for _, m := range res.Notices {
		notes = append(notes, say(m))
	}
	h.notes.SetText(strings.Join(notes, "\n"))
	h.notes.Show()
	h.list.Refresh()
	// The counts and notes are wider and taller than the empty labels the dialog was
	// laid out with.
	h.dlg.Refresh()
}

// open shows the editor of a flagged item; saving it checks again.
func (h *healthDialog) open(id vault.ID) {
	it, err := h.u.ctrl.Item(id)
	if err != nil {
		h.u.showError(err)
		return
	}
	showEditor(h.u, it, func(saved *vault.Item) {
		if m := h.u.main; m != nil {
			m.selected = saved.ID
			m.reload()
		}
		h.run()
	})
}

// toolsMenu is the window's Tools menu: Password health, while the vault is open.
func (u *UI) toolsMenu() *fyne.Menu {
	item := fyne.NewMenuItem(T("health.menu"), func() {
		if u.main != nil && !u.ctrl.Locked() {
			u.ctrl.Touch()
			showHealth(u)
		}
	})
	item.Icon = theme.WarningIcon()
	item.Disabled = u.main == nil || u.ctrl.Locked()
	return fyne.NewMenu(T("menu.tools"), item)
}
