package appcore

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"github.com/valvpm/valv/account"
	"github.com/valvpm/valv/cloud/cloudtest"
)

// recView records what the flow asks the account windows to do.
type recView struct {
	shown     []Screen
	busy      bool
	busyCalls int
	note      Note
	said      int
	wiped     int
	pictures  []string // captcha IDs
	count     Countdown
	counts    int
	regions   int
	others    []string
}

func (v *recView) Show(s Screen)               { v.shown = append(v.shown, s); v.note = Note{} }
func (v *recView) Busy(on bool)                { v.busy = on; v.busyCalls++ }
func (v *recView) Say(n Note)                  { v.note = n; v.said++ }
func (v *recView) WipePassword()               { v.wiped++ }
func (v *recView) Picture(cp *account.Captcha) { v.pictures = append(v.pictures, cp.ID) }
func (v *recView) Countdown(c Countdown)       { v.count = c; v.counts++ }
func (v *recView) RegionsLoaded()              { v.regions++ }
func (v *recView) OtherUsers(names []string)   { v.others = names }

// on returns the screen on show.
func (v *recView) on() Screen {
	if len(v.shown) == 0 {
		return ScreenNone
	}
	return v.shown[len(v.shown)-1]
}

// flowTest is an AccountFlow of a real server, drawn by a recView.
type flowTest struct {
	t       *testing.T
	env     *cloudtest.Env
	clock   *serverClock
	acc     *Accounts
	view    *recView
	f       *AccountFlow
	licence *string // what Connected was told; nil: not called
}

func newFlowTest(t *testing.T, env *cloudtest.Env, run Scheduler, tweak ...func(*AccountOptions)) *flowTest {
	t.Helper()
	ft := &flowTest{t: t, env: env, clock: newServerClock(env), view: &recView{}}
	ft.acc = testAccounts(t, env, tweak...)
	f, err := NewAccountFlow(AccountFlowConfig{Accounts: ft.acc, Run: run, Clock: ft.clock, View: ft.view, Locale: "sv-SE",
		Connected: func(l string) error { ft.licence = &l; return nil }})
	if err != nil {
		t.Fatal(err)
	}
	ft.f = f
	return ft
}

// want fails unless screen s is on show.
func (ft *flowTest) want(s Screen) {
	ft.t.Helper()
	if ft.f.Screen() != s || ft.view.on() != s {
		ft.t.Fatalf("flow on %s, view on %s, want %s (note %+v)", ft.f.Screen(), ft.view.on(), s, ft.view.note)
	}
}

// TestAccountFlowSignInCaptcha: three wrong passwords wipe the password field each
// time; then the picture, a new picture on request (no message), a wrong answer, the
// right one; connected, and the app told the (Free) licence.
func TestAccountFlowSignInCaptcha(t *testing.T) {
	env := cloudtest.Start(t)
	createCloudAccount(t, env, "ayu@example.com", "eu")
	ft := newFlowTest(t, env, Inline)
	f, v := ft.f, ft.view
	f.Start(false, "")
	ft.want(ScreenSignIn)
	if v.regions != 1 || len(f.Providers()) != 3 || !slices.Contains(f.Providers(), "google") {
		t.Errorf("regions loaded %d times, providers in eu %v", v.regions, f.Providers())
	}
	if !strings.HasPrefix(f.StatementURL(), env.URL) {
		t.Errorf("statement at %q", f.StatementURL())
	}
	for i := range 3 {
		f.SignIn("ayu@example.com", "Wrong-pass1")
		ft.want(ScreenSignIn)
		if !errors.Is(v.note.Err, account.ErrInvalidCredentials) || v.wiped != i+1 || v.busy {
			t.Fatalf("wrong password %d: note %+v, wiped %d, busy %v", i, v.note, v.wiped, v.busy)
		}
	}
	f.SignIn(" ayu@example.com ", accountPW)
	ft.want(ScreenCaptcha)
	if v.note.Err != nil {
		t.Errorf("the captcha window says %v at first", v.note.Err)
	}
	first := f.State().Captcha.ID
	f.RefreshCaptcha()
	ft.want(ScreenCaptcha)
	if len(v.pictures) != 1 || v.pictures[0] == first || v.note.Err != nil {
		t.Errorf("New picture: pictures %v (first %s), note %+v", v.pictures, first, v.note)
	}
	f.AnswerCaptcha("99999", accountPW)
	if !errors.Is(v.note.Err, account.ErrCaptchaWrong) || len(v.pictures) != 2 {
		t.Errorf("wrong answer: note %+v, pictures %v", v.note, v.pictures)
	}
	f.AnswerCaptcha("12345", accountPW)
	ft.want(ScreenConnected)
	if ft.licence == nil || *ft.licence != "" || f.ConnectedEmail() != "ayu@example.com" {
		t.Errorf("connected as %q, licence told %v", f.ConnectedEmail(), ft.licence)
	}
	if !ft.acc.SignedInClient().SignedIn() || ft.acc.Email() != "ayu@example.com" {
		t.Error("the app's client is not signed in")
	}
	if p := PlanOf(f.State().Licence, f.State().Entitlements); p.ID != "free" {
		t.Errorf("plan %+v", p)
	}
}

// TestAccountFlowSMSCountdown: bob has two-step SMS. The countdown moves with the clock
// (no sleeping): resend waits 30 s, the code is valid 5 min; a wrong code says how many
// tries are left; a resent code is good news; then Choose subscription.
func TestAccountFlowSMSCountdown(t *testing.T) {
	env := cloudtest.Start(t)
	seedDemo(t, env)
	ft := newFlowTest(t, env, Inline)
	f, v := ft.f, ft.view
	f.Start(false, "bob@example.com")
	if f.Email() != "bob@example.com" {
		t.Errorf("sign-in opens with %q", f.Email())
	}
	f.SignIn("bob@example.com", "Bob-demo-1")
	ft.want(ScreenSMS)
	if c := v.count; c.ResendIn != 30*time.Second || c.ValidFor != 5*time.Minute || c.CanResend {
		t.Errorf("at once: %+v", c)
	}
	code := env.LastCode(t, "+15550100200")
	f.ConfirmSMS(otherCode(code))
	ft.want(ScreenSMS)
	if !errors.Is(v.note.Err, account.ErrCodeWrong) || v.note.TriesLeft != 4 {
		t.Errorf("wrong code: %+v", v.note)
	}
	before := v.counts
	ft.clock.Advance(20 * time.Second)
	if v.counts-before != 20 {
		t.Errorf("the countdown moved %d times in 20 s, want 20", v.counts-before)
	}
	if c := v.count; c.ResendIn != 10*time.Second || c.ValidFor != 4*time.Minute+40*time.Second || c.CanResend {
		t.Errorf("after 20 s: %+v", c)
	}
	ft.clock.Advance(11 * time.Second)
	if c := v.count; !c.CanResend || c.ResendIn != 0 {
		t.Fatalf("after 31 s: %+v", c)
	}
	f.ResendSMS()
	if !v.note.CodeSent || v.note.Err != nil || v.count.CanResend {
		t.Errorf("after resend: note %+v, countdown %+v", v.note, v.count)
	}
	f.ConfirmSMS(env.LastCode(t, "+15550100200"))
	ft.want(ScreenSubscription)
	if n := len(f.State().Licences); n != 2 {
		t.Fatalf("%d licences to choose from", n)
	}
	lic := f.State().Licences[1]
	f.ChooseLicence(lic.ID)
	ft.want(ScreenConnected)
	if ft.licence == nil || *ft.licence != lic.ID {
		t.Errorf("the chosen licence %q was not told (%v)", lic.ID, ft.licence)
	}
	// The countdown stopped with the SMS window.
	n := v.counts
	ft.clock.Advance(5 * time.Second)
	if v.counts != n || ft.clock.Pending() != 0 {
		t.Errorf("the countdown runs on after the SMS window: %d ticks, %d timers", v.counts-n, ft.clock.Pending())
	}
}

// TestAccountFlowCreate: a broken rule, different passwords, then the account is created
// with the consent as given and the region chosen; the same e-mail again is refused.
func TestAccountFlowCreate(t *testing.T) {
	env := cloudtest.Start(t)
	ft := newFlowTest(t, env, Inline)
	f, v := ft.f, ft.view
	f.Start(true, "")
	ft.want(ScreenCreate)
	form := account.CreateForm{Email: "new@example.com", Password: "Short1a", Confirm: "Short1a"}
	f.CreateAccount(form)
	ft.want(ScreenCreate)
	if !errors.Is(v.note.Err, account.ErrPasswordRules) {
		t.Errorf("short password: %+v", v.note)
	}
	form.Password, form.Confirm = accountPW, accountPW+"x"
	f.CreateAccount(form)
	if !errors.Is(v.note.Err, account.ErrPasswordsDiffer) {
		t.Errorf("different passwords: %+v", v.note)
	}
	form.Confirm, form.MarketingConsent = accountPW, true
	f.CreateAccount(form)
	ft.want(ScreenConnected)
	if a := f.State().Account; a == nil || !a.MarketingConsent || a.Region != "eu" {
		t.Errorf("created %+v", a)
	}

	ft2 := newFlowTest(t, env, Inline)
	ft2.f.Start(true, "")
	ft2.f.CreateAccount(form)
	ft2.want(ScreenCreate)
	if !errors.Is(ft2.view.note.Err, account.ErrEmailTaken) {
		t.Errorf("taken e-mail: %+v", ft2.view.note)
	}
}

// TestAccountFlowDataProvision: a region that needs the statement shows Accept and
// connect, without an error, and its own statement's address.
func TestAccountFlowDataProvision(t *testing.T) {
	env := cloudtest.Start(t)
	ft := newFlowTest(t, env, Inline)
	f, v := ft.f, ft.view
	f.ToCreate("")
	f.SetRegion("ru")
	if f.Region() != "ru" || len(f.Providers()) != 2 {
		t.Fatalf("region %q, providers %v", f.Region(), f.Providers())
	}
	f.CreateAccount(account.CreateForm{Email: "ivan@example.com", Password: accountPW, Confirm: accountPW})
	ft.want(ScreenProvision)
	if v.note.Err != nil || !strings.Contains(f.ProvisionURL(), "/portal/terms") || !strings.HasPrefix(f.ProvisionURL(), env.URL) {
		t.Errorf("note %+v, statement at %q", v.note, f.ProvisionURL())
	}
	f.AcceptProvision()
	ft.want(ScreenConnected)
	if !f.State().Account.DataProvisionAccepted {
		t.Error("the statement was not accepted")
	}
}

// TestAccountFlowQuick plays the system browser: allowed, the flow goes on by itself;
// denied, Sign in comes back with the reason.
func TestAccountFlowQuick(t *testing.T) {
	env := cloudtest.Start(t)
	createCloudAccount(t, env, "quick@example.com", "eu")
	allow := true
	ft := newFlowTest(t, env, Inline, func(o *AccountOptions) {
		o.OpenURL = func(start string) error {
			return cloudtest.Browser{Email: "quick@example.com", Deny: !allow, Errorf: t.Errorf}.Open(start)
		}
	})
	f, v := ft.f, ft.view
	f.ToSignIn("")
	f.Quick("google", "typed@example.com")
	ft.want(ScreenConnected)
	if !slices.Contains(v.shown, ScreenWaiting) || f.ConnectedEmail() != "quick@example.com" {
		t.Errorf("shown %v, connected as %q", v.shown, f.ConnectedEmail())
	}

	allow = false
	f.ToSignIn("")
	f.Quick("apple", "typed@example.com")
	ft.want(ScreenSignIn)
	if !errors.Is(v.note.Err, account.ErrProviderFailed) {
		t.Errorf("denied: %+v", v.note)
	}
}

// TestAccountFlowQuickCancel: Cancel while the browser is open stops the wait, and the
// sign-in window comes back with what was typed and says so.
func TestAccountFlowQuickCancel(t *testing.T) {
	env := cloudtest.Start(t)
	opened := make(chan string, 1)
	q := newQueued(t)
	ft := newFlowTest(t, env, q.scheduler(), func(o *AccountOptions) {
		o.OpenURL = func(u string) error { opened <- u; return nil }
	})
	f, v := ft.f, ft.view
	f.ToSignIn("")
	q.pump("the regions", func() bool { return v.regions == 1 })
	f.Quick("google", "typed@example.com")
	ft.want(ScreenWaiting)
	if !v.busy || !f.Busy() {
		t.Error("not busy while the browser is open")
	}
	f.Quick("google", "typed@example.com") // a second tap while waiting does nothing
	if n := len(v.shown); v.shown[n-1] != ScreenWaiting || v.shown[n-2] != ScreenSignIn {
		t.Errorf("a second tap: %v", v.shown)
	}
	select {
	case u := <-opened:
		if !strings.HasPrefix(u, env.URL) {
			t.Errorf("the browser was asked to open %q", u)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the browser was not opened")
	}
	f.Cancel()
	q.pump("the sign-in window", func() bool { return f.Screen() == ScreenSignIn })
	if !errors.Is(v.note.Err, account.ErrCancelled) || f.Email() != "typed@example.com" {
		t.Errorf("after Cancel: %+v, e-mail %q", v.note, f.Email())
	}
}

// TestAccountFlowLateAnswer: an answer arriving after the window moved on (Back, a lock)
// changes nothing on screen.
func TestAccountFlowLateAnswer(t *testing.T) {
	env := cloudtest.Start(t)
	createCloudAccount(t, env, "late@example.com", "eu")
	q := newQueued(t)
	ft := newFlowTest(t, env, q.scheduler())
	f, v := ft.f, ft.view
	f.ToSignIn("")
	q.pump("the regions", func() bool { return v.regions == 1 })
	f.SignIn("late@example.com", accountPW)
	f.Stop()
	var done bool
	q.scheduler().Go(time.Minute, func(context.Context) {}, func() { done = true })
	q.pump("the sign-in's answer", func() bool { return done && len(q.queue) == 0 })
	if f.Screen() != ScreenSignIn || len(v.shown) != 1 || v.said != 0 || ft.licence != nil {
		t.Errorf("a late answer moved the window: %v, %d notes, licence %v", v.shown, v.said, ft.licence)
	}
}

// TestAccountFlowWarnings: the keyring notice is given once per run, and another OS
// user of this computer linked to the same account is named (PRODUCT.md §1.7).
func TestAccountFlowWarnings(t *testing.T) {
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
	ft := newFlowTest(t, env, Inline, func(o *AccountOptions) {
		o.KeyringWarning = func() error { return account.ErrKeyringUnavailable }
	})
	ft.f.ToSignIn("")
	ft.f.SignIn("shared@example.com", accountPW)
	ft.want(ScreenConnected)
	if !errors.Is(ft.f.KeyringWarning(), account.ErrKeyringUnavailable) {
		t.Errorf("keyring notice: %v", ft.f.KeyringWarning())
	}
	if len(ft.view.others) != 1 || !strings.Contains(ft.view.others[0], "someone-else") {
		t.Errorf("other OS users: %q", ft.view.others)
	}
	if err := ft.acc.KeyringNotice(); err != nil {
		t.Errorf("the keyring notice came twice in one run: %v", err)
	}
}

// TestAccountsAutoConnect: valv-cli signed in as carol: the app finds her account once
// it is not signed in itself, and offers nothing when signed in.
func TestAccountsAutoConnect(t *testing.T) {
	keyring.MockInit()
	env := cloudtest.Start(t)
	seedDemo(t, env)
	store := &account.MemoryStore{}
	cli, err := account.New(env.URL, account.Options{Store: store, Now: env.Clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cli.NewFlow("").SignIn(context.Background(), "carol@example.com", "Carol-demo-1"); err != nil {
		t.Fatal(err)
	}
	s, _ := store.Load(strings.TrimPrefix(env.URL, "http://"))
	if err := account.WriteFamilyEntry(&account.FamilyEntry{Server: env.URL, Email: "carol@example.com", RefreshToken: s.RefreshToken}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = account.DeleteFamilyEntry() })
	acc := testAccounts(t, env)
	var found []account.Candidate
	acc.LookForSignedInApps(Inline, func(c []account.Candidate) { found = c })
	if len(found) != 1 || found[0].Email != "carol@example.com" || !found[0].Included || found[0].Status != account.StatusBlocked {
		t.Fatalf("candidates %+v", found)
	}
	ft := newFlowTest(t, env, Inline)
	ft.f.Choose(found)
	ft.want(ScreenChoose)
	ft.f.ToSignIn(found[0].Email)
	ft.f.SignIn(found[0].Email, "Carol-demo-1")
	ft.want(ScreenConnected)
	found = nil
	ft.acc.LookForSignedInApps(Inline, func(c []account.Candidate) { found = c })
	if found != nil {
		t.Errorf("a signed-in app was offered %v", found)
	}
}

// TestNoServer: without a server address there is no flow, and the reason is
// ErrNoServer; a plain-HTTP address to another computer is refused.
func TestNoServer(t *testing.T) {
	var none *Accounts
	if _, err := NewAccountFlow(AccountFlowConfig{Accounts: none}); !errors.Is(err, ErrNoServer) {
		t.Errorf("nil Accounts: %v", err)
	}
	if _, err := NewAccountFlow(AccountFlowConfig{Accounts: NewAccounts(AccountOptions{})}); !errors.Is(err, ErrNoServer) {
		t.Errorf("no URL: %v", err)
	}
	env := cloudtest.Start(t)
	acc := testAccounts(t, env)
	if _, err := acc.SetURL("http://cloud.example.com"); !errors.Is(err, account.ErrInsecureURL) {
		t.Errorf("plain HTTP elsewhere: %v", err)
	}
	if u, _ := acc.URL(); u != env.URL {
		t.Errorf("a refused address replaced the server: %q", u)
	}
	if err := none.OpenURL("https://example.com"); !errors.Is(err, ErrNoBrowser) {
		t.Errorf("no browser: %v", err)
	}
}

func TestSMSDigits(t *testing.T) {
	for in, want := range map[string]string{"12 3": "123", "123 456 7": "123456", "abc": "", "०१२": ""} {
		if got := SMSDigits(in); got != want {
			t.Errorf("SMSDigits(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRegionForLocale(t *testing.T) {
	for loc, want := range map[string]string{"sv-SE": "eu", "en-US": "us", "ru-RU": "ru", "id-ID": "other", "vi": "other", "en_GB.UTF-8": "eu", "": "other"} {
		if got := RegionForLocale(loc); got != want {
			t.Errorf("RegionForLocale(%q) = %q, want %q", loc, got, want)
		}
	}
	if got := NewAccounts(AccountOptions{Region: "us"}).Region("sv-SE"); got != "us" {
		t.Errorf("the configured region loses to the locale: %q", got)
	}
}

func TestPlans(t *testing.T) {
	subs := &account.Subscriptions{
		Licences: []account.Licence{
			{ID: "a", Plan: "family", Status: account.StatusExpired},
			{ID: "b", Plan: "vpn", PlanName: "VPN", Status: account.StatusActive},
		},
		Effective: account.Entitlements{Plan: "personal"},
	}
	for _, tc := range []struct {
		chosen string
		want   Plan
	}{
		{"b", Plan{ID: "vpn", ServerName: "VPN"}},
		{"a", Plan{ID: "personal", ServerName: "personal"}}, // expired: what applies
		{"", Plan{ID: "personal", ServerName: "personal"}},
	} {
		if got := CurrentPlan(subs, tc.chosen); got != tc.want {
			t.Errorf("chosen %q: %+v, want %+v", tc.chosen, got, tc.want)
		}
	}
	if got := CurrentPlan(&account.Subscriptions{}, ""); got.ID != "free" {
		t.Errorf("nothing applies: %+v", got)
	}
}
