package appcore

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/valvpm/valv/account"
)

// Screen is one of the account windows of PRODUCT.md §1.
type Screen int

// The account windows.
const (
	ScreenNone         Screen = iota // nothing on show yet, or the flow was stopped
	ScreenChoose                     // Choose an account to sign in (§1.1)
	ScreenSignIn                     // Sign in to Valv Account (§1.2)
	ScreenWaiting                    // quick sign-in: the browser is open (§1.3)
	ScreenCreate                     // Create account (§1.4)
	ScreenCaptcha                    // Enter the code from the picture (§1.2)
	ScreenSMS                        // the SMS code (§1.2)
	ScreenProvision                  // Accept and connect (§1.2)
	ScreenSubscription               // Choose subscription (§1.6)
	ScreenConnected                  // done: Continue
)

var screenNames = [...]string{"none", "choose", "sign-in", "waiting", "create", "captcha", "sms", "provision", "subscription", "connected"}

func (s Screen) String() string {
	if int(s) < len(screenNames) {
		return screenNames[s]
	}
	return "unknown"
}

// AccountView is what the account windows do when the flow moves on. The flow calls it
// on the UI goroutine only.
type AccountView interface {
	// Show builds screen s afresh from the flow (State, Candidates, Email…), its
	// message line hidden.
	Show(s Screen)
	// Busy disables the screen's actions and shows the busy indicator while a call runs.
	Busy(on bool)
	// Say shows n on the screen's message line; the zero Note hides it.
	Say(n Note)
	// WipePassword empties the password field after a wrong password; the e-mail
	// stays, as sign-in forms do.
	WipePassword()
	// Picture shows a new captcha picture on the captcha window and empties the answer.
	Picture(cp *account.Captcha)
	// Countdown shows the SMS code's validity and when another may be sent.
	Countdown(c Countdown)
	// RegionsLoaded fills the region picker and the quick sign-in buttons.
	RegionsLoaded()
	// OtherUsers warns that other OS users of this computer are linked to the same
	// account: they would share each other's passwords (§1.7).
	OtherUsers(names []string)
}

// Note is what the message line of an account window says.
type Note struct {
	Err       error // what went wrong, said in the app's sentence for it
	TriesLeft int   // with account.ErrCodeWrong: how many tries the code has left
	CodeSent  bool  // good news, not a failure: a new SMS code was sent
}

// Countdown is the SMS window's clock: how long the code stays valid and how long until
// Request code again.
type Countdown struct {
	ValidFor  time.Duration // ≤ 0: the code has expired
	ResendIn  time.Duration // > 0: Request code again waits this long
	CanResend bool          // the wait is over and no call runs
}

// AccountFlowConfig is what an AccountFlow needs from the app (Controller.NewAccountFlow
// fills it in).
type AccountFlowConfig struct {
	Accounts *Accounts
	Run      Scheduler // where the network calls run; zero: Inline
	Clock    Clock     // the SMS countdown's; nil: System
	View     AccountView
	// Locale is the OS locale ("sv-SE"), for the region offered first.
	Locale string
	// Connected is told the licence in use ("" on Free) once the account is connected,
	// so the app can remember it and stop offering to run without an account.
	Connected func(licence string) error
}

// AccountFlow is one pass through the account windows: it drives an account.Flow, whose
// State says which step the server wants next, and decides what the window shows —
// which screen, what its message line says, when a typed password goes, the SMS
// countdown. Every network call runs through the Scheduler with the window busy; an error
// becomes the message of the screen that caused it and the fields keep what was typed.
// All methods are for the UI goroutine.
type AccountFlow struct {
	cfg    AccountFlowConfig
	client *account.Client
	flow   *account.Flow
	clock  Clock

	screen     Screen
	gen        int // bumped by every new screen and by Stop: a late answer is dropped
	state      account.State
	email      string // the e-mail the screen opens with
	provider   string // the quick sign-in provider the browser was opened for
	cands      []account.Candidate
	regions    *account.Regions
	region     string
	busy       bool
	cancel     func() // stops the running call (quick sign-in's Cancel)
	refreshing bool   // the captcha's New picture is running
	ticker     Timer
	keyringErr error // the keyring's notice, for the connected window
	savedErr   error // why the connection could not be remembered
}

// NewAccountFlow prepares the account windows; nothing is shown until Start, Choose,
// ToSignIn or ToCreate. It fails when no server is configured.
func NewAccountFlow(cfg AccountFlowConfig) (*AccountFlow, error) {
	cl, err := cfg.Accounts.Client()
	if err != nil {
		return nil, err
	}
	cfg.Run = cfg.Run.orInline()
	f := &AccountFlow{cfg: cfg, client: cl, flow: cl.NewFlow(""), clock: cfg.Clock, region: cfg.Accounts.Region(cfg.Locale)}
	if f.clock == nil {
		f.clock = System
	}
	return f, nil
}

// Start opens Sign in (or Create account when create is set), the e-mail prefilled.
func (f *AccountFlow) Start(create bool, email string) {
	if create {
		f.ToCreate(email)
	} else {
		f.ToSignIn(email)
	}
}

// Choose opens Choose an account to sign in with the accounts other Valv apps of this
// computer are signed in to, the recommended one first.
func (f *AccountFlow) Choose(cands []account.Candidate) {
	f.cands = cands
	f.show(ScreenChoose)
}

// ToSignIn opens Sign in to Valv Account with a new attempt, email prefilled.
func (f *AccountFlow) ToSignIn(email string) {
	f.flow = f.client.NewFlow(email)
	f.email = email
	f.show(ScreenSignIn)
	f.loadRegions()
}

// ToCreate opens Create account with a new attempt, email kept from the sign-in window.
func (f *AccountFlow) ToCreate(email string) {
	f.flow = f.client.NewFlow(email)
	f.email = email
	f.show(ScreenCreate)
	f.loadRegions()
}

// SignIn submits e-mail and password.
func (f *AccountFlow) SignIn(email, password string) {
	f.call(NetworkTimeout, func(ctx context.Context) (account.State, error) {
		return f.flow.SignIn(ctx, strings.TrimSpace(email), password)
	})
}

// CreateAccount submits Create account in the region chosen on its window.
func (f *AccountFlow) CreateAccount(form account.CreateForm) {
	form.Email = strings.TrimSpace(form.Email)
	form.Region = f.region
	f.call(NetworkTimeout, func(ctx context.Context) (account.State, error) {
		return f.flow.CreateAccount(ctx, form)
	})
}

// Quick signs in with provider through the system browser. The window waits, with
// Cancel; when the browser step is done the flow goes on by itself. email is what the
// sign-in window held, for Cancel to go back to.
func (f *AccountFlow) Quick(provider, email string) {
	if f.busy {
		return
	}
	region, flow := f.region, f.flow
	f.email, f.provider = email, provider
	f.show(ScreenWaiting)
	f.call(account.QuickSignInTimeout+time.Minute, func(ctx context.Context) (account.State, error) {
		return flow.QuickSignIn(ctx, provider, region, f.cfg.Accounts.OpenURL)
	})
}

// Cancel stops the wait for the browser; the sign-in window comes back saying so.
func (f *AccountFlow) Cancel() {
	if f.cancel != nil {
		f.cancel()
		return
	}
	f.ToSignIn(f.email)
}

// AnswerCaptcha submits the code read from the picture, and the password again (the
// sign-in window's is not kept on screen).
func (f *AccountFlow) AnswerCaptcha(answer, password string) {
	f.call(NetworkTimeout, func(ctx context.Context) (account.State, error) {
		return f.flow.AnswerCaptcha(ctx, strings.TrimSpace(answer), password)
	})
}

// RefreshCaptcha asks for a new picture: an empty answer is a failed try the server
// answers with a fresh picture, the only way its API offers one.
func (f *AccountFlow) RefreshCaptcha() {
	if f.busy {
		return
	}
	f.refreshing = true
	f.call(NetworkTimeout, func(ctx context.Context) (account.State, error) {
		return f.flow.AnswerCaptcha(ctx, "", "")
	})
}

// ConfirmSMS submits the SMS code.
func (f *AccountFlow) ConfirmSMS(code string) {
	f.call(NetworkTimeout, func(ctx context.Context) (account.State, error) {
		return f.flow.ConfirmSMS(ctx, code)
	})
}

// errCodeSent carries "a new code was sent" from ResendSMS's call to the message line.
var errCodeSent = errors.New("a new code was sent")

// ResendSMS asks for a new SMS code.
func (f *AccountFlow) ResendSMS() {
	f.call(NetworkTimeout, func(ctx context.Context) (account.State, error) {
		st, err := f.flow.ResendSMS(ctx)
		if err == nil {
			err = errCodeSent
		}
		return st, err
	})
}

// AcceptProvision accepts the region's data-provision statement and connects.
func (f *AccountFlow) AcceptProvision() {
	f.call(NetworkTimeout, func(ctx context.Context) (account.State, error) {
		return f.flow.AcceptDataProvision(ctx)
	})
}

// ChooseLicence picks the subscription the app runs on.
func (f *AccountFlow) ChooseLicence(id string) {
	st, err := f.flow.ChooseLicence(id)
	f.render(st, err)
}

// Stop ends the screen's countdown and any running call; answers that arrive later are
// dropped. The window calls it when it shows something else.
func (f *AccountFlow) Stop() {
	f.gen++
	if f.ticker != nil {
		f.ticker.Stop()
		f.ticker = nil
	}
	if f.cancel != nil {
		f.cancel()
		f.cancel = nil
	}
}

// show makes s the screen on show.
func (f *AccountFlow) show(s Screen) {
	f.Stop()
	f.screen = s
	f.busy = false
	f.cfg.View.Show(s)
	if s == ScreenSMS {
		f.startTicker()
	}
}

// call runs one step of the flow in the background and renders what it returns.
func (f *AccountFlow) call(timeout time.Duration, work func(ctx context.Context) (account.State, error)) {
	if f.busy {
		return
	}
	f.setBusy(true)
	var st account.State
	var err error
	gen := f.gen
	cancel := f.cfg.Run.Go(timeout, func(ctx context.Context) {
		st, err = work(ctx)
	}, func() {
		if f.gen != gen {
			return // the window moved on (Back, a lock) while the call ran
		}
		f.cancel = nil
		f.setBusy(false)
		f.render(st, err)
	})
	if f.busy { // still running (the app's Scheduler): Cancel may stop it
		f.cancel = cancel
	}
}

func (f *AccountFlow) setBusy(on bool) {
	f.busy = on
	f.cfg.View.Busy(on)
}

// render shows the screen for st. A screen already on show stays (so what was typed
// stays); err becomes its message unless the screen itself explains it.
func (f *AccountFlow) render(st account.State, err error) {
	f.state = st
	note := Note{Err: err}
	switch st.Step {
	case account.StepCredentials:
		switch f.screen {
		case ScreenSignIn, ScreenCreate:
			if errors.Is(err, account.ErrInvalidCredentials) {
				f.cfg.View.WipePassword()
			}
		default: // the browser step failed or was cancelled: back with what was typed
			email := st.Email
			if email == "" {
				email = f.email
			}
			f.ToSignIn(email)
		}
	case account.StepCaptcha:
		if f.screen == ScreenCaptcha {
			f.cfg.View.Picture(st.Captcha)
		} else {
			f.show(ScreenCaptcha)
		}
		if errors.Is(err, account.ErrCaptchaRequired) || (f.refreshing && errors.Is(err, account.ErrCaptchaWrong)) {
			note = Note{} // the window says it already; a new picture asked for is no mistake
		}
		f.refreshing = false
	case account.StepSMSCode:
		if f.screen != ScreenSMS {
			f.show(ScreenSMS)
		}
		f.tick()
	case account.StepDataProvision:
		f.show(ScreenProvision)
		if errors.Is(err, account.ErrDataProvision) {
			note = Note{} // the window is the explanation
		}
	case account.StepChooseSubscription:
		f.show(ScreenSubscription)
	case account.StepConnected:
		f.connected()
		return
	}
	switch {
	case errors.Is(err, errCodeSent):
		note = Note{CodeSent: true}
	case errors.Is(err, account.ErrCodeWrong):
		note.TriesLeft = st.TriesLeft
	}
	f.cfg.View.Say(note)
}

// connected is the end of the flow: the app remembers the licence, the window says who
// is signed in (and the keyring's notice if the session cannot be kept), and other OS
// users of this computer linked to the same account are looked for in the background.
func (f *AccountFlow) connected() {
	licence := ""
	if f.state.Licence != nil {
		licence = f.state.Licence.ID
	}
	if f.cfg.Connected != nil {
		f.savedErr = f.cfg.Connected(licence)
	}
	f.keyringErr = f.cfg.Accounts.KeyringNotice()
	f.show(ScreenConnected)
	var others []string
	var err error
	f.cfg.Run.Go(NetworkTimeout, func(ctx context.Context) {
		others, err = f.client.OtherOSUsers(ctx)
	}, func() {
		// Said even when the person has pressed Continue meanwhile: sharing passwords
		// with another OS user is worth the interruption.
		if err != nil || len(others) == 0 {
			return // a warning we cannot check is not worth an error of its own
		}
		f.cfg.View.OtherUsers(others)
	})
}

// tickEvery is how often the SMS window's countdown moves.
const tickEvery = time.Second

// startTicker moves the SMS countdown every second until the screen changes.
func (f *AccountFlow) startTicker() {
	gen := f.gen
	f.ticker = f.clock.AfterFunc(tickEvery, func() {
		f.cfg.Run.OnUI(func() {
			if f.gen != gen {
				return // stopped after the timer fired
			}
			f.tick()
			f.startTicker()
		})
	})
}

// tick tells the view the SMS code's validity and the resend wait, from the clock.
func (f *AccountFlow) tick() {
	if f.screen != ScreenSMS || f.state.SMS == nil {
		return
	}
	f.cfg.View.Countdown(f.Countdown())
}

// Countdown is the SMS window's clock now.
func (f *AccountFlow) Countdown() Countdown {
	if f.state.SMS == nil {
		return Countdown{}
	}
	now := f.clock.Now()
	c := Countdown{ValidFor: f.state.SMS.ExpiresAt.Sub(now), ResendIn: max(f.state.SMS.ResendAt.Sub(now), 0)}
	c.CanResend = c.ResendIn == 0 && !f.busy
	return c
}

// loadRegions fetches the regions (providers, statements) once, then tells the view.
func (f *AccountFlow) loadRegions() {
	if f.regions != nil {
		f.cfg.View.RegionsLoaded()
		return
	}
	var rr *account.Regions
	var err error
	gen := f.gen
	f.cfg.Run.Go(NetworkTimeout, func(ctx context.Context) {
		rr, err = f.client.Regions(ctx)
	}, func() {
		if err != nil || f.gen != gen {
			// The providers cannot be shown; signing in with a password may still work
			// once the network is back, and it will say so itself.
			return
		}
		f.regions = rr
		if !slices.ContainsFunc(rr.Regions, func(r account.Region) bool { return r.Code == f.region }) {
			f.region = "other"
		}
		f.cfg.View.RegionsLoaded()
	})
}

// Screen is the screen on show.
func (f *AccountFlow) Screen() Screen { return f.screen }

// State is the server's last word: the step, and what its screen shows.
func (f *AccountFlow) State() account.State { return f.state }

// Email is the e-mail the sign-in and create windows open with.
func (f *AccountFlow) Email() string { return f.email }

// Provider is the quick sign-in provider the waiting window waits for.
func (f *AccountFlow) Provider() string { return f.provider }

// Candidates are the accounts Choose an account to sign in offers.
func (f *AccountFlow) Candidates() []account.Candidate { return f.cands }

// Busy reports whether a call runs.
func (f *AccountFlow) Busy() bool { return f.busy }

// Regions are the server's regions, nil until they arrived.
func (f *AccountFlow) Regions() []account.Region {
	if f.regions == nil {
		return nil
	}
	return f.regions.Regions
}

// Region is the chosen region's code.
func (f *AccountFlow) Region() string { return f.region }

// SetRegion chooses the region whose providers and statement apply.
func (f *AccountFlow) SetRegion(code string) { f.region = code }

// Providers are the quick sign-in providers of the chosen region.
func (f *AccountFlow) Providers() []string {
	for _, r := range f.Regions() {
		if r.Code == f.region {
			return r.Providers
		}
	}
	return nil
}

// URL resolves a path of the server (or keeps an absolute URL).
func (f *AccountFlow) URL(path string) string {
	if strings.Contains(path, "://") {
		return path
	}
	return f.client.URL(path)
}

// StatementURL is where the Web Portal Statement is read: the server's current one,
// else the portal's usual place. Every button that connects shows it (§1).
func (f *AccountFlow) StatementURL() string {
	if f.regions != nil && f.regions.Terms.URL != "" {
		return f.URL(f.regions.Terms.URL)
	}
	return f.URL("/portal/terms")
}

// ProvisionURL is where the region's data-provision statement is read.
func (f *AccountFlow) ProvisionURL() string {
	if st := f.state.Statement; st != nil && st.URL != "" {
		return f.URL(st.URL)
	}
	return f.StatementURL()
}

// Open shows a page in the browser.
func (f *AccountFlow) Open(url string) error { return f.cfg.Accounts.OpenURL(url) }

// ConnectedEmail is the account the flow connected to.
func (f *AccountFlow) ConnectedEmail() string {
	if f.state.Account != nil {
		return f.state.Account.Email
	}
	return f.state.Email
}

// SaveError is why the connected account could not be remembered in the settings, or
// nil; the session itself is kept either way.
func (f *AccountFlow) SaveError() error { return f.savedErr }

// KeyringWarning is why the session lasts for this run only, or nil; the connected
// window says it once per run.
func (f *AccountFlow) KeyringWarning() error { return f.keyringErr }

// SMSDigits keeps what an SMS code is of s: digits only, at most six, pasted with
// spaces or not.
func SMSDigits(s string) string {
	d := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
	if len(d) > 6 {
		d = d[:6]
	}
	return d
}
