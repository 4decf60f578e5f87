package ui

import (
	"net/url"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/valvpm/valv/account"
	isecret "github.com/valvpm/valv/internal/secret" // the package-level func secret takes the name
	"github.com/valvpm/valv/ui/appcore"
)

// accountFlow is the account windows while they are on show: the frame every screen
// shares (title, message line, busy indicator, Back) around the screen that
// appcore.AccountFlow asks for. The flow decides what comes next; this draws it, and
// gives the window back (showStage) when the person is done or goes back.
type accountFlow struct {
	u    *UI
	core *appcore.AccountFlow

	screen   any // the screen's own view: *signInScreen, *smsScreen…
	message  *widget.Label
	progress *widget.ProgressBarInfinite
	back     *widget.Button
	actions  []fyne.Disableable // disabled while a call runs
}

// startAccount opens the account windows on Sign in (or Create account when create is
// set), the e-mail prefilled when known. It returns nil, after saying why, when no
// server is configured.
func (u *UI) startAccount(create bool, email string) *accountFlow {
	f := u.newAccountFlow()
	if f != nil {
		f.core.Start(create, email)
	}
	return f
}

func (u *UI) newAccountFlow() *accountFlow {
	f := &accountFlow{u: u}
	core, err := u.ctrl.NewAccountFlow(f, lang.SystemLocale().String())
	if err != nil {
		u.showError(err)
		return nil
	}
	u.closeAllDialogs()
	f.core = core
	u.acct = f
	return f
}

// offerAutoConnect asks, once per run on the welcome window, whether another Valv app
// of this computer is signed in (PRODUCT.md §1.1) and opens Choose an account to sign
// in if so.
func (u *UI) offerAutoConnect() {
	if u.autoOffered {
		return
	}
	u.autoOffered = true
	welcome := u.welcome
	u.ctrl.LookForSignedInApps(func(cands []account.Candidate) {
		if u.welcome != welcome || welcome == nil {
			return // the person has moved on
		}
		if f := u.newAccountFlow(); f != nil {
			f.core.Choose(cands)
		}
	})
}

// done leaves the account windows for whatever the app's stage calls for: the welcome
// window, creating the master password, unlocking, or the main window.
func (f *accountFlow) done() {
	f.stop()
	f.u.acct = nil
	f.u.showStage()
}

// stop ends the screen's countdown and any running call.
func (f *accountFlow) stop() { f.core.Stop() }

// Show builds screen s (appcore.AccountView).
func (f *accountFlow) Show(s appcore.Screen) {
	f.actions = nil
	f.message = errorLabel()
	f.message.Alignment = fyne.TextAlignCenter
	f.progress = busyBar()
	f.back = f.u.button(T("account.back"), theme.NavigateBackIcon(), f.done)
	f.back.Importance = widget.LowImportance
	switch s {
	case appcore.ScreenChoose:
		f.screen = newChooseScreen(f)
	case appcore.ScreenSignIn:
		f.screen = newSignInScreen(f)
	case appcore.ScreenWaiting:
		f.screen = newWaitingScreen(f)
	case appcore.ScreenCreate:
		f.screen = newCreateAccountScreen(f)
	case appcore.ScreenCaptcha:
		f.screen = newCaptchaScreen(f)
	case appcore.ScreenSMS:
		f.screen = newSMSScreen(f)
	case appcore.ScreenProvision:
		f.screen = newProvisionScreen(f)
	case appcore.ScreenSubscription:
		f.screen = newSubscriptionScreen(f)
	case appcore.ScreenConnected:
		f.screen = newConnectedScreen(f)
	}
}

// page lays a screen out: title, objects, the message and busy indicator, and Back at
// the bottom. Account windows can be taller than the window on small screens, so they
// scroll.
func (f *accountFlow) page(title string, objs ...fyne.CanvasObject) {
	all := []fyne.CanvasObject{heading(title)}
	all = append(all, objs...)
	all = append(all, f.message, f.progress, container.NewCenter(f.back))
	f.u.setContent(container.NewVScroll(container.NewPadded(centred(all...))))
}

// act registers w as disabled while a call runs.
func (f *accountFlow) act(w ...fyne.Disableable) {
	f.actions = append(f.actions, w...)
}

// Busy disables the screen's actions and shows the busy indicator (appcore.AccountView).
func (f *accountFlow) Busy(on bool) {
	for _, a := range f.actions {
		if on {
			a.Disable()
		} else {
			a.Enable()
		}
	}
	if on {
		f.message.Hide()
		f.progress.Show()
		f.progress.Start()
	} else {
		f.progress.Stop()
		f.progress.Hide()
	}
	relayout(f.progress)
}

// Say shows the flow's note on the message line (appcore.AccountView).
func (f *accountFlow) Say(n appcore.Note) {
	switch {
	case n.CodeSent:
		f.note(T("sms.sent"), widget.SuccessImportance)
	case n.TriesLeft > 0:
		f.fail(T("accountError.codeWrongTries", map[string]any{"Count": n.TriesLeft}))
	case n.Err != nil:
		f.fail(errorText(n.Err))
	default:
		f.fail("")
	}
}

// fail shows msg on the current screen ("" hides the message).
func (f *accountFlow) fail(msg string) {
	f.note(msg, widget.DangerImportance)
}

func (f *accountFlow) note(msg string, imp widget.Importance) {
	if msg == "" {
		f.message.Hide()
	} else {
		f.message.Importance = imp
		f.message.SetText(msg)
		f.message.Show()
	}
	relayout(f.message)
}

// WipePassword empties the screen's password field (appcore.AccountView).
func (f *accountFlow) WipePassword() {
	if s, ok := f.screen.(interface{ wipePassword() }); ok {
		s.wipePassword()
	}
}

// Picture shows a new captcha picture (appcore.AccountView).
func (f *accountFlow) Picture(cp *account.Captcha) {
	if s, ok := f.screen.(*captchaScreen); ok {
		s.setPicture(cp)
	}
}

// Countdown moves the SMS window's clock (appcore.AccountView).
func (f *accountFlow) Countdown(c appcore.Countdown) {
	if s, ok := f.screen.(*smsScreen); ok {
		s.countdown(c)
	}
}

// RegionsLoaded fills the screen's region picker (appcore.AccountView).
func (f *accountFlow) RegionsLoaded() {
	if s, ok := f.screen.(interface{ regionPicker() *regionPicker }); ok {
		s.regionPicker().fill()
	}
}

// OtherUsers is the warning of PRODUCT.md §1.7 (appcore.AccountView).
func (f *accountFlow) OtherUsers(names []string) {
	f.u.showMessage(T("osUsers.title"), T("osUsers.body", map[string]any{"Users": strings.Join(names, ", ")}))
}

// link is a hyperlink to a page of the server (or elsewhere) that opens through the
// app's browser opener, so a missing browser is a sentence.
func (f *accountFlow) link(text, raw string) *widget.Hyperlink {
	u, err := url.Parse(raw)
	if err != nil {
		u = &url.URL{}
	}
	l := widget.NewHyperlink(text, u)
	l.Alignment = fyne.TextAlignCenter
	l.OnTapped = func() { f.open(raw) }
	return l
}

// statementLink is the Web Portal Statement's link, shown at every button that
// connects (PRODUCT.md §1).
func (f *accountFlow) statementLink() *widget.Hyperlink {
	return f.link(T("account.statementLink"), f.core.StatementURL())
}

// open shows a page in the browser, or says why it could not.
func (f *accountFlow) open(u string) {
	if err := f.core.Open(u); err != nil {
		f.fail(T("error.openURL"))
	}
}

// caption is small centred wrapped text.
func caption(s string) *widget.Label {
	l := paragraph(s)
	l.SizeName = theme.SizeNameCaptionText
	return l
}

// secret returns what a SecretEntry holds as the string the account API takes (one
// short-lived copy; the entry keeps its single buffer).
func secret(e *SecretEntry) string {
	b := e.Bytes()
	s := string(b)
	isecret.Wipe(b)
	return s
}

// emailTyped is the e-mail on the sign-in window, for the windows that follow it.
func (f *accountFlow) emailTyped() string {
	if s, ok := f.screen.(*signInScreen); ok {
		return s.email.Text
	}
	return f.core.Email()
}
