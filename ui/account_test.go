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

// accountApp is a test app connected to a real valv-cloud on loopback.
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
		Now:     env.Clock.Now,
		Region:  "eu",
	}
	for _, f := range tweak {
		f(&o)
	}
	aa.testApp = startTestApp(t, a, dir, s, func(opts *appcore.Options) {
		opts.Accounts = &o
		if setup != nil {
			setup(opts)
		}
	})
	return aa
}

// flow returns the account windows on show, or fails the test.
func (aa *accountApp) flow(screen string) *accountFlow {
	aa.t.Helper()
	f := aa.u.acct
	if f == nil {
		aa.t.Fatalf("no account window is shown, want %s", screen)
	}
	if f.screen != screen {
		aa.t.Fatalf("the %s window is shown, want %s (message %q)", f.screen, screen, f.message.Text)
	}
	return f
}

// signIn fills Sign in to Valv Account and taps Sign in.
func (aa *accountApp) signIn(email, pw string) *accountFlow {
	aa.t.Helper()
	f := aa.flow(screenSignIn)
	f.email.SetText(email)
	typeSecret(f.password, pw)
	test.Tap(f.submit)
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
	f := aa.flow(screenSignIn)
	if !strings.Contains(f.statement.Text, T("account.statementLink")) || f.statement.URL == nil || !strings.HasPrefix(f.statement.URL.String(), env.URL) {
		t.Errorf("the statement link %q → %v", f.statement.Text, f.statement.URL)
	}
	if len(f.providers) != 3 || f.providers["google"] == nil {
		t.Errorf("quick sign-in in eu offers %d providers", len(f.providers))
	}
	// Empty fields are refused before any call.
	test.Tap(f.submit)
	if f.message.Text != T("signIn.needBoth") {
		t.Errorf("empty form: %q", f.message.Text)
	}
	for range 3 {
		f = aa.signIn("ayu@example.com", "Wrong-pass1")
		if f.screen != screenSignIn || f.message.Text != T("accountError.invalidCredentials") {
			t.Fatalf("wrong password: %s, %q", f.screen, f.message.Text)
		}
		if f.email.Text != "ayu@example.com" || f.password.Len() != 0 {
			t.Errorf("after a wrong password the e-mail must stay and the password go: %q, %d", f.email.Text, f.password.Len())
		}
	}
	aa.signIn("ayu@example.com", accountPW)
	f = aa.flow(screenCaptcha)
	if f.message.Visible() {
		t.Errorf("the captcha window shows an error at first: %q", f.message.Text)
	}
	if f.captcha.Resource == nil || len(f.captcha.Resource.Content()) == 0 {
		t.Fatal("no picture")
	}
	first := f.captcha.Resource.Name()
	test.Tap(f.refresh)
	f = aa.flow(screenCaptcha)
	if f.captcha.Resource.Name() == first || f.message.Visible() {
		t.Errorf("New picture: same picture %v, message %q", f.captcha.Resource.Name() == first, f.message.Text)
	}
	test.Tap(f.submit)
	if f.message.Text != T("captcha.needAnswer") {
		t.Errorf("empty answer: %q", f.message.Text)
	}
	test.Type(f.answer, "99999")
	test.Tap(f.submit)
	f = aa.flow(screenCaptcha)
	if f.message.Text != T("accountError.captchaWrong") || f.answer.Text != "" {
		t.Errorf("wrong answer: %q, answer field %q", f.message.Text, f.answer.Text)
	}
	test.Type(f.answer, "12345")
	test.Tap(f.submit)
	f = aa.flow(screenConnected)
	if !aa.ctrl.SignedIn() || aa.ctrl.AccountEmail() != "ayu@example.com" {
		t.Fatal("not signed in after the right answer")
	}
	test.Tap(f.submit)
	if aa.u.create == nil {
		t.Fatal("after connecting, a new user creates the master password")
	}
	// The choice is remembered: the next start goes straight to the master password.
	aa.u.showStage()
	if aa.u.welcome != nil {
		t.Error("the welcome window came back after connecting")
	}
}

// TestAccountSMSAndChooseSubscription: bob has two-step SMS and two licences.
func TestAccountSMSAndChooseSubscription(t *testing.T) {
	env := cloudtest.Start(t)
	seedDemo(t, env)
	aa := newAccountApp(t, env, false)
	test.Tap(aa.u.welcome.signIn)
	aa.signIn("bob@example.com", "Bob-demo-1")
	f := aa.flow(screenSMS)
	if !f.resend.Disabled() || !strings.Contains(f.resend.Text, "0:30") {
		t.Errorf("resend at once: disabled %v, %q", f.resend.Disabled(), f.resend.Text)
	}
	if !strings.Contains(f.validity.Text, "5:00") {
		t.Errorf("validity %q", f.validity.Text)
	}
	code := env.LastCode(t, "+15550100200")
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	test.Type(f.code, "12 3")
	if f.code.Text != "123" {
		t.Errorf("the code field keeps only digits: %q", f.code.Text)
	}
	test.Tap(f.submit)
	if f.message.Text != T("sms.needSix") {
		t.Errorf("short code: %q", f.message.Text)
	}
	f.code.SetText(wrong)
	test.Tap(f.submit)
	f = aa.flow(screenSMS)
	if f.message.Text != T("accountError.codeWrongTries", map[string]any{"Count": 4}) || f.code.Text != wrong {
		t.Errorf("wrong code: %q, field %q", f.message.Text, f.code.Text)
	}
	env.Clock.Advance(20 * time.Second)
	f.tick()
	if !f.resend.Disabled() || !strings.Contains(f.resend.Text, "0:10") || !strings.Contains(f.validity.Text, "4:40") {
		t.Errorf("after 20 s: %q (disabled %v), %q", f.resend.Text, f.resend.Disabled(), f.validity.Text)
	}
	env.Clock.Advance(11 * time.Second)
	f.tick()
	if f.resend.Disabled() || f.resend.Text != T("sms.resend") {
		t.Fatalf("after 31 s: %q (disabled %v)", f.resend.Text, f.resend.Disabled())
	}
	test.Tap(f.help)
	if len(aa.u.dialogs) != 1 {
		t.Error("Didn't get the code? shows no help")
	}
	aa.u.closeAllDialogs()
	test.Tap(f.resend)
	f = aa.flow(screenSMS)
	if f.message.Text != T("sms.sent") || !f.resend.Disabled() {
		t.Errorf("after resend: %q, resend disabled %v", f.message.Text, f.resend.Disabled())
	}
	f.code.SetText(env.LastCode(t, "+15550100200"))
	test.Tap(f.submit)
	f = aa.flow(screenSubscription)
	if len(f.selects) != 2 {
		t.Fatalf("%d licences to choose from", len(f.selects))
	}
	lic := f.state.Licences[1]
	test.Tap(f.selects[1])
	aa.flow(screenConnected)
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
	f := aa.flow(screenCreate)
	if f.consent.Checked {
		t.Error("the marketing consent must be off by default")
	}
	f.email.SetText("new@example.com")
	for _, tc := range []struct{ pw, broken string }{
		{"Short1a", "min-length"},
		{"nodigitsHere", "digit"},
		{"nouppercase1", "uppercase"},
		{"NOLOWERCASE1", "lowercase"},
		{"Has space 1a", "no-spaces"},
	} {
		typeSecret(f.password, tc.pw)
		typeSecret(f.confirm, tc.pw)
		for key, ok := range f.ruleOK {
			if ok == (key == tc.broken) {
				t.Errorf("%q: rule %s shown as satisfied=%v", tc.pw, key, ok)
			}
		}
		test.Tap(f.submit)
		f = aa.flow(screenCreate)
		if f.message.Text != T("accountError.passwordRules") || f.email.Text != "new@example.com" {
			t.Errorf("%q: %q (e-mail %q)", tc.pw, f.message.Text, f.email.Text)
		}
	}
	typeSecret(f.password, accountPW)
	typeSecret(f.confirm, accountPW+"x")
	test.Tap(f.submit)
	if f.message.Text != T("accountError.passwordsDiffer") {
		t.Errorf("different passwords: %q", f.message.Text)
	}
	typeSecret(f.confirm, accountPW)
	f.consent.SetChecked(true)
	test.Tap(f.submit)
	f = aa.flow(screenConnected)
	if f.state.Account == nil || !f.state.Account.MarketingConsent || f.state.Account.Region != "eu" {
		t.Errorf("created account %+v", f.state.Account)
	}
	test.Tap(f.submit)
	if aa.u.create == nil {
		t.Fatal("Create account must lead on to the master password")
	}
	aa.createVault(strongPassword)

	// The same e-mail again: a sentence, and what was typed stays.
	aa2 := newAccountApp(t, env, false)
	test.Tap(aa2.u.welcome.create)
	f = aa2.flow(screenCreate)
	f.email.SetText("new@example.com")
	typeSecret(f.password, accountPW)
	typeSecret(f.confirm, accountPW)
	test.Tap(f.submit)
	if f.message.Text != T("accountError.emailTaken") || f.email.Text != "new@example.com" {
		t.Errorf("taken e-mail: %q", f.message.Text)
	}
}

// TestAccountDataProvision: a region that needs the statement shows Accept and connect.
func TestAccountDataProvision(t *testing.T) {
	env := cloudtest.Start(t)
	aa := newAccountApp(t, env, false)
	test.Tap(aa.u.welcome.create)
	f := aa.flow(screenCreate)
	for i, r := range f.regions.Regions {
		if r.Code == "ru" {
			f.regionSel.SetSelectedIndex(i)
		}
	}
	if f.region != "ru" || f.regionSel.Selected != T("region.ru") {
		t.Fatalf("region %q, shown %q", f.region, f.regionSel.Selected)
	}
	f.email.SetText("ivan@example.com")
	typeSecret(f.password, accountPW)
	typeSecret(f.confirm, accountPW)
	test.Tap(f.submit)
	f = aa.flow(screenProvision)
	if f.message.Visible() || f.statement.URL == nil || !strings.Contains(f.statement.URL.String(), "/portal/terms") {
		t.Errorf("statement link %v, message %q", f.statement.URL, f.message.Text)
	}
	test.Tap(f.submit)
	f = aa.flow(screenConnected)
	if !f.state.Account.DataProvisionAccepted {
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
	f := aa.flow(screenSignIn)
	test.Tap(f.providers["google"])
	f = aa.flow(screenConnected)
	if f.state.Account.Email != "quick@example.com" {
		t.Errorf("signed in as %q", f.state.Account.Email)
	}

	// Denied at the provider: back on Sign in with a sentence.
	aa2 := newAccountApp(t, env, false, func(o *appcore.AccountOptions) {
		o.OpenURL = func(start string) error { return playBrowser(t, start, "quick@example.com", false) }
	})
	test.Tap(aa2.u.welcome.signIn)
	test.Tap(aa2.flow(screenSignIn).providers["apple"])
	if f := aa2.flow(screenSignIn); f.message.Text != T("accountError.providerFailed") {
		t.Errorf("denied: %q", f.message.Text)
	}
	// The region decides the providers: Russia offers Yandex and VK.
	f = aa2.flow(screenSignIn)
	for i, r := range f.regions.Regions {
		if r.Code == "ru" {
			f.regionSel.SetSelectedIndex(i)
		}
	}
	if len(f.providers) != 2 || f.providers["yandex"] == nil || f.providers["vk"] == nil {
		t.Errorf("providers in ru: %v", f.providers)
	}
}

// TestAccountQuickSignInCancel: Cancel while the browser is open stops the wait.
func TestAccountQuickSignInCancel(t *testing.T) {
	env := cloudtest.Start(t)
	opened := make(chan string, 1)
	aa := newAccountApp(t, env, false, func(o *appcore.AccountOptions) {
		o.OpenURL = func(u string) error { opened <- u; return nil }
	})
	// The real app runs the wait in the background; so does this test, to press Cancel.
	// UI callbacks queue up and the test runs them, as the app's event loop would.
	queue := make(chan func(), 100)
	aa.sched.set(appcore.Scheduler{Background: func(f func()) { go f() }, OnUI: func(f func()) { queue <- f }})
	pump := func(until func() bool) {
		t.Helper()
		deadline := time.After(10 * time.Second)
		for !until() {
			select {
			case f := <-queue:
				f()
			case <-deadline:
				t.Fatal("waited 10 s for the UI")
			}
		}
	}
	test.Tap(aa.u.welcome.signIn)
	pump(func() bool { return aa.u.acct != nil && aa.u.acct.providers["google"] != nil })
	test.Tap(aa.flow(screenSignIn).providers["google"])
	f := aa.flow(screenWaiting)
	if !f.progress.Visible() {
		t.Error("no busy indicator while the browser is open")
	}
	select {
	case u := <-opened:
		if !strings.HasPrefix(u, env.URL) {
			t.Errorf("the browser was asked to open %q", u)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the browser was not opened")
	}
	test.Tap(f.submit) // Cancel
	pump(func() bool { return aa.u.acct.screen == screenSignIn })
	if f := aa.flow(screenSignIn); f.message.Text != T("accountError.cancelled") {
		t.Errorf("after Cancel: %q", f.message.Text)
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
	f := aa.flow(screenChoose)
	if len(f.candidates) != 1 || f.candidates[0].Text != T("choose.signInAs", map[string]any{"Email": "carol@example.com"}) {
		t.Fatalf("candidates %v", f.candidates)
	}
	texts := visibleTexts(aa.u.win.Content())
	for _, want := range []string{T("choose.included"), T("choose.recommended"), T("status.blocked")} {
		if !strings.Contains(texts, want) {
			t.Errorf("Choose an account does not show %q", want)
		}
	}
	test.Tap(f.another)
	if f := aa.flow(screenSignIn); f.email.Text != "" {
		t.Errorf("Use another account prefilled %q", f.email.Text)
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
	test.Tap(aa.flow(screenChoose).candidates[0])
	f = aa.flow(screenSignIn)
	if f.email.Text != "carol@example.com" {
		t.Errorf("Sign in as prefilled %q", f.email.Text)
	}
	typeSecret(f.password, "Carol-demo-1")
	test.Tap(f.submit)
	aa.flow(screenConnected)
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
	f := aa.flow(screenConnected)
	test.Tap(f.submit)
	if aa.u.main == nil || len(aa.titles()) != 1 {
		t.Fatal("after connecting from the main window, the unlocked vault comes back")
	}
	if want := T("main.syncAccount", map[string]any{"Email": "alice@example.com"}); aa.u.main.syncButton.Text != want {
		t.Errorf("the sync control says %q", aa.u.main.syncButton.Text)
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
	test.Tap(aa.flow(screenConnected).submit)

	test.Tap(aa.u.main.syncButton) // now: Valv Account: alice… → Settings
	sd := aa.u.settings
	if sd == nil {
		t.Fatal("the account control does not open appcore.Settings")
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
	f := aa.signIn("shared@example.com", accountPW)
	aa.flow(screenConnected)
	if !f.notice.Visible() || f.notice.Text != T("accountError.keyring") {
		t.Errorf("keyring notice: %q", f.notice.Text)
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
	f := aa.signIn("ayu@example.com", accountPW)
	if f.message.Text != T("accountError.unreachable") || f.email.Text != "ayu@example.com" || f.password.Len() == 0 {
		t.Errorf("server down: %q, e-mail %q, password kept %v", f.message.Text, f.email.Text, f.password.Len() > 0)
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

func TestRegionForLocale(t *testing.T) {
	for loc, want := range map[string]string{"sv-SE": "eu", "en-US": "us", "ru-RU": "ru", "id-ID": "other", "vi": "other", "en_GB.UTF-8": "eu", "": "other"} {
		if got := appcore.RegionForLocale(loc); got != want {
			t.Errorf("appcore.RegionForLocale(%q) = %q, want %q", loc, got, want)
		}
	}
}
