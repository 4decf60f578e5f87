package ui

import (
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// waitingScreen is quick sign-in's wait while the person is in the system browser
// (PRODUCT.md §1.3), with Cancel as the way back; the busy indicator is its point.
type waitingScreen struct {
	cancel    *widget.Button
	statement *widget.Hyperlink
}

func newWaitingScreen(f *accountFlow) *waitingScreen {
	f.back.Hide()
	s := &waitingScreen{}
	s.cancel = f.u.button(T("button.cancel"), theme.CancelIcon(), f.core.Cancel)
	s.statement = f.statementLink()
	f.page(T("waiting.title"),
		paragraph(T("waiting.explain", map[string]any{"Provider": providerName(f.core.Provider())})),
		caption(T("waiting.statement")), s.statement,
		s.cancel)
	return s
}
