package ui

import (
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// provisionScreen is Accept and connect (PRODUCT.md §1.2): the region's data-provision
// statement, with its link, to accept before connecting.
type provisionScreen struct {
	statement *widget.Hyperlink
	submit    *widget.Button
}

func newProvisionScreen(f *accountFlow) *provisionScreen {
	s := &provisionScreen{statement: f.link(T("provision.link"), f.core.ProvisionURL())}
	s.submit = f.u.button(T("provision.accept"), theme.ConfirmIcon(), f.core.AcceptProvision)
	s.submit.Importance = widget.HighImportance
	f.act(s.submit)
	f.page(T("provision.title"), paragraph(T("provision.explain")), s.statement, s.submit)
	return s
}
