package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/valvpm/valv/account"
	"github.com/valvpm/valv/ui/appcore"
)

// connectedScreen is the end of the account windows: who is signed in, the plan, the
// keyring's notice if the session cannot be kept, what comes next, and Continue.
type connectedScreen struct {
	notice *widget.Label
	submit *widget.Button
}

func newConnectedScreen(f *accountFlow) *connectedScreen {
	u := f.u
	st := f.core.State()
	if err := f.core.SaveError(); err != nil {
		fyne.LogError("saving settings", err) // the session is kept; only the plan shown later may be off
	}
	f.back.Hide()
	s := &connectedScreen{}
	next := T("connected.nextUnlock")
	if u.ctrl.Stage() == appcore.StageNoVault {
		next = T("connected.nextCreate")
	}
	s.notice = widget.NewLabel("")
	s.notice.Wrapping = fyne.TextWrapWord
	s.notice.Importance = widget.WarningImportance
	s.notice.Hide()
	if f.core.KeyringWarning() != nil {
		s.notice.SetText(T("accountError.keyring"))
		s.notice.Show()
	}
	// Continue links the vault (syncview.go).
	s.submit = u.button(T("connected.continue"), theme.NavigateNextIcon(), func() { f.done(); u.afterConnect() })
	s.submit.Importance = widget.HighImportance
	f.page(T("connected.title"),
		container.NewCenter(widget.NewIcon(theme.NewSuccessThemedResource(theme.ConfirmIcon()))),
		paragraph(T("connected.as", map[string]any{"Email": f.core.ConnectedEmail()})),
		paragraph(T("connected.plan", map[string]any{"Plan": planName(appcore.PlanOf(st.Licence, st.Entitlements))})),
		s.inactive(st),
		s.notice,
		paragraph(next),
		s.submit,
	)
	return s
}

// inactive says why the plan is Free when the account's subscription with the password
// manager is expired, suspended or blocked (appcore.InactiveLicence); else it is hidden.
func (s *connectedScreen) inactive(st account.State) *widget.Label {
	l := paragraph("")
	l.Importance = widget.WarningImportance
	l.Hide()
	if lic := appcore.InactiveLicence(st); lic != nil {
		p := appcore.PlanOf(lic, lic.Entitlements)
		l.SetText(T("connected.planInactive", map[string]any{"Plan": planName(p), "Status": statusName(lic.Status)}))
		l.Show()
	}
	return l
}
