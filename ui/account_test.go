package ui

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/zalando/go-keyring"

	"github.com/valvpm/valv/account"
	"github.com/valvpm/valv/cloud/cloudtest"
	"github.com/valvpm/valv/ui/appcore"
	"github.com/valvpm/valv/vault"
)

const accountPW = "Valv-Acc0unt"

// accountApp is a test app connected to a real valv-cloud on loopback. Its clock
// starts at the server's, and advance moves both.
type accountApp struct {
	*testApp
	env    *cloudtest.Env
	opened []string // pages the app asked the browser to open
}

// newAccountApp starts the app against env. offline says whether the person has passed
// the welcome window; tweak adjusts the account options (browser, keyring warning…).
func newAccountApp(t *testing.T, env *cloudtest.Env, offline bool, tweak ...func(*appcore.AccountOptions)) *accountApp {
	t.Helper()
	return newAccountAppWith(t, env, offline, nil, tweak...)
}

// newAccountAppWith is newAccountApp with setup changing the controller's options.
func newAccountAppWith(t *testing.T, env *cloudtest.Env, offline bool, setup func(*appcore.Options), tweak ...func(*appcore.AccountOptions)) *accountApp {
	t.Helper()
	a := test.NewTempApp(t)
	dir := t.TempDir()
	t.Setenv(vault.HomeEnv, dir)
	s := appcore.DefaultSettings()
	s.Offline = offline
	s.Path = filepath.Join(dir, "settings.json")
	aa := &accountApp{env: env}
	store := &account.MemoryStore{}
	o := appcore.AccountOptions{
		URL: env.URL,
		New: func(u string) (*account.Client, error) {
			return account.New(u, account.Options{Store: store, ClientName: account.ClientName("Valv"), Now: env.Clock.Now})
		},
		OpenURL: func(u string) error { aa.opened = append(aa.opened, u); return nil },
		Region:  "eu",
	}
	for _, f := range tweak {
		f(&o)
	}
	clock := appcore.NewManualClock(env.Clock.Now())
	aa.testApp = startTestApp(t, a, dir, s, func(opts *appcore.Options) {
		opts.Accounts = &o
		opts.Clock = clock // the SMS countdown reads the server's expiries
		if setup != nil {
			setup(opts)
		}
	})
	aa.clock = clock
	return aa
}

// advance moves the server's clock and the app's together; the app's timers (the SMS
// countdown) run on the way.
func (aa *accountApp) advance(d time.Duration) {
	aa.env.Clock.Advance(d)
	aa.clock.Advance(d)
}

// flow returns the account windows on show, or fails the test.
func (aa *accountApp) flow(screen appcore.Screen) *accountFlow {
	aa.t.Helper()
	f := aa.u.acct
	if f == nil {
		aa.t.Fatalf("no account window is shown, want %s", screen)
	}
	if f.core.Screen() != screen {
		aa.t.Fatalf("the %s window is shown, want %s (message %q)", f.core.Screen(), screen, f.message.Text)
	}
	return f
}

// onScreen returns the view of account window s, or fails the test.
func onScreen[T any](aa *accountApp, s appcore.Screen) T {
	aa.t.Helper()
	v, ok := aa.flow(s).screen.(T)
	if !ok {
		aa.t.Fatalf("the %s window is drawn by %T", s, aa.u.acct.screen)
	}
	return v
}

// message is what the account window's message line says.
func (aa *accountApp) message() string { return aa.u.acct.message.Text }

// signIn fills Sign in to Valv Account and taps Sign in.
func (aa *accountApp) signIn(email, pw string) *accountFlow {
	aa.t.Helper()
	s := onScreen[*signInScreen](aa, appcore.ScreenSignIn)
	s.email.SetText(email)
	typeSecret(s.password, pw)
	test.Tap(s.submit)
	return aa.u.acct
}

// createCloudAccount registers an account on env, signed out again.
func createCloudAccount(t *testing.T, env *cloudtest.Env, email, region string) {
	t.Helper()
	c, err := account.New(env.URL, account.Options{Now: env.Clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := c.NewFlow("").CreateAccount(ctx, account.CreateForm{Email: email, Password: accountPW, Confirm: accountPW, Region: region}); err != nil {
		t.Fatalf("creating %s: %v", email, err)
	}
	if err := c.SignOut(ctx); err != nil {
		t.Fatal(err)
	}
}

func seedDemo(t *testing.T, env *cloudtest.Env) {
	t.Helper()
	if _, err := env.Server.SeedDemo(); err != nil {
		t.Fatal(err)
	}
}

// TestAccountSignInCaptcha: three wrong passwords, then the picture; a new picture on
// request, a wrong answer, the right one; connected; then on to the master password.
func TestAccountSignInCaptcha(t *testing.T) {
	env := cloudtest.Start(t)
	createCloudAccount(t, env, "ayu@example.com", "eu")
	aa := newAccountApp(t, env, false)
	test.Tap(aa.u.welcome.signIn)
	s := onScreen[*signInScreen](aa, appcore.ScreenSignIn)
	if !strings.Contains(s.statement.Text, T("account.statementLink")) || s.statement.URL == nil || !strings.HasPrefix(s.statement.URL.String(), env.URL) {
		t.Errorf("the statement link %q → %v", s.statement.Text, s.statement.URL)
	}
	if len(s.regions.providers) != 3 || s.regions.providers["google"] == nil {
		t.Errorf("quick sign-in in eu offers %d providers", len(s.regions.providers))
	}
	// Empty fields are refused before any call.
	test.Tap(s.submit)
	if aa.message() != T("signIn.needBoth") {
		t.Errorf("empty form: %q", aa.message())
	}
	for range 3 {
		aa.signIn("ayu@example.com", "Wrong-pass1")
		s = onScreen[*signInScreen](aa, appcore.ScreenSignIn)
		if aa.message() != T("accountError.invalidCredentials") {
			t.Fatalf("wrong password: %q", aa.message())
		}
		if s.email.Text != "ayu@example.com" || s.password.Len() != 0 {
			t.Errorf("after a wrong password the e-mail must stay and the password go: %q, %d", s.email.Text, s.password.Len())
		}
	}
	aa.signIn("ayu@example.com", accountPW)
	c := onScreen[*captchaScreen](aa, appcore.ScreenCaptcha)
	if aa.u.acct.message.Visible() {
		t.Errorf("the captcha window shows an error at first: %q", aa.message())
	}
	if c.picture.Resource == nil || len(c.picture.Resource.Content()) == 0 {
		t.Fatal("no picture")
	}
	first := c.picture.Resource.Name()
	test.Tap(c.refresh)
	c = onScreen[*captchaScreen](aa, appcore.ScreenCaptcha)
	if c.picture.Resource.Name() == first || aa.u.acct.message.Visible() {
		t.Errorf("New picture: same picture %v, message %q", c.picture.Resource.Name() == first, aa.message())
	}
	test.Tap(c.submit)
	if aa.message() != T("captcha.needAnswer") {
		t.Errorf("empty answer: %q", aa.message())
	}
	test.Type(c.answer, "99999")
	test.Tap(c.submit)
	c = onScreen[*captchaScreen](aa, appcore.ScreenCaptcha)
	if aa.message() != T("accountError.captchaWrong") || c.answer.Text != "" {
		t.Errorf("wrong answer: %q, answer field %q", aa.message(), c.answer.Text)
	}
	test.Type(c.answer, "12345")
	test.Tap(c.submit)
	done := onScreen[*connectedScreen](aa, appcore.ScreenConnected)
	if !aa.ctrl.SignedIn() || aa.ctrl.AccountEmail() != "ayu@example.com" {
		t.Fatal("not signed in after the right answer")
	}
	test.Tap(done.submit)
	if aa.u.create == nil {
		t.Fatal("after connecting, a new user creates the master password")
	}
	// The choice is remembered: the next start goes straight to the master password.
	aa.u.showStage()
	if aa.u.welcome != nil {
		t.Error("the welcome window came back after connecting")
	}
}

// TestAccountSMSAndChooseSubscription: bob has two-step SMS and two licences. The
// countdown moves with the clock, without waiting.
func TestAccountSMSAndChooseSubscription(t *testing.T) {
	env := cloudtest.Start(t)
	seedDemo(t, env)
	aa := newAccountApp(t, env, false)
	test.Tap(aa.u.welcome.signIn)
	aa.signIn("bob@example.com", "Bob-demo-1")
	s := onScreen[*smsScreen](aa, appcore.ScreenSMS)
	if !s.resend.Disabled() || !strings.Contains(s.resend.Text, "0:30") {
		t.Errorf("resend at once: disabled %v, %q", s.resend.Disabled(), s.resend.Text)
	}
	if !strings.Contains(s.validity.Text, "5:00") {
		t.Errorf("validity %q", s.validity.Text)
	}
	code := env.LastCode(t, "+15550100200")
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	test.Type(s.code, "12 3")
	if s.code.Text != "123" {
		t.Errorf("the code field keeps only digits: %q", s.code.Text)
	}
	test.Tap(s.submit)
	if aa.message() != T("sms.needSix") {
		t.Errorf("short code: %q", aa.message())
	}
	s.code.SetText(wrong)
	test.Tap(s.submit)
	s = onScreen[*smsScreen](aa, appcore.ScreenSMS)
	if aa.message() != T("accountError.codeWrongTries", map[string]any{"Count": 4}) || s.code.Text != wrong {
		t.Errorf("wrong code: %q, field %q", aa.message(), s.code.Text)
	}
	aa.advance(20 * time.Second)
	if !s.resend.Disabled() || !strings.Contains(s.resend.Text, "0:10") || !strings.Contains(s.validity.Text, "4:40") {
		t.Errorf("after 20 s: %q (disabled %v), %q", s.resend.Text, s.resend.Disabled(), s.validity.Text)
	}
	aa.advance(11 * time.Second)
	if s.resend.Disabled() || s.resend.Text != T("sms.resend") {
		t.Fatalf("after 31 s: %q (disabled %v)", s.resend.Text, s.resend.Disabled())
	}
	test.Tap(s.help)
	if len(aa.u.dialogs) != 1 {
		t.Error("Didn't get the code? shows no help")
	}
	aa.u.closeAllDialogs()
	test.Tap(s.resend)
	s = onScreen[*smsScreen](aa, appcore.ScreenSMS)
	if aa.message() != T("sms.sent") || !s.resend.Disabled() {
		t.Errorf("after resend: %q, resend disabled %v", aa.message(), s.resend.Disabled())
	}
	s.code.SetText(env.LastCode(t, "+15550100200"))
	test.Tap(s.submit)
	sub := onScreen[*subscriptionScreen](aa, appcore.ScreenSubscription)
	if len(sub.selects) != 2 {
		t.Fatalf("%d licences to choose from", len(sub.selects))
	}
	lic := aa.u.acct.core.State().Licences[1]
	test.Tap(sub.selects[1])
	aa.flow(appcore.ScreenConnected)
	if aa.ctrl.Settings().Licence != lic.ID {
		t.Errorf("the chosen licence %q was not remembered (%q)", lic.ID, aa.ctrl.Settings().Licence)
	}
}

// TestAccountCreateRules: each rule broken, then all satisfied; the consent box is off
// until ticked; the account is created and connected.
func TestAccountCreateRules(t *testing.T) {
	env := cloudtest.Start(t)
	aa := newAccountApp(t, env, false)
	test.Tap(aa.u.welcome.create)
	c := onScreen[*createAccountScreen](aa, appcore.ScreenCreate)
	if c.consent.Checked {
		t.Error("the marketing consent must be off by default")
	}
	c.email.SetText("new@example.com")
	for _, tc := range []struct{ pw, broken string }{
		{"Short1a", "min-length"},
		{"nodigitsHere", "digit"},
		{"nouppercase1", "uppercase"},
		{"NOLOWERCASE1", "lowercase"},
		{"Has space 1a", "no-spaces"},
	} {
		typeSecret(c.password, tc.pw)
		typeSecret(c.confirm, tc.pw)
		for key, ok := range c.ruleOK {
			if ok == (key == tc.broken) {
				t.Errorf("%q: rule %s shown as satisfied=%v", tc.pw, key, ok)
			}
		}
		test.Tap(c.submit)
		c = onScreen[*createAccountScreen](aa, appcore.ScreenCreate)
		if aa.message() != T("accountError.passwordRules") || c.email.Text != "new@example.com" {
			t.Errorf("%q: %q (e-mail %q)", tc.pw, aa.message(), c.email.Text)
		}
	}
	typeSecret(c.password, accountPW)
	typeSecret(c.confirm, accountPW+"x")
	test.Tap(c.submit)
	if aa.message() != T("accountError.passwordsDiffer") {
		t.Errorf("different passwords: %q", aa.message())
	}
	typeSecret(c.confirm, accountPW)
	c.consent.SetChecked(true)
	test.Tap(c.submit)
	done := onScreen[*connectedScreen](aa, appcore.ScreenConnected)
	if a := aa.u.acct.core.State().Account; a == nil || !a.MarketingConsent || a.Region != "eu" {
		t.Errorf("created account %+v", a)
	}
	test.Tap(done.submit)
	if aa.u.create == nil {
		t.Fatal("Create account must lead on to the master password")
	}
	aa.createVault(strongPassword)

	// The same e-mail again: a sentence, and what was typed stays.
	aa2 := newAccountApp(t, env, false)
	test.Tap(aa2.u.welcome.create)
	c = onScreen[*createAccountScreen](aa2, appcore.ScreenCreate)
	c.email.SetText("new@example.com")
	typeSecret(c.password, accountPW)
	typeSecret(c.confirm, accountPW)
	test.Tap(c.submit)
	if aa2.message() != T("accountError.emailTaken") || c.email.Text != "new@example.com" {
		t.Errorf("taken e-mail: %q", aa2.message())
	}
}

// pickRegion chooses the region with code in the picker, as the person would.
func pickRegion(aa *accountApp, r *regionPicker, code string) {
	aa.t.Helper()
	for i, reg := range aa.u.acct.core.Regions() {
		if reg.Code == code {
			r.sel.SetSelectedIndex(i)
		}
	}
	if aa.u.acct.core.Region() != code || r.sel.Selected != regionName(account.Region{Code: code}) {
		aa.t.Fatalf("region %q, shown %q", aa.u.acct.core.Region(), r.sel.Selected)
	}
}

// TestAccountDataProvision: a region that needs the statement shows Accept and connect.
func TestAccountDataProvision(t *testing.T) {
	env := cloudtest.Start(t)
	aa := newAccountApp(t, env, false)
	test.Tap(aa.u.welcome.create)
	c := onScreen[*createAccountScreen](aa, appcore.ScreenCreate)
	pickRegion(aa, c.regions, "ru")
	c.email.SetText("ivan@example.com")
	typeSecret(c.password, accountPW)
	typeSecret(c.confirm, accountPW)
	test.Tap(c.submit)
	p := onScreen[*provisionScreen](aa, appcore.ScreenProvision)
	if aa.u.acct.message.Visible() || p.statement.URL == nil || !strings.Contains(p.statement.URL.String(), "/portal/terms") {
		t.Errorf("statement link %v, message %q", p.statement.URL, aa.message())
	}
	test.Tap(p.submit)
	aa.flow(appcore.ScreenConnected)
	if !aa.u.acct.core.State().Account.DataProvisionAccepted {
		t.Error("the statement was not accepted")
	}
}

// TestAccountQuickSignIn plays the system browser: the provider's page, allow, and the
// redirect back to the app, which goes on by itself.
func TestAccountQuickSignIn(t *testing.T) {
	env := cloudtest.Start(t)
	createCloudAccount(t, env, "quick@example.com", "eu")
	allow := true
	aa := newAccountApp(t, env, false, func(o *appcore.AccountOptions) {
		o.OpenURL = func(start string) error { return playBrowser(t, start, "quick@example.com", allow) }
	})
	test.Tap(aa.u.welcome.signIn)
	test.Tap(onScreen[*signInScreen](aa, appcore.ScreenSignIn).regions.providers["google"])
	aa.flow(appcore.ScreenConnected)
	if e := aa.u.acct.core.State().Account.Email; e != "quick@example.com" {
		t.Errorf("signed in as %q", e)
	}

	// Denied at the provider: back on Sign in with a sentence.
	aa2 := newAccountApp(t, env, false, func(o *appcore.AccountOptions) {
		o.OpenURL = func(start string) error { return playBrowser(t, start, "quick@example.com", false) }
	})
	test.Tap(aa2.u.welcome.signIn)
	test.Tap(onScreen[*signInScreen](aa2, appcore.ScreenSignIn).regions.providers["apple"])
	s := onScreen[*signInScreen](aa2, appcore.ScreenSignIn)
	if aa2.message() != T("accountError.providerFailed") {
		t.Errorf("denied: %q", aa2.message())
	}
	// The region decides the providers: Russia offers Yandex and VK.
	pickRegion(aa2, s.regions, "ru")
	if p := s.regions.providers; len(p) != 2 || p["yandex"] == nil || p["vk"] == nil {
		t.Errorf("providers in ru: %v", p)
	}
}

// uiPump makes the app run its calls in the background, as the real app does, with the
// UI callbacks queued for the test to run as the app's event loop would: a test can
// then press Cancel while a call runs.
func uiPump(t *testing.T, aa *accountApp) (pump func(what string, until func() bool)) {
	queue := make(chan func(), 100)
	aa.sched.set(appcore.Scheduler{Background: func(f func()) { go f() }, OnUI: func(f func()) { queue <- f }})
	return func(what string, until func() bool) {
		t.Helper()
		deadline := time.After(10 * time.Second)
		for !until() {
			select {
			case f := <-queue:
				f()
			case <-deadline:
				t.Fatalf("waited 10 s for %s", what)
			}
		}
	}
}

// TestAccountQuickSignInCancel: Cancel while the browser is open stops the wait.
func TestAccountQuickSignInCancel(t *testing.T) {
	env := cloudtest.Start(t)
	opened := make(chan string, 1)
	aa := newAccountApp(t, env, false, func(o *appcore.AccountOptions) {
		o.OpenURL = func(u string) error { opened <- u; return nil }
	})
	pump := uiPump(t, aa)
	test.Tap(aa.u.welcome.signIn)
	pump("the providers", func() bool {
		s, ok := aa.u.acct.screen.(*signInScreen)
		return ok && s.regions.providers["google"] != nil
	})
	test.Tap(onScreen[*signInScreen](aa, appcore.ScreenSignIn).regions.providers["google"])
	w := onScreen[*waitingScreen](aa, appcore.ScreenWaiting)
	if !aa.u.acct.progress.Visible() || aa.u.acct.back.Visible() {
		t.Error("no busy indicator while the browser is open, or Back beside Cancel")
	}
	select {
	case u := <-opened:
		if !strings.HasPrefix(u, env.URL) {
			t.Errorf("the browser was asked to open %q", u)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the browser was not opened")
	}
	test.Tap(w.cancel)
	pump("the sign-in window", func() bool { return aa.u.acct.core.Screen() == appcore.ScreenSignIn })
	if aa.message() != T("accountError.cancelled") {
		t.Errorf("after Cancel: %q", aa.message())
	}
}

// playBrowser is the person at the system browser (cloudtest.Browser).
func playBrowser(t *testing.T, start, email string, allow bool) error {
	return cloudtest.Browser{Email: email, Deny: !allow, Errorf: t.Errorf}.Open(start)
}

// refreshTokenOf signs email in with a throw-away client and returns its refresh
// token, as another Valv app would hold it.
func refreshTokenOf(t *testing.T, env *cloudtest.Env, email, pw string) string {
	t.Helper()
	store := &account.MemoryStore{}
	c, err := account.New(env.URL, account.Options{Store: store, Now: env.Clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.NewFlow("").SignIn(context.Background(), email, pw); err != nil {
		t.Fatal(err)
	}
	s, _ := store.Load(strings.TrimPrefix(env.URL, "http://"))
	if s == nil {
		t.Fatal("no session stored")
	}
	return s.RefreshToken
}

// TestAccountAutoConnect: valv-cli signed in as carol (blocked Family licence): the
// first start offers her account, recommended and marked Included in subscription.
func TestAccountAutoConnect(t *testing.T) {
	keyring.MockInit()
	env := cloudtest.Start(t)
	seedDemo(t, env)
	if err := account.WriteFamilyEntry(&account.FamilyEntry{Server: env.URL, Email: "carol@example.com",
		RefreshToken: refreshTokenOf(t, env, "carol@example.com", "Carol-demo-1")}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = account.DeleteFamilyEntry() })
	aa := newAccountApp(t, env, false)
	c := onScreen[*chooseScreen](aa, appcore.ScreenChoose)
	if len(c.candidates) != 1 || c.candidates[0].Text != T("choose.signInAs", map[string]any{"Email": "carol@example.com"}) {
		t.Fatalf("candidates %v", c.candidates)
	}
	texts := visibleTexts(aa.u.win.Content())
	for _, want := range []string{T("choose.included"), T("choose.recommended"), T("status.blocked")} {
		if !strings.Contains(texts, want) {
			t.Errorf("Choose an account does not show %q", want)
		}
	}
	test.Tap(c.another)
	if s := onScreen[*signInScreen](aa, appcore.ScreenSignIn); s.email.Text != "" {
		t.Errorf("Use another account prefilled %q", s.email.Text)
	}
	test.Tap(aa.u.acct.back)
	if aa.u.welcome == nil || aa.u.acct != nil {
		t.Fatal("Back from the account windows must return to the welcome window")
	}
	// Offered once per run: Back does not bring it up again.
	aa.u.showStage()
	if aa.u.acct != nil {
		t.Error("auto-connect was offered twice")
	}
	// Choosing the account opens Sign in with the e-mail filled in.
	aa.u.autoOffered = false
	aa.u.offerAutoConnect()
	test.Tap(onScreen[*chooseScreen](aa, appcore.ScreenChoose).candidates[0])
	s := onScreen[*signInScreen](aa, appcore.ScreenSignIn)
	if s.email.Text != "carol@example.com" {
		t.Errorf("Sign in as prefilled %q", s.email.Text)
	}
	typeSecret(s.password, "Carol-demo-1")
	test.Tap(s.submit)
	aa.flow(appcore.ScreenConnected)
	// Her licence is blocked: the page says so and what it means, beside the Free plan.
	blocked := T("connected.planInactive", map[string]any{"Plan": T("plan.family"), "Status": T("status.blocked")})
	if texts := visibleTexts(aa.u.win.Content()); !strings.Contains(texts, blocked) {
		t.Errorf("the connected page does not say the licence is blocked:\n%s", texts)
	}
}

// visibleTexts joins the text of every visible canvas.Text under o.
func visibleTexts(o fyne.CanvasObject) string {
	var b strings.Builder
	for _, x := range test.LaidOutObjects(o) {
		if rt, ok := x.(*widget.RichText); ok && rt.Visible() {
			b.WriteString(rt.String())
			b.WriteString("\n")
		}
	}
	return b.String()
}

// TestAccountEnableSyncLater: run without connecting, use the vault, then Sign in to
// enable sync → Enable sync → sign in: the vault stays unlocked and the control shows
// the account. The weekly reminder leads to the same windows.
func TestAccountEnableSyncLater(t *testing.T) {
	env := cloudtest.Start(t)
	seedDemo(t, env)
	aa := newAccountApp(t, env, false)
	test.Tap(aa.u.welcome.offline)
	aa.createVault(strongPassword)
	aa.addItem(vault.TypeNote, map[string]string{"title": "Kept", "notes": "still here"})

	// The reminder, a week later.
	s := aa.ctrl.Settings()
	s.Reminded = aa.clock.Now().Add(-8 * 24 * time.Hour)
	if err := aa.ctrl.UpdateSettings(s); err != nil {
		t.Fatal(err)
	}
	aa.u.showStage()
	if aa.u.main.reminder == nil {
		t.Fatal("no reminder after a week")
	}
	test.Tap(aa.u.main.remindConnect)
	if aa.u.syncDlg == nil || len(aa.u.dialogs) != 1 {
		t.Fatal("the reminder's Enable sync shows no Sign in to enable sync")
	}
	aa.u.closeAllDialogs()
	if aa.ctrl.ReminderDue() {
		t.Error("using the reminder must start the next week")
	}

	test.Tap(aa.u.main.syncButton)
	test.Tap(aa.u.syncDlg.enable)
	aa.signIn("alice@example.com", "Alice-demo-1")
	test.Tap(onScreen[*connectedScreen](aa, appcore.ScreenConnected).submit)
	if aa.u.main == nil || len(aa.titles()) != 1 {
		t.Fatal("after connecting from the main window, the unlocked vault comes back")
	}
	if want := T("main.syncAccount", map[string]any{"Email": "alice@example.com"}); aa.u.main.syncButton.Text != want {
		t.Errorf("the sync control says %q", aa.u.main.syncButton.Text)
	}
	if aa.ctrl.Settings().Offline {
		t.Error("connected, the app still runs without an account")
	}
}

// TestAccountSettingsAndSignOut: Settings → Account shows who and the plan; Sign out
// keeps the vault; a plain-HTTP address to another computer is refused.
func TestAccountSettingsAndSignOut(t *testing.T) {
	env := cloudtest.Start(t)
	seedDemo(t, env)
	aa := newAccountApp(t, env, true)
	aa.createVault(strongPassword)
	test.Tap(aa.u.main.syncButton)
	test.Tap(aa.u.syncDlg.enable)
	aa.signIn("alice@example.com", "Alice-demo-1")
	test.Tap(onScreen[*connectedScreen](aa, appcore.ScreenConnected).submit)

	test.Tap(aa.u.main.syncButton) // now: Valv Account: alice… → Settings
	sd := aa.u.settings
	if sd == nil {
		t.Fatal("the account control does not open Settings")
	}
	a := sd.account
	if a.who.Text != T("accountSettings.signedInAs", map[string]any{"Email": "alice@example.com"}) {
		t.Errorf("who: %q", a.who.Text)
	}
	if a.plan.Text != T("connected.plan", map[string]any{"Plan": T("plan.personal")}) {
		t.Errorf("plan: %q", a.plan.Text)
	}
	if u, env := aa.ctrl.CloudURL(); u != aa.env.URL || env || a.server.Text != u {
		t.Errorf("server %q (from env %v), field %q", u, env, a.server.Text)
	}
	a.server.SetText("http://cloud.example.com")
	test.Tap(sd.save)
	if a.message.Text != T("accountError.insecureURL") || len(aa.u.dialogs) == 0 {
		t.Errorf("plain HTTP elsewhere: %q", a.message.Text)
	}
	a.server.SetText(aa.env.URL)

	test.Tap(a.signOut)
	aa.u.asked.Confirm()
	if aa.ctrl.SignedIn() || aa.u.main == nil || len(aa.titles()) != 0 && aa.ctrl.Locked() {
		t.Fatal("Sign out must end the session and keep the vault open")
	}
	if aa.u.main.syncButton.Text != T("main.syncSignIn") {
		t.Errorf("after sign-out the control says %q", aa.u.main.syncButton.Text)
	}
	aa.u.closeAllDialogs()
	test.Tap(aa.u.main.settings)
	if a := aa.u.settings.account; a.who.Text != T("accountSettings.notSignedIn") || a.signOut.Visible() {
		t.Errorf("signed out: %q", a.who.Text)
	}
}

// TestAccountWarnings: the keyring notice, and another OS user of this computer linked
// to the same account (PRODUCT.md §1.7).
func TestAccountWarnings(t *testing.T) {
	env := cloudtest.Start(t)
	createCloudAccount(t, env, "shared@example.com", "eu")
	tag := account.ClientName("Valv")
	tag = tag[strings.LastIndex(tag, "#"):]
	other, err := account.New(env.URL, account.Options{ClientName: "Valv for Linux on pc (someone-else) " + tag, Now: env.Clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.NewFlow("").SignIn(context.Background(), "shared@example.com", accountPW); err != nil {
		t.Fatal(err)
	}
	aa := newAccountApp(t, env, false, func(o *appcore.AccountOptions) {
		o.KeyringWarning = func() error { return account.ErrKeyringUnavailable }
	})
	test.Tap(aa.u.welcome.signIn)
	aa.signIn("shared@example.com", accountPW)
	c := onScreen[*connectedScreen](aa, appcore.ScreenConnected)
	if !c.notice.Visible() || c.notice.Text != T("accountError.keyring") {
		t.Errorf("keyring notice: %q", c.notice.Text)
	}
	if !strings.Contains(visibleTexts(aa.u.win.Canvas().Overlays().Top()), "someone-else") {
		t.Error("no warning about the other OS user")
	}
}

// TestAccountOffline: an unreachable server is a sentence, and nothing typed is lost.
func TestAccountOffline(t *testing.T) {
	env := cloudtest.Start(t)
	aa := newAccountApp(t, env, false)
	test.Tap(aa.u.welcome.signIn)
	env.HTTP.Close()
	aa.signIn("ayu@example.com", accountPW)
	s := onScreen[*signInScreen](aa, appcore.ScreenSignIn)
	if aa.message() != T("accountError.unreachable") || s.email.Text != "ayu@example.com" || s.password.Len() == 0 {
		t.Errorf("server down: %q, e-mail %q, password kept %v", aa.message(), s.email.Text, s.password.Len() > 0)
	}
	// No server configured: the welcome buttons say where to set one.
	aa2 := newAccountApp(t, env, false, func(o *appcore.AccountOptions) { o.URL = "" })
	test.Tap(aa2.u.welcome.signIn)
	if aa2.u.acct != nil || len(aa2.u.dialogs) != 1 {
		t.Error("without a server, Sign in must say so")
	}
	if !errors.Is(func() error { _, err := aa2.ctrl.AccountClient(); return err }(), appcore.ErrNoServer) {
		t.Error("no server: wrong error")
	}
}

// TestAccountBackOnSubscriptionCancels: Back on Choose subscription is "not now": Sign
// in comes back, signed out, with no licence remembered and nothing linked.
func TestAccountBackOnSubscriptionCancels(t *testing.T) {
	env := cloudtest.Start(t)
	seedDemo(t, env)
	aa := newAccountApp(t, env, false)
	test.Tap(aa.u.welcome.signIn)
	aa.signIn("bob@example.com", "Bob-demo-1")
	s := onScreen[*smsScreen](aa, appcore.ScreenSMS)
	s.code.SetText(env.LastCode(t, "+15550100200"))
	test.Tap(s.submit)
	onScreen[*subscriptionScreen](aa, appcore.ScreenSubscription)
	test.Tap(aa.u.acct.back)
	in := onScreen[*signInScreen](aa, appcore.ScreenSignIn)
	if in.email.Text != "bob@example.com" {
		t.Errorf("Sign in came back with %q", in.email.Text)
	}
	cl, err := aa.ctrl.AccountClient()
	if err != nil {
		t.Fatal(err)
	}
	if cl.SignedIn() {
		t.Error("still signed in after Back on Choose subscription")
	}
	if aa.ctrl.Settings().Licence != "" {
		t.Errorf("a licence was remembered: %q", aa.ctrl.Settings().Licence)
	}
	// Nothing links on the way out: Back once more is the welcome window again.
	test.Tap(aa.u.acct.back)
	if aa.u.welcome == nil {
		t.Error("Back from Sign in did not return to the welcome window")
	}
}
