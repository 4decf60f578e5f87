package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/valvpm/valv/account"
	"github.com/valvpm/valv/ui/appcore"
)

// accountSection is Settings → Account: who is signed in, the plan the app runs on,
// Sign out (the local vault stays) or Sign in, and the server's address.
type accountSection struct {
	u       *UI
	who     *widget.Label
	plan    *widget.Label
	signOut *widget.Button
	signIn  *widget.Button
	server  *entry
	message *widget.Label
}

func newAccountSection(u *UI) *accountSection {
	a := &accountSection{u: u}
	a.who = widget.NewLabel("")
	a.who.Wrapping = fyne.TextWrapWord
	a.plan = widget.NewLabel("")
	a.server = u.newEntry()
	a.server.SetPlaceHolder(T("accountSettings.serverHint"))
	url, fromEnv := u.ctrl.CloudURL()
	a.server.SetText(url)
	if fromEnv {
		a.server.Disable() // VALV_CLOUD_URL would win again at the next start
	}
	a.message = errorLabel()
	a.signOut = u.button(T("accountSettings.signOut"), theme.LogoutIcon(), a.confirmSignOut)
	a.signIn = u.button(T("accountSettings.signIn"), theme.LoginIcon(), func() { u.startAccount(false, "") })
	a.signIn.Importance = widget.HighImportance
	a.refresh()
	return a
}

// refresh shows the account's state, and asks the server for the plan in the
// background.
func (a *accountSection) refresh() {
	cl, err := a.u.ctrl.AccountClient()
	if err != nil || !cl.SignedIn() {
		a.who.SetText(T("accountSettings.notSignedIn"))
		a.plan.SetText("")
		a.plan.Hide()
		a.signOut.Hide()
		a.signIn.Show()
		return
	}
	a.who.SetText(T("accountSettings.signedInAs", map[string]any{"Email": cl.Email()}))
	a.signIn.Hide()
	a.signOut.Show()
	a.plan.Show()
	a.plan.SetText(T("accountSettings.planLoading"))
	chosen := a.u.ctrl.Settings().Licence
	var subs *account.Subscriptions
	a.u.ctrl.Background(func(ctx context.Context) {
		subs, err = cl.Subscriptions(ctx)
	}, func() {
		if err != nil {
			a.plan.SetText(errorText(err))
			return
		}
		a.plan.SetText(T("connected.plan", map[string]any{"Plan": planName(appcore.CurrentPlan(subs, chosen))}))
	})
}

func (a *accountSection) loadUI() fyne.CanvasObject {
	form := widget.NewForm(widget.NewFormItem(T("accountSettings.server"), a.server))
	return container.NewVBox(
		widget.NewLabelWithStyle(T("accountSettings.title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		a.who, a.plan,
		container.NewHBox(a.signIn, a.signOut),
		form, a.message,
	)
}

// confirmSignOut signs out after asking; the vault on this computer is not touched.
func (a *accountSection) confirmSignOut() {
	a.u.confirm(T("accountSettings.signOutTitle"), T("accountSettings.signOutBody"), T("accountSettings.signOut"), a.doSignOut)
}

func (a *accountSection) doSignOut() {
	a.signOut.Disable()
	a.u.signOut(func() {
		a.u.showMessage(T("accountSettings.signedOutTitle"), T("accountSettings.signedOut"))
	})
}

// apply saves a changed server address; it reports false (and says why) when the
// address is refused.
func (a *accountSection) apply() bool {
	url, fromEnv := a.u.ctrl.CloudURL()
	if fromEnv || a.server.Text == url {
		return true
	}
	if err := a.u.ctrl.SetCloudURL(a.server.Text); err != nil {
		a.message.SetText(errorText(err))
		a.message.Show()
		relayout(a.message)
		return false
	}
	return true
}
