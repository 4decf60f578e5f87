package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/valvpm/valv/ui/appcore"
	"github.com/valvpm/valv/vault/breach"
)

// securitySection is Settings → Security: which list of breached passwords Password
// health uses (the one built into Valv, or a full one the person built), and the
// online check, off until the person turns it on. Its choices are applied with the
// rest of Settings on Save.
type securitySection struct {
	u   *UI
	cur appcore.SecuritySettings // as the dialog will save them

	filter     *widget.Label
	choose     *widget.Button
	useBuiltin *widget.Button
	online     *widget.Check
	endpoint   *entry
	message    *widget.Label
}

func newSecuritySection(u *UI) *securitySection {
	return &securitySection{u: u, cur: u.ctrl.Settings().Security}
}

func (s *securitySection) loadUI() fyne.CanvasObject {
	head := widget.NewLabelWithStyle(T("settings.security"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.filter = wrapped("")
	s.choose = s.u.button(T("settings.breachFilterChoose"), theme.FolderOpenIcon(), func() {
		openFileDialogFor(s.u, T("settings.breachFilter"), nil, s.chose)
	})
	s.useBuiltin = s.u.button(T("settings.breachFilterUseBuiltin"), theme.ContentUndoIcon(), func() {
		s.cur.BreachFilter = ""
		s.message.Hide()
		s.showFilter()
	})
	s.useBuiltin.Importance = widget.LowImportance
	hint := wrapped(T("settings.breachFilterHint"))
	hint.SizeName = theme.SizeNameCaptionText
	s.showFilter()

	s.online = widget.NewCheck(T("settings.onlineCheck"), func(on bool) {
		if on {
			s.endpoint.Enable()
		} else {
			s.endpoint.Disable()
		}
	})
	onlineHint := wrapped(T("settings.onlineCheckHint"))
	onlineHint.SizeName = theme.SizeNameCaptionText
	s.endpoint = s.u.newEntry()
	s.endpoint.SetPlaceHolder(T("settings.onlineEndpointDefault")) // empty: the default service
	s.endpoint.SetText(s.cur.Endpoint)
	s.online.SetChecked(s.cur.OnlineCheck)
	if !s.cur.OnlineCheck {
		s.endpoint.Disable()
	}
	s.message = errorLabel()
	list := widget.NewForm(widget.NewFormItem(T("settings.breachFilter"), container.NewVBox(s.filter, container.NewHBox(s.choose, s.useBuiltin), hint)))
	address := widget.NewForm(widget.NewFormItem(T("settings.onlineEndpoint"), s.endpoint))
	return container.NewVBox(head, list, s.online, onlineHint, address, s.message)
}

// showFilter names the list in use.
func (s *securitySection) showFilter() {
	if s.cur.BreachFilter == "" {
		s.filter.SetText(T("settings.breachFilterBuiltin"))
		s.useBuiltin.Hide()
		return
	}
	s.filter.SetText(s.cur.BreachFilter)
	s.useBuiltin.Show()
}

// chose takes a filter file after checking that it is one.
func (s *securitySection) chose(path string) {
	f, err := breach.OpenFile(path)
	if err != nil {
		s.fail(T("settings.breachFilterBad"))
		return
	}
	if err := f.Close(); err != nil {
		fyne.LogError("closing the breach filter", err)
	}
	s.message.Hide()
	s.cur.BreachFilter = path
	s.showFilter()
}

func (s *securitySection) fail(msg string) {
	s.message.SetText(msg)
	s.message.Show()
}

// apply puts the section's choices into next; it returns false, saying why, when the
// address of the online check is one Valv refuses.
func (s *securitySection) apply(next *appcore.Settings) bool {
	sec := s.cur
	sec.OnlineCheck = s.online.Checked
	sec.Endpoint = strings.TrimSpace(s.endpoint.Text)
	if sec.Endpoint != "" && breach.CheckEndpoint(sec.Endpoint) != nil {
		s.fail(T("settings.onlineEndpointError"))
		s.u.win.Canvas().Focus(s.endpoint)
		return false
	}
	s.message.Hide()
	next.Security = sec
	return true
}
