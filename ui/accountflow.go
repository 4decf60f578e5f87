package ui

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/valvpm/valv/account"
	"github.com/valvpm/valv/cloud/api"
	isecret "github.com/valvpm/valv/internal/secret"
	"github.com/valvpm/valv/ui/appcore"
)

// Screen names of the account windows (accountFlow.screen), one per window of
// PRODUCT.md §1.
const (
	screenChoose       = "choose"       // Choose an account to sign in (§1.1)
	screenSignIn       = "signIn"       // Sign in to Valv Account (§1.2)
	screenWaiting      = "waiting"      // quick sign-in: the browser is open (§1.3)
	screenCreate       = "create"       // Create account (§1.4)
	screenCaptcha      = "captcha"      // Enter the code from the picture (§1.2)
	screenSMS          = "sms"          // the SMS code (§1.2)
	screenProvision    = "provision"    // Accept and connect (§1.2)
	screenSubscription = "subscription" // Choose subscription (§1.6)
	screenConnected    = "connected"    // done: Continue
)

// accountFlow is one pass through the account windows. It renders an account.Flow's
// State as the window's content — the state machine lives in the account package, the
// flow only draws it — and gives the window back (showStage) when the person is done
// or goes back. Every network call runs through the controller's Runner with a busy
// indicator; errors become sentences on the screen that caused them, and the fields
// keep what was typed (except passwords after a wrong password, as sign-in forms do).
type accountFlow struct {
	u       *UI
	client  *account.Client
	flow    *account.Flow
	regions *api.RegionsResponse
	region  string // region code chosen on the sign-in or create window
	screen  string
	state   account.State

	// The current screen's shared parts.
	message  *widget.Label
	progress *widget.ProgressBarInfinite
	actions  []fyne.Disableable // disabled while a call runs
	busy     bool
	cancel   func() // stops the running call (quick sign-in's Cancel)
	stopTick func()

	// Widgets of the screen on show, for tests.
	candidates []*widget.Button
	another    *widget.Button
	email      *entry
	password   *SecretEntry
	confirm    *SecretEntry
	submit     *widget.Button // the screen's main button (Sign in, Create account, Continue…)
	toCreate   *widget.Button
	toSignIn   *widget.Button
	forgot     *widget.Button
	back       *widget.Button
	regionSel  *widget.Select
	providerBx *fyne.Container
	providers  map[string]*widget.Button
	statement  *widget.Hyperlink
	rules      map[string]*widget.Icon
	ruleOK     map[string]bool
	consent    *widget.Check
	captcha    *canvas.Image
	answer     *entry
	refresh    *widget.Button
	refreshing bool
	code       *entry
	validity   *widget.Label
	resend     *widget.Button
	help       *widget.Button
	selects    []*widget.Button
	notice     *widget.Label
}

// startAccount opens the account windows on Sign in (or Create account when create is
// set), the e-mail prefilled when known. It returns nil, after saying why, when no
// server is configured.
func (u *UI) startAccount(create bool, email string) *accountFlow {
	f := u.newAccountFlow()
	if f == nil {
		return nil
	}
	if create {
		f.showCreate()
	} else {
		f.showSignIn(email)
	}
	return f
}

func (u *UI) newAccountFlow() *accountFlow {
	c, err := u.ctrl.AccountClient()
	if err != nil {
		u.showError(err)
		return nil
	}
	u.closeAllDialogs()
	f := &accountFlow{u: u, client: c, flow: c.NewFlow(""), region: u.ctrl.AccountRegion(lang.SystemLocale().String())}
	u.acct = f
	return f
}

// offerAutoConnect asks, once per run on the welcome window, whether another Valv app
// of this computer is signed in (PRODUCT.md §1.1) and opens Choose an account to sign
// in if so. Nothing is shown when there is no such account or the server is away: the
// welcome window's buttons still work.
func (u *UI) offerAutoConnect() {
	if u.autoOffered {
		return
	}
	u.autoOffered = true
	c, err := u.ctrl.AccountClient()
	if err != nil || c.SignedIn() {
		return
	}
	welcome := u.welcome
	var cands []account.Candidate
	u.ctrl.Background(func(ctx context.Context) {
		cands, err = c.AutoConnect(ctx)
	}, func() {
		if err != nil || len(cands) == 0 || u.welcome != welcome || welcome == nil {
			return
		}
		if f := u.newAccountFlow(); f != nil {
			f.showChoose(cands)
		}
	})
}

// current reports whether f is still the window's content (a lock or a language change
// may have replaced it while a call ran).
func (f *accountFlow) current() bool { return f.u.acct == f }

// done leaves the account windows for whatever the app's stage calls for: the welcome
// window, creating the master password, unlocking, or the main window.
func (f *accountFlow) done() {
	f.stop()
	f.u.acct = nil
	f.u.showStage()
}

// stop ends the screen's ticker and any running call.
func (f *accountFlow) stop() {
	if f.stopTick != nil {
		f.stopTick()
		f.stopTick = nil
	}
	if f.cancel != nil {
		f.cancel()
		f.cancel = nil
	}
}

// begin starts a new screen: the shared message and busy indicator, no actions yet.
func (f *accountFlow) begin(screen string) {
	f.stop()
	f.screen = screen
	f.busy = false
	f.actions = nil
	f.message = errorLabel()
	f.message.Alignment = fyne.TextAlignCenter
	f.progress = busyBar()
	f.back = f.u.button(T("account.back"), theme.NavigateBackIcon(), f.done)
	f.back.Importance = widget.LowImportance
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

func (f *accountFlow) setBusy(on bool) {
	f.busy = on
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

// call runs one step of the flow in the background and renders what it returns.
func (f *accountFlow) call(timeout time.Duration, work func(ctx context.Context) (account.State, error)) {
	if f.busy {
		return
	}
	f.setBusy(true)
	var st account.State
	var err error
	screen := f.screen
	cancel := f.u.ctrl.BackgroundFor(timeout, func(ctx context.Context) {
		st, err = work(ctx)
	}, func() {
		if !f.current() || f.screen != screen {
			return // the window moved on (Back, a lock) while the call ran
		}
		f.cancel = nil
		f.setBusy(false)
		f.render(st, err)
	})
	if f.busy { // still running (the app's runner): Cancel may stop it
		f.cancel = cancel
	}
}

// render shows the screen for st. A screen already on show stays (so what was typed
// stays); err becomes its message unless the screen itself explains it.
func (f *accountFlow) render(st account.State, err error) {
	f.state = st
	msg := ""
	if err != nil {
		msg = errorText(err)
	}
	switch st.Step {
	case account.StepCredentials:
		switch f.screen {
		case screenSignIn, screenCreate:
			if errors.Is(err, account.ErrInvalidCredentials) && f.password != nil {
				f.password.Wipe() // as sign-in forms do: the e-mail stays, the password goes
			}
		default:
			f.showSignIn(st.Email)
		}
	case account.StepCaptcha:
		if f.screen == screenCaptcha {
			f.setCaptcha(st.Captcha)
		} else {
			f.showCaptcha()
		}
		if errors.Is(err, account.ErrCaptchaRequired) || (f.refreshing && errors.Is(err, account.ErrCaptchaWrong)) {
			msg = "" // the window says it already; a new picture asked for is no mistake
		}
		f.refreshing = false
	case account.StepSMSCode:
		if f.screen != screenSMS {
			f.showSMS()
		}
		f.tick()
	case account.StepDataProvision:
		f.showProvision()
		if errors.Is(err, account.ErrDataProvision) {
			msg = ""
		}
	case account.StepChooseSubscription:
		f.showSubscriptions()
	case account.StepConnected:
		f.connected()
		return
	}
	switch {
	case errors.Is(err, errCodeSent):
		f.note(T("sms.sent"), widget.SuccessImportance)
		return
	case errors.Is(err, account.ErrCodeWrong) && st.TriesLeft > 0:
		msg = T("accountError.codeWrongTries", map[string]any{"Count": st.TriesLeft})
	}
	f.fail(msg)
}

// statementLink is the Web Portal Statement's link (from Regions, else the portal's
// usual place), shown at every button that connects (PRODUCT.md §1).
func (f *accountFlow) statementLink() *widget.Hyperlink {
	path := "/portal/terms"
	if f.regions != nil && f.regions.Terms.URL != "" {
		path = f.regions.Terms.URL
	}
	link := widget.NewHyperlink(T("account.statementLink"), f.absURL(path))
	link.Alignment = fyne.TextAlignCenter
	link.OnTapped = func() { f.open(f.absURL(path).String()) }
	f.statement = link
	return link
}

// absURL resolves a server path (or keeps an absolute URL).
func (f *accountFlow) absURL(path string) *url.URL {
	raw := path
	if !strings.Contains(path, "://") {
		raw = f.client.URL(path)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return &url.URL{}
	}
	return u
}

// open shows a page in the browser, or says why it could not.
func (f *accountFlow) open(u string) {
	if err := f.u.ctrl.OpenURL(u); err != nil {
		f.fail(T("error.openURL"))
	}
}

// loadRegions fetches the regions (providers, statements) once, then calls then.
func (f *accountFlow) loadRegions(then func()) {
	if f.regions != nil {
		then()
		return
	}
	var rr *api.RegionsResponse
	var err error
	f.u.ctrl.Background(func(ctx context.Context) {
		rr, err = f.client.Regions(ctx)
	}, func() {
		if !f.current() {
			return
		}
		if err != nil {
			// The providers cannot be shown; signing in with a password may still
			// work once the network is back, and it will say so itself.
			return
		}
		f.regions = rr
		if !slices.ContainsFunc(rr.Regions, func(r api.Region) bool { return r.Code == f.region }) {
			f.region = "other"
		}
		then()
	})
}

// regionPicker is the region Select; it lists the server's regions by their
// translated names, and calls changed after a new pick.
func (f *accountFlow) regionPicker(changed func()) *widget.Select {
	sel := widget.NewSelect(nil, nil)
	fill := func() {
		if f.regions == nil {
			return
		}
		var names []string
		chosen := ""
		for _, r := range f.regions.Regions {
			names = append(names, regionName(r))
			if r.Code == f.region {
				chosen = regionName(r)
			}
		}
		sel.OnChanged = nil
		sel.SetOptions(names)
		sel.SetSelected(chosen)
		sel.OnChanged = func(string) {
			if i := sel.SelectedIndex(); i >= 0 && i < len(f.regions.Regions) {
				f.region = f.regions.Regions[i].Code
				changed()
			}
		}
	}
	sel.PlaceHolder = T("account.region")
	f.regionSel = sel
	f.loadRegions(func() { fill(); changed() })
	return sel
}

// regionName is a region's name in the person's language (the server's English name
// for a region Valv does not know).
func regionName(r api.Region) string {
	switch r.Code {
	case "eu", "us", "ru", "other":
		return T("region." + r.Code)
	}
	return r.Name
}

// providerName is a quick sign-in provider's brand name (the same in every language).
func providerName(p string) string {
	switch p {
	case "google":
		return "Google"
	case "facebook":
		return "Facebook"
	case "apple":
		return "Apple"
	case "yandex":
		return "Yandex"
	case "vk":
		return "VK"
	}
	return p
}

// showChoose is Choose an account to sign in (PRODUCT.md §1.1): the account another
// Valv app signed in to, recommended and marked when its subscription includes the
// password manager (whatever that subscription's status), and Use another account.
func (f *accountFlow) showChoose(cands []account.Candidate) {
	f.begin(screenChoose)
	objs := []fyne.CanvasObject{paragraph(T("choose.explain"))}
	f.candidates = nil
	for i, c := range cands {
		email := c.Email
		b := f.u.button(T("choose.signInAs", map[string]any{"Email": email}), theme.AccountIcon(), func() { f.showSignIn(email) })
		var tags []fyne.CanvasObject
		if i == 0 {
			b.Importance = widget.HighImportance
			tags = append(tags, tag(T("choose.recommended"), theme.ConfirmIcon(), widget.MediumImportance))
		}
		if c.Included {
			tags = append(tags, tag(T("choose.included"), theme.ConfirmIcon(), widget.SuccessImportance))
			if c.Status != "" && c.Status != api.StatusActive {
				tags = append(tags, tag(statusName(c.Status), theme.WarningIcon(), widget.WarningImportance))
			}
		}
		f.candidates = append(f.candidates, b)
		objs = append(objs, b, container.NewCenter(container.NewHBox(tags...)))
	}
	f.another = f.u.button(T("choose.another"), theme.ContentAddIcon(), func() { f.showSignIn("") })
	objs = append(objs, widget.NewSeparator(), f.another)
	f.page(T("choose.title"), objs...)
}

// tag is a small mark: an icon and a caption-sized word.
func tag(text string, icon fyne.Resource, imp widget.Importance) fyne.CanvasObject {
	l := widget.NewLabel(text)
	l.Importance = imp
	l.SizeName = theme.SizeNameCaptionText
	return container.NewHBox(widget.NewIcon(icon), l)
}

// showSignIn is Sign in to Valv Account (PRODUCT.md §1.2, §1.3).
func (f *accountFlow) showSignIn(email string) {
	f.begin(screenSignIn)
	f.flow = f.client.NewFlow(email)
	f.email = f.u.newEntry()
	f.email.SetPlaceHolder(T("account.email"))
	f.email.SetText(email)
	f.password = f.u.newSecretEntry(T("account.password"))
	f.email.OnSubmitted = func(string) { f.u.win.Canvas().Focus(f.password) }
	f.password.OnSubmitted = f.doSignIn
	f.password.OnChanged = func() { f.message.Hide() }
	f.submit = f.u.button(T("signIn.submit"), theme.LoginIcon(), f.doSignIn)
	f.submit.Importance = widget.HighImportance
	f.forgot = f.u.button(T("signIn.forgot"), theme.HelpIcon(), func() { f.open(f.client.URL("/portal/forgot")) })
	f.forgot.Importance = widget.LowImportance
	f.toCreate = f.u.button(T("signIn.toCreate"), theme.ContentAddIcon(), f.showCreate)
	f.toCreate.Importance = widget.LowImportance
	f.providerBx = container.NewGridWithColumns(3)
	f.providers = map[string]*widget.Button{}
	f.act(f.email, f.submit, f.toCreate)
	statement := caption(T("signIn.statement"))
	link := f.statementLink()
	sel := f.regionPicker(f.fillProviders)
	f.page(T("signIn.title"),
		paragraph(T("signIn.explain")),
		f.email, f.password, f.submit,
		statement, link,
		container.NewGridWithColumns(2, f.forgot, f.toCreate),
		widget.NewSeparator(),
		caption(T("signIn.quick")),
		container.NewBorder(nil, nil, widget.NewLabel(T("account.region")), nil, sel),
		f.providerBx,
	)
	if email != "" {
		f.u.focusSoon(f.password)
	} else {
		f.u.focusSoon(f.email)
	}
}

// caption is small centred wrapped text.
func caption(s string) *widget.Label {
	l := paragraph(s)
	l.SizeName = theme.SizeNameCaptionText
	return l
}

// fillProviders shows the quick sign-in buttons of the chosen region.
func (f *accountFlow) fillProviders() {
	if f.providerBx == nil || f.regions == nil {
		return
	}
	f.providerBx.Objects = nil
	f.providers = map[string]*widget.Button{}
	for _, r := range f.regions.Regions {
		if r.Code != f.region {
			continue
		}
		for _, p := range r.Providers {
			b := f.u.button(providerName(p), nil, func() { f.doQuick(p) })
			f.providers[p] = b
			f.act(b)
			f.providerBx.Objects = append(f.providerBx.Objects, b)
		}
	}
	f.providerBx.Refresh()
	relayout(f.providerBx)
}

// secret returns what a SecretEntry holds as the string the account API takes (one
// short-lived copy; the entry keeps its single buffer).
func secret(e *SecretEntry) string {
	b := e.Bytes()
	s := string(b)
	isecret.Wipe(b)
	return s
}

func (f *accountFlow) doSignIn() {
	email := strings.TrimSpace(f.email.Text)
	if email == "" || f.password.Len() == 0 {
		f.fail(T("signIn.needBoth"))
		return
	}
	pw := secret(f.password)
	f.call(appcore.NetworkTimeout, func(ctx context.Context) (account.State, error) {
		return f.flow.SignIn(ctx, email, pw)
	})
}

// doQuick signs in with a provider through the system browser. The window waits with
// Cancel; when the browser step is done the flow goes on by itself.
func (f *accountFlow) doQuick(provider string) {
	if f.busy {
		return
	}
	region := f.region
	flow := f.flow
	f.showWaiting(provider)
	f.call(account.QuickSignInTimeout+time.Minute, func(ctx context.Context) (account.State, error) {
		return flow.QuickSignIn(ctx, provider, region, f.u.ctrl.OpenURL)
	})
}

// showWaiting is the quick sign-in's wait for the browser.
func (f *accountFlow) showWaiting(provider string) {
	email := ""
	if f.email != nil {
		email = f.email.Text
	}
	f.begin(screenWaiting)
	f.back.Hide() // Cancel is the way back here
	cancel := f.u.button(T("button.cancel"), theme.CancelIcon(), func() {
		if f.cancel != nil {
			f.cancel()
		} else {
			f.showSignIn(email)
		}
	})
	f.submit = cancel
	f.page(T("waiting.title"),
		paragraph(T("waiting.explain", map[string]any{"Provider": providerName(provider)})),
		caption(T("waiting.statement")), f.statementLink(),
		cancel)
	// The busy indicator is this screen's whole point: show it at once.
	f.progress.Show()
	f.progress.Start()
}

// showCreate is Create account (PRODUCT.md §1.4): e-mail, password twice with the live
// rule checklist, the marketing consent (off by default), the region and the statement.
func (f *accountFlow) showCreate() {
	email := ""
	if f.email != nil {
		email = f.email.Text
	}
	f.begin(screenCreate)
	f.flow = f.client.NewFlow(email)
	f.email = f.u.newEntry()
	f.email.SetPlaceHolder(T("account.email"))
	f.email.SetText(email)
	f.password = f.u.newSecretEntry(T("create.accountPassword"))
	f.confirm = f.u.newSecretEntry(T("create.accountConfirm"))
	f.email.OnSubmitted = func(string) { f.u.win.Canvas().Focus(f.password) }
	f.password.OnSubmitted = func() { f.u.win.Canvas().Focus(f.confirm) }
	f.confirm.OnSubmitted = f.doCreate
	f.rules, f.ruleOK = map[string]*widget.Icon{}, map[string]bool{}
	var checklist []fyne.CanvasObject
	for _, r := range account.CheckPassword("") {
		icon := widget.NewIcon(theme.RadioButtonIcon())
		f.rules[r.Key] = icon
		l := widget.NewLabel(ruleText(r.Key))
		l.SizeName = theme.SizeNameCaptionText
		checklist = append(checklist, container.NewHBox(icon, l))
	}
	f.password.OnChanged = f.checkRules
	f.confirm.OnChanged = func() { f.message.Hide() }
	// Off: consent is opt-in (§1.4). A Check's own text does not wrap, so the long
	// sentence is a wrapped label beside an unlabelled box.
	f.consent = widget.NewCheck("", nil)
	consentText := widget.NewLabel(T("create.consent"))
	consentText.Wrapping = fyne.TextWrapWord
	consentText.SizeName = theme.SizeNameCaptionText
	f.submit = f.u.button(T("create.accountSubmit"), theme.ConfirmIcon(), f.doCreate)
	f.submit.Importance = widget.HighImportance
	f.toSignIn = f.u.button(T("create.toSignIn"), theme.LoginIcon(), func() { f.showSignIn(strings.TrimSpace(f.email.Text)) })
	f.toSignIn.Importance = widget.LowImportance
	f.act(f.email, f.submit, f.toSignIn, f.consent)
	consent := container.NewBorder(nil, nil, container.NewVBox(f.consent), nil, consentText)
	f.checkRules()
	f.page(T("create.accountTitle"),
		f.email, f.password, f.confirm,
		container.NewGridWithColumns(2, checklist...),
		consent,
		container.NewBorder(nil, nil, widget.NewLabel(T("account.region")), nil, f.regionPicker(func() {})),
		f.submit,
		caption(T("create.statement")), f.statementLink(),
		f.toSignIn,
	)
	f.u.focusSoon(f.email)
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
func (f *accountFlow) checkRules() {
	f.message.Hide()
	pw := secret(f.password)
	for _, r := range account.CheckPassword(pw) {
		icon := theme.RadioButtonIcon()
		if f.password.Len() > 0 {
			icon = theme.NewErrorThemedResource(theme.CancelIcon())
		}
		if r.OK {
			icon = theme.NewSuccessThemedResource(theme.ConfirmIcon())
		}
		f.ruleOK[r.Key] = r.OK
		if i := f.rules[r.Key]; i != nil {
			i.SetResource(icon)
		}
	}
}

func (f *accountFlow) doCreate() {
	form := account.CreateForm{
		Email:            strings.TrimSpace(f.email.Text),
		Password:         secret(f.password),
		Confirm:          secret(f.confirm),
		MarketingConsent: f.consent.Checked,
		Region:           f.region,
	}
	f.call(appcore.NetworkTimeout, func(ctx context.Context) (account.State, error) {
		return f.flow.CreateAccount(ctx, form)
	})
}

// showCaptcha is Enter the code from the picture.
func (f *accountFlow) showCaptcha() {
	f.begin(screenCaptcha)
	f.captcha = canvas.NewImageFromResource(nil)
	f.captcha.FillMode = canvas.ImageFillContain
	f.captcha.SetMinSize(fyne.NewSize(220, 80))
	f.setCaptcha(f.state.Captcha)
	f.answer = f.u.newEntry()
	f.answer.SetPlaceHolder(T("captcha.answer"))
	f.answer.OnSubmitted = func(string) { f.doCaptcha() }
	f.refresh = f.u.button(T("captcha.refresh"), theme.ViewRefreshIcon(), f.doRefresh)
	f.password = f.u.newSecretEntry(T("captcha.password"))
	f.password.OnSubmitted = f.doCaptcha
	f.submit = f.u.button(T("captcha.submit"), theme.NavigateNextIcon(), f.doCaptcha)
	f.submit.Importance = widget.HighImportance
	f.act(f.answer, f.refresh, f.submit)
	f.page(T("captcha.title"),
		paragraph(T("captcha.explain")),
		container.NewCenter(f.captcha),
		container.NewBorder(nil, nil, nil, f.refresh, f.answer),
		f.password,
		f.submit,
		caption(T("signIn.statement")), f.statementLink(),
	)
	f.u.focusSoon(f.answer)
}

// setCaptcha shows a new picture.
func (f *accountFlow) setCaptcha(cp *api.Captcha) {
	if cp == nil || f.captcha == nil {
		return
	}
	f.captcha.Resource = fyne.NewStaticResource("captcha-"+cp.ID+".png", cp.ImagePNG)
	f.captcha.Refresh()
	if f.answer != nil {
		f.answer.SetText("")
	}
}

func (f *accountFlow) doCaptcha() {
	answer := strings.TrimSpace(f.answer.Text)
	if answer == "" {
		f.fail(T("captcha.needAnswer"))
		return
	}
	pw := secret(f.password)
	f.call(appcore.NetworkTimeout, func(ctx context.Context) (account.State, error) {
		return f.flow.AnswerCaptcha(ctx, answer, pw)
	})
}

// doRefresh asks for a new picture: an empty answer is a failed try the server answers
// with a fresh picture, the only way its API offers one.
func (f *accountFlow) doRefresh() {
	f.refreshing = true
	f.call(appcore.NetworkTimeout, func(ctx context.Context) (account.State, error) {
		return f.flow.AnswerCaptcha(ctx, "", "")
	})
}

// showSMS is the SMS code window: 6-digit field, Confirm, the code's validity and a
// countdown to Request code again, and Didn't get the code?
func (f *accountFlow) showSMS() {
	f.begin(screenSMS)
	f.code = f.u.newEntry()
	f.code.SetPlaceHolder(T("sms.code"))
	f.code.OnChanged = func(s string) {
		// Digits only, at most six: what an SMS code is, pasted with spaces or not.
		d := strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, s)
		if len(d) > 6 {
			d = d[:6]
		}
		if d != s {
			f.code.SetText(d)
		}
		f.message.Hide()
	}
	f.code.OnSubmitted = func(string) { f.doConfirm() }
	f.submit = f.u.button(T("sms.confirm"), theme.ConfirmIcon(), f.doConfirm)
	f.submit.Importance = widget.HighImportance
	f.validity = widget.NewLabel("")
	f.validity.Alignment = fyne.TextAlignCenter
	f.validity.SizeName = theme.SizeNameCaptionText
	f.resend = f.u.button(T("sms.resend"), theme.MailSendIcon(), f.doResend)
	f.help = f.u.button(T("sms.help"), theme.HelpIcon(), f.showSMSHelp)
	f.help.Importance = widget.LowImportance
	f.act(f.code, f.submit)
	phone := ""
	if f.state.SMS != nil {
		phone = f.state.SMS.PhoneHint
	}
	f.page(T("sms.title"),
		paragraph(T("sms.explain", map[string]any{"Phone": phone})),
		f.code, f.submit, f.validity,
		f.resend, container.NewCenter(f.help),
	)
	f.stopTick = f.u.ctrl.Ticker(time.Second, f.tick)
	f.u.focusSoon(f.code)
}

// tick updates the code's validity and the resend countdown from the clock. The app's
// ticker calls it every second; tests move the server's clock and call it.
func (f *accountFlow) tick() {
	if f.screen != screenSMS || f.state.SMS == nil {
		return
	}
	now := f.u.ctrl.Now()
	sms := f.state.SMS
	if left := sms.ExpiresAt.Sub(now); left > 0 {
		f.validity.SetText(T("sms.validFor", map[string]any{"Time": clock(left)}))
	} else {
		f.validity.SetText(T("sms.expired"))
	}
	if wait := sms.ResendAt.Sub(now); wait > 0 {
		f.resend.SetText(T("sms.resendIn", map[string]any{"Time": clock(wait)}))
		f.resend.Disable()
	} else {
		f.resend.SetText(T("sms.resend"))
		if !f.busy {
			f.resend.Enable()
		}
	}
}

// clock formats a countdown as m:ss, rounding up so it never shows 0:00 while waiting.
func clock(d time.Duration) string {
	s := int((d + time.Second - 1) / time.Second)
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

func (f *accountFlow) doConfirm() {
	code := f.code.Text
	if len(code) != 6 {
		f.fail(T("sms.needSix"))
		return
	}
	f.call(appcore.NetworkTimeout, func(ctx context.Context) (account.State, error) {
		return f.flow.ConfirmSMS(ctx, code)
	})
}

func (f *accountFlow) doResend() {
	f.resend.Disable()
	f.call(appcore.NetworkTimeout, func(ctx context.Context) (account.State, error) {
		st, err := f.flow.ResendSMS(ctx)
		if err == nil {
			err = errCodeSent
		}
		return st, err
	})
}

// errCodeSent is not a failure: it carries "a new code was sent" to the SMS window's
// message line, which render shows in the calm colour.
var errCodeSent = errors.New("a new code was sent")

func (f *accountFlow) showSMSHelp() {
	f.u.showMessage(T("sms.helpTitle"), T("sms.helpBody"))
}

// showProvision is Accept and connect: the region's data-provision statement, with its
// link, to accept before connecting.
func (f *accountFlow) showProvision() {
	f.begin(screenProvision)
	link := f.statementLink()
	if st := f.state.Statement; st != nil && st.URL != "" {
		u := f.absURL(st.URL)
		link.SetURL(u)
		link.OnTapped = func() { f.open(u.String()) }
	}
	link.SetText(T("provision.link"))
	f.statement = link
	f.submit = f.u.button(T("provision.accept"), theme.ConfirmIcon(), func() {
		f.call(appcore.NetworkTimeout, func(ctx context.Context) (account.State, error) {
			return f.flow.AcceptDataProvision(ctx)
		})
	})
	f.submit.Importance = widget.HighImportance
	f.act(f.submit)
	f.page(T("provision.title"), paragraph(T("provision.explain")), link, f.submit)
}

// showSubscriptions is Choose subscription (PRODUCT.md §1.6): every active licence
// that includes the password manager, with Select.
func (f *accountFlow) showSubscriptions() {
	f.begin(screenSubscription)
	objs := []fyne.CanvasObject{paragraph(T("subscription.explain"))}
	f.selects = nil
	for _, l := range f.state.Licences {
		id := l.ID
		sel := f.u.button(T("subscription.select"), theme.ConfirmIcon(), func() {
			st, err := f.flow.ChooseLicence(id)
			f.render(st, err)
		})
		sel.Importance = widget.HighImportance
		f.selects = append(f.selects, sel)
		name := widget.NewLabelWithStyle(planName(l.Plan, l.PlanName), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		detail := widget.NewLabel(T("subscription.detail", map[string]any{"Status": statusName(l.Status), "Date": dateText(l.ExpiresAt)}))
		detail.SizeName = theme.SizeNameCaptionText
		card := widget.NewCard("", "", container.NewBorder(nil, nil, nil, container.NewCenter(sel),
			container.New(layout.NewCustomPaddedVBoxLayout(-8), name, detail)))
		objs = append(objs, card)
	}
	f.page(T("subscription.title"), objs...)
}

// planName is a plan's name in the person's language (the server's for a plan Valv
// does not know).
func planName(id, serverName string) string {
	switch id {
	case "free", "personal", "family", "vpn":
		return T("plan." + id)
	}
	if serverName != "" {
		return serverName
	}
	return id
}

// statusName is a licence status's word.
func statusName(s string) string {
	switch s {
	case api.StatusActive, api.StatusExpired, api.StatusSuspended, api.StatusBlocked:
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

// connected is the end of the flow: who is signed in, the plan, the keyring notice if
// the session cannot be kept, and Continue. It also looks, in the background, for other
// OS users of this computer linked to the same account (PRODUCT.md §1.7).
func (f *accountFlow) connected() {
	st := f.state
	s := f.u.ctrl.Settings()
	s.Licence = ""
	if st.Licence != nil {
		s.Licence = st.Licence.ID
	}
	s.Offline = false
	if err := f.u.ctrl.UpdateSettings(s); err != nil {
		fyne.LogError("saving settings", err)
	}
	f.begin(screenConnected)
	f.back.Hide()
	email := st.Email
	if st.Account != nil {
		email = st.Account.Email
	}
	next := T("connected.nextUnlock")
	if f.u.ctrl.Stage() == appcore.StageNoVault {
		next = T("connected.nextCreate")
	}
	f.notice = widget.NewLabel("")
	f.notice.Wrapping = fyne.TextWrapWord
	f.notice.Importance = widget.WarningImportance
	f.notice.Hide()
	if err := f.u.ctrl.KeyringNotice(); err != nil {
		f.notice.SetText(T("accountError.keyring"))
		f.notice.Show()
	}
	f.submit = f.u.button(T("connected.continue"), theme.NavigateNextIcon(), func() { f.done(); f.u.afterConnect() }) // links the vault (syncview.go)
	f.submit.Importance = widget.HighImportance
	f.page(T("connected.title"),
		container.NewCenter(widget.NewIcon(theme.NewSuccessThemedResource(theme.ConfirmIcon()))),
		paragraph(T("connected.as", map[string]any{"Email": email})),
		paragraph(T("connected.plan", map[string]any{"Plan": entitlementPlan(st.Licence, st.Entitlements)})),
		f.notice,
		paragraph(next),
		f.submit,
	)
	f.checkOtherUsers()
}

// entitlementPlan names the plan the app runs on.
func entitlementPlan(l *api.Licence, e api.Entitlements) string {
	if l != nil {
		return planName(l.Plan, l.PlanName)
	}
	if e.Plan == "" {
		return planName("free", "")
	}
	return planName(e.Plan, e.Plan)
}

// checkOtherUsers warns when another OS user of this computer is linked to the same
// account: they would share each other's passwords (PRODUCT.md §1.7).
func (f *accountFlow) checkOtherUsers() {
	var others []string
	var err error
	f.u.ctrl.Background(func(ctx context.Context) {
		others, err = f.client.OtherOSUsers(ctx)
	}, func() {
		if err != nil || len(others) == 0 {
			return // a warning we cannot check is not worth an error of its own
		}
		f.u.showOtherUsers(others)
	})
}

// showOtherUsers is the warning of PRODUCT.md §1.7.
func (u *UI) showOtherUsers(others []string) {
	u.showMessage(T("osUsers.title"), T("osUsers.body", map[string]any{"Users": strings.Join(others, ", ")}))
}
