package account

import (
	"context"
	"errors"
	"sync"

	"github.com/valvpm/valv/cloud/api"
)

// Step is where a sign-in flow stands; each step is one window of PRODUCT.md §1.
type Step int

// The steps, in the order a flow may pass through them.
const (
	StepCredentials        Step = iota // "Sign in to Valv Account" (or "Create account")
	StepCaptcha                        // "Enter the code from the picture"
	StepVerifyEmail                    // "Enter the code we e-mailed": proving the address
	StepSMSCode                        // the SMS code, with resend countdown
	StepDataProvision                  // "Accept and connect"
	StepChooseSubscription             // "Choose subscription"
	StepConnected                      // done
)

var stepNames = [...]string{"credentials", "captcha", "verify-email", "sms-code", "data-provision", "choose-subscription", "connected"}

func (s Step) String() string { return nameOf(stepNames[:], int(s)) }

// nameOf is the name of the i-th value of an enumeration, for String methods.
func nameOf(names []string, i int) string {
	if i >= 0 && i < len(names) {
		return names[i]
	}
	return "unknown"
}

// State is everything the current step's screen shows.
type State struct {
	Step  Step
	Email string

	Captcha *api.Captcha // StepCaptcha: the picture and its expiry
	// StepVerifyEmail: where the code went, its expiry, when a new one may be asked for.
	EmailCheck *api.EmailChallenge
	SMS        *api.SMSChallenge // StepSMSCode: phone hint, code expiry, when resend is allowed
	TriesLeft  int               // StepSMSCode, after a wrong code
	Statement  *api.Statement    // StepDataProvision: what to read and accept
	Licences   []api.Licence     // StepChooseSubscription: the active licences that qualify

	// StepConnected:
	Account      *api.Account
	Licence      *api.Licence     // the licence in use; nil on the Free plan
	Entitlements api.Entitlements // what the app may do
	PlanName     string           // the plan's display name ("Personal", "Free")
	// Inactive: licences that include the password manager but are expired,
	// suspended or blocked, so they do not cover the app now (Free when no other does).
	Inactive []api.Licence
}

// Flow is one attempt to connect the app to a Valv Account. The UI calls the method of
// the button pressed and renders the State it gets back; an error is the sentence to
// show on that step (the state says which step that is). Safe for concurrent use, but
// one call at a time is what a screen does.
type Flow struct {
	c *Client

	mu        sync.Mutex
	st        State
	password  string                    // kept until connected, to retry with a captcha or statement
	create    *api.CreateAccountRequest // non-nil when the flow creates an account
	challenge string                    // SMS challenge ID
}

// NewFlow starts a flow at the credentials step, the e-mail prefilled (auto-connect).
func (c *Client) NewFlow(email string) *Flow {
	return &Flow{c: c, st: State{Step: StepCredentials, Email: email}}
}

// State returns the current state.
func (f *Flow) State() State {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.st
}

// SignIn submits e-mail and password.
func (f *Flow) SignIn(ctx context.Context, email, password string) (State, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.st = State{Step: StepCredentials, Email: email}
	f.password, f.create = password, nil
	return f.signIn(ctx, api.SignInRequest{Email: email, Password: password})
}

// AnswerCaptcha retries the sign-in with the code from the picture. password replaces
// the one typed before when not empty (the captcha screen may ask again).
func (f *Flow) AnswerCaptcha(ctx context.Context, answer, password string) (State, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.st.Step != StepCaptcha || f.st.Captcha == nil {
		return f.st, errors.New("there is no picture to answer")
	}
	if password != "" {
		f.password = password
	}
	return f.signIn(ctx, api.SignInRequest{Email: f.st.Email, Password: f.password, CaptchaID: f.st.Captcha.ID, CaptchaAnswer: answer})
}

func (f *Flow) signIn(ctx context.Context, req api.SignInRequest) (State, error) {
	resp, err := f.c.signIn(ctx, req)
	if err != nil {
		return f.failed(err)
	}
	if resp.EmailCheck != nil {
		return f.verifyStep(resp.EmailCheck)
	}
	if resp.SMS != nil {
		return f.smsStep(resp.SMS)
	}
	if resp.Session == nil {
		return f.st, ErrServer
	}
	return f.connected(ctx, &resp.Session.Account)
}

// smsStep asks for the SMS code of ch.
func (f *Flow) smsStep(ch *api.SMSChallenge) (State, error) {
	f.challenge = ch.ChallengeID
	f.st.Step, f.st.SMS, f.st.Captcha, f.st.EmailCheck, f.st.TriesLeft = StepSMSCode, ch, nil, nil, 0
	return f.st, nil
}

// failed moves the flow to the step an error asks for and returns the error to show.
func (f *Flow) failed(err error) (State, error) {
	ae, ok := Details(err)
	if !ok {
		return f.st, err
	}
	switch ae.Code {
	case api.CodeCaptchaRequired, api.CodeCaptchaWrong:
		f.st.Step, f.st.Captcha = StepCaptcha, ae.Body.Captcha
	case api.CodeDataProvisionReq:
		f.st.Step, f.st.Statement = StepDataProvision, ae.Body.Statement
	case api.CodeCodeWrong:
		f.st.TriesLeft = ae.Body.TriesLeft
	case api.CodeTooManyTries:
		f.st.Step, f.st.SMS, f.st.EmailCheck = StepCredentials, nil, nil
	case api.CodeInvalidCredentials:
		if f.st.Step == StepCaptcha {
			// A right captcha with a wrong password: the next try needs a new picture,
			// which the server sends with its next captcha_required answer.
			f.st.Step, f.st.Captcha = StepCredentials, nil
		}
	}
	return f.st, err
}

// ConfirmSMS submits the SMS code.
func (f *Flow) ConfirmSMS(ctx context.Context, code string) (State, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.st.Step != StepSMSCode {
		return f.st, errors.New("no code was requested")
	}
	s, err := f.c.signInSMS(ctx, f.challenge, code)
	if err != nil {
		return f.failed(err)
	}
	return f.connected(ctx, &s.Account)
}

// ResendSMS asks for a new code (allowed 30 s after the last; the old code stops working).
func (f *Flow) ResendSMS(ctx context.Context) (State, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.st.Step != StepSMSCode {
		return f.st, errors.New("no code was requested")
	}
	ch, err := f.c.resendSMS(ctx, f.challenge)
	if err != nil {
		return f.failed(err)
	}
	f.challenge, f.st.SMS, f.st.TriesLeft = ch.ChallengeID, ch, 0
	return f.st, nil
}

// AcceptDataProvision accepts the region's statement and connects ("Accept and connect").
func (f *Flow) AcceptDataProvision(ctx context.Context) (State, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.st.Step != StepDataProvision {
		return f.st, errors.New("there is no statement to accept")
	}
	if f.create != nil {
		f.create.AcceptDataProvision = true
		return f.createAccount(ctx)
	}
	return f.signIn(ctx, api.SignInRequest{Email: f.st.Email, Password: f.password, AcceptDataProvision: true})
}

// CreateForm is the "Create account" window.
type CreateForm struct {
	Email, Password, Confirm string
	MarketingConsent         bool   // off unless the person ticks it
	Region                   string // a region code from Regions
}

// CreateAccount checks the form (the same rules the server enforces, so the person sees
// them at once), creates the account — which accepts the Web Portal Statement — and
// connects.
func (f *Flow) CreateAccount(ctx context.Context, form CreateForm) (State, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.st = State{Step: StepCredentials, Email: form.Email}
	if !ValidEmail(form.Email) {
		return f.st, ErrInvalidEmail
	}
	if !PasswordOK(form.Password) {
		return f.st, ErrPasswordRules
	}
	if form.Password != form.Confirm {
		return f.st, ErrPasswordsDiffer
	}
	f.password = form.Password
	f.create = &api.CreateAccountRequest{Email: form.Email, Password: form.Password, MarketingConsent: form.MarketingConsent,
		AcceptTerms: true, Region: form.Region}
	return f.createAccount(ctx)
}

func (f *Flow) createAccount(ctx context.Context) (State, error) {
	s, err := f.c.createAccount(ctx, *f.create)
	if err != nil {
		return f.failed(err)
	}
	if s.EmailCheck != nil {
		// Created and signed in; the address is proven with the e-mailed code.
		f.password, f.create = "", nil
		f.st.Account = &s.Account
		return f.verifyStep(s.EmailCheck)
	}
	return f.connected(ctx, &s.Account)
}

// connected finishes once a session exists: it learns the subscriptions and either
// asks which licence to use or is done.
func (f *Flow) connected(ctx context.Context, acct *api.Account) (State, error) {
	f.password, f.create = "", nil
	f.st.Account, f.st.Email = acct, acct.Email
	f.st.Captcha, f.st.SMS, f.st.Statement, f.st.EmailCheck = nil, nil, nil, nil
	subs, err := f.c.Subscriptions(ctx)
	if err != nil {
		return f.st, err
	}
	f.st.Entitlements = subs.Effective
	f.st.Licences, f.st.Inactive = nil, nil
	for _, l := range subs.Licences {
		switch {
		case !l.IncludesPasswordManager:
		case l.Status == api.StatusActive:
			f.st.Licences = append(f.st.Licences, l)
		default:
			f.st.Inactive = append(f.st.Inactive, l)
		}
	}
	switch len(f.st.Licences) {
	case 0:
		f.st.Step = StepConnected // the Free plan: Effective says what it allows
		f.st.PlanName = f.c.planName(ctx, subs.Effective.Plan)
	case 1:
		l := f.st.Licences[0]
		f.st.Step, f.st.Licence, f.st.Entitlements, f.st.PlanName = StepConnected, &l, l.Entitlements, l.PlanName
	default:
		f.st.Step = StepChooseSubscription
	}
	return f.st, nil
}

// ChooseLicence picks one of several qualifying licences ("Select").
func (f *Flow) ChooseLicence(id string) (State, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, l := range f.st.Licences {
		if l.ID == id && f.st.Step == StepChooseSubscription {
			f.st.Step, f.st.Licence, f.st.Entitlements, f.st.PlanName = StepConnected, &l, l.Entitlements, l.PlanName
			return f.st, nil
		}
	}
	return f.st, errors.New("choose one of the listed subscriptions")
}
