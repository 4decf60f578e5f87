package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/valvpm/valv/account"
	"github.com/valvpm/valv/ui/appcore"
)

// subscriptionScreen is Choose subscription (PRODUCT.md §1.6): every active licence
// that includes the password manager, with Select.
type subscriptionScreen struct {
	selects []*widget.Button
}

func newSubscriptionScreen(f *accountFlow) *subscriptionScreen {
	s := &subscriptionScreen{}
	objs := []fyne.CanvasObject{paragraph(T("subscription.explain"))}
	for _, l := range f.core.State().Licences {
		id := l.ID
		sel := f.u.button(T("subscription.select"), theme.ConfirmIcon(), func() { f.core.ChooseLicence(id) })
		sel.Importance = widget.HighImportance
		s.selects = append(s.selects, sel)
		name := widget.NewLabelWithStyle(planName(appcore.Plan{ID: l.Plan, ServerName: l.PlanName}), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		detail := widget.NewLabel(T("subscription.detail", map[string]any{"Status": statusName(l.Status), "Date": dateText(l.ExpiresAt)}))
		detail.SizeName = theme.SizeNameCaptionText
		card := widget.NewCard("", "", container.NewBorder(nil, nil, nil, container.NewCenter(sel),
			container.New(layout.NewCustomPaddedVBoxLayout(-8), name, detail)))
		objs = append(objs, card)
	}
	f.back.OnTapped = f.core.LeaveSubscription // Back cancels: nothing was chosen
	f.page(T("subscription.title"), objs...)
	return s
}

// planName is a plan's name in the person's language (the server's for a plan Valv
// does not know).
func planName(p appcore.Plan) string {
	switch p.ID {
	case "free", "personal", "family", "vpn":
		return T("plan." + p.ID)
	}
	if p.ServerName != "" {
		return p.ServerName
	}
	return p.ID
}

// statusName is a licence status's word.
func statusName(s string) string {
	switch s {
	case account.StatusActive, account.StatusExpired, account.StatusSuspended, account.StatusBlocked:
		return T("status." + s)
	}
	return T("status.unknown")
}

// dateText is a date in a form every language reads the same way.
func dateText(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.Local().Format("2006-01-02")
}
