package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/valvpm/valv/account"
)

// chooseScreen is Choose an account to sign in (PRODUCT.md §1.1): the accounts other
// Valv apps of this computer signed in to, the first recommended, each marked when its
// subscription includes the password manager (whatever that subscription's status),
// and Use another account.
type chooseScreen struct {
	candidates []*widget.Button
	another    *widget.Button
}

func newChooseScreen(f *accountFlow) *chooseScreen {
	s := &chooseScreen{}
	objs := []fyne.CanvasObject{paragraph(T("choose.explain"))}
	for i, c := range f.core.Candidates() {
		email := c.Email
		b := f.u.button(T("choose.signInAs", map[string]any{"Email": email}), theme.AccountIcon(), func() { f.core.ToSignIn(email) })
		var tags []fyne.CanvasObject
		if i == 0 {
			b.Importance = widget.HighImportance
			tags = append(tags, tag(T("choose.recommended"), theme.ConfirmIcon(), widget.MediumImportance))
		}
		if c.Included {
			tags = append(tags, tag(T("choose.included"), theme.ConfirmIcon(), widget.SuccessImportance))
			if c.Status != "" && c.Status != account.StatusActive {
				tags = append(tags, tag(statusName(c.Status), theme.WarningIcon(), widget.WarningImportance))
			}
		}
		s.candidates = append(s.candidates, b)
		objs = append(objs, b, container.NewCenter(container.NewHBox(tags...)))
	}
	s.another = f.u.button(T("choose.another"), theme.ContentAddIcon(), func() { f.core.ToSignIn("") })
	objs = append(objs, widget.NewSeparator(), s.another)
	f.page(T("choose.title"), objs...)
	return s
}

// tag is a small mark: an icon and a caption-sized word.
func tag(text string, icon fyne.Resource, imp widget.Importance) fyne.CanvasObject {
	l := widget.NewLabel(text)
	l.Importance = imp
	l.SizeName = theme.SizeNameCaptionText
	return container.NewHBox(widget.NewIcon(icon), l)
}
