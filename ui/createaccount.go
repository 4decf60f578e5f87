package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/valvpm/valv/account"
)

// createAccountScreen is Create account (PRODUCT.md §1.4): e-mail, password twice with
// the live rule checklist, the marketing consent (off by default), the region and the
// statement.
type createAccountScreen struct {
	f         *accountFlow
	email     *entry
	password  *SecretEntry
	confirm   *SecretEntry
	rules     map[string]*widget.Icon
	ruleOK    map[string]bool
	consent   *widget.Check
	submit    *widget.Button
	toSignIn  *widget.Button
	regions   *regionPicker
	statement *widget.Hyperlink
}

func newCreateAccountScreen(f *accountFlow) *createAccountScreen {
	u := f.u
	s := &createAccountScreen{f: f, rules: map[string]*widget.Icon{}, ruleOK: map[string]bool{}}
	s.email = u.newEntry()
	s.email.SetPlaceHolder(T("account.email"))
	s.email.SetText(f.core.Email())
	s.password = u.newSecretEntry(T("create.accountPassword"))
	s.confirm = u.newSecretEntry(T("create.accountConfirm"))
	s.email.OnSubmitted = func(string) { u.win.Canvas().Focus(s.password) }
	s.password.OnSubmitted = func() { u.win.Canvas().Focus(s.confirm) }
	s.confirm.OnSubmitted = s.create
	var checklist []fyne.CanvasObject
	for _, r := range account.CheckPassword("") {
		icon := widget.NewIcon(theme.RadioButtonIcon())
		s.rules[r.Key] = icon
		l := widget.NewLabel(ruleText(r.Key))
		l.SizeName = theme.SizeNameCaptionText
		checklist = append(checklist, container.NewHBox(icon, l))
	}
	s.password.OnChanged = s.checkRules
	s.confirm.OnChanged = func() { f.message.Hide() }
	// Off: consent is opt-in (§1.4). A Check's own text does not wrap, so the long
	// sentence is a wrapped label beside an unlabelled box.
	s.consent = widget.NewCheck("", nil)
	consentText := widget.NewLabel(T("create.consent"))
	consentText.Wrapping = fyne.TextWrapWord
	consentText.SizeName = theme.SizeNameCaptionText
	s.submit = u.button(T("create.accountSubmit"), theme.ConfirmIcon(), s.create)
	s.submit.Importance = widget.HighImportance
	s.toSignIn = u.button(T("create.toSignIn"), theme.LoginIcon(), func() { f.core.ToSignIn(strings.TrimSpace(s.email.Text)) })
	s.toSignIn.Importance = widget.LowImportance
	s.regions = newRegionPicker(f, false)
	f.act(s.email, s.submit, s.toSignIn, s.consent)
	s.checkRules()
	s.statement = f.statementLink()
	f.page(T("create.accountTitle"),
		s.email, s.password, s.confirm,
		container.NewGridWithColumns(2, checklist...),
		container.NewBorder(nil, nil, container.NewVBox(s.consent), nil, consentText),
		s.regions.row(),
		s.submit,
		caption(T("create.statement")), s.statement,
		s.toSignIn,
	)
	u.focusSoon(s.email)
	return s
}

// ruleText is a password rule's line in the checklist.
func ruleText(key string) string {
	switch key {
	case "min-length", "digit", "lowercase", "uppercase", "no-spaces":
		return T("rule." + key)
	}
	return key
}

// checkRules ticks the checklist as the person types.
func (s *createAccountScreen) checkRules() {
	s.f.message.Hide()
	for _, r := range account.CheckPassword(secret(s.password)) {
		icon := theme.RadioButtonIcon()
		if s.password.Len() > 0 {
			icon = theme.NewErrorThemedResource(theme.CancelIcon())
		}
		if r.OK {
			icon = theme.NewSuccessThemedResource(theme.ConfirmIcon())
		}
		s.ruleOK[r.Key] = r.OK
		if i := s.rules[r.Key]; i != nil {
			i.SetResource(icon)
		}
	}
}

func (s *createAccountScreen) create() {
	s.f.core.CreateAccount(account.CreateForm{
		Email:            s.email.Text,
		Password:         secret(s.password),
		Confirm:          secret(s.confirm),
		MarketingConsent: s.consent.Checked,
	})
}

func (s *createAccountScreen) wipePassword() { s.password.Wipe() }

func (s *createAccountScreen) regionPicker() *regionPicker { return s.regions }
