package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/valvpm/valv/ui/appcore"
)

// syncSection is Settings → Sync: sync on or off, and the dangerous actions.
type syncSection struct {
	u       *UI
	info    *widget.Label
	enabled *widget.Check
	replace *widget.Button
	clear   *widget.Button
	reset   *widget.Button
}

func newSyncSection(u *UI) *syncSection {
	s := &syncSection{u: u}
	st, _ := u.ctrl.SyncInfo()
	cl := u.ctrl.SignedInClient()
	s.info = wrapped("")
	s.describe()
	s.enabled = widget.NewCheck(T("sync.enabled"), nil)
	s.enabled.SetChecked(cl != nil && (!st.Linked || st.Enabled))
	s.enabled.OnChanged = func(on bool) {
		u.ctrl.Touch()
		if err := u.ctrl.SetSyncEnabled(on); err != nil {
			u.showError(err)
		}
		s.describe()
	}
	if cl == nil {
		s.enabled.Disable()
	}
	s.replace = u.button(T("danger.replaceButton"), theme.UploadIcon(), func() { showDanger(u, appcore.DangerReplace) })
	s.clear = u.button(T("danger.clearButton"), theme.DeleteIcon(), func() { showDanger(u, appcore.DangerClear) })
	s.reset = u.button(T("danger.resetButton"), theme.WarningIcon(), func() { showDanger(u, appcore.DangerReset) })
	for _, b := range []*widget.Button{s.replace, s.clear, s.reset} {
		b.Importance = widget.LowImportance
	}
	if cl == nil {
		s.replace.Hide()
	}
	u.syncUI.section = s
	return s
}

// describe says what the vault syncs with, and that it does not while sync is off.
func (s *syncSection) describe() {
	st, _ := s.u.ctrl.SyncInfo()
	switch {
	case st.Linked && st.Enabled:
		s.info.SetText(T("sync.linkedTo", map[string]any{"Email": st.Account}))
	case st.Linked:
		s.info.SetText(T("sync.linkedOff", map[string]any{"Email": st.Account}))
	case s.u.ctrl.SignedInClient() != nil:
		s.info.SetText(T("sync.notLinkedYet"))
	default:
		s.info.SetText(T("sync.notLinked"))
	}
}

func (s *syncSection) loadUI() fyne.CanvasObject {
	return container.NewVBox(
		widget.NewLabelWithStyle(T("sync.settingsTitle"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		s.info, s.enabled,
		widget.NewLabelWithStyle(T("danger.settingsTitle"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		container.NewHBox(s.replace, s.clear, s.reset),
	)
}
