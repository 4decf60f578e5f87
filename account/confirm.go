package account

import (
	"context"
	"errors"
	"sync"

	"github.com/valvpm/valv/cloud/api"
)

// Confirming a dangerous action (PRODUCT.md §4): resetting the master password,
// replacing the cloud vault, clearing the vault. The server performs them only with a
// one-time action token; a Confirmation is the short flow that earns one. The desktop
// app and valv-cli both drive it, so they ask the same questions in the same order and
// explain a provider-only account the same way.

// ConfirmMethod is how a dangerous action is confirmed.
type ConfirmMethod int

// The methods, as the product rules assign them (MethodFor).
const (
	ByEmailCode       ConfirmMethod = iota // a code e-mailed to the account
	ByAccountPassword                      // the account password, then the SMS code with two-step verification
	ByMasterPassword                       // no account: this vault's master password, checked by the vault
	ByConsent                              // no account and nothing to check: a reset of a forgotten master password
)

var methodNames = [...]string{"email-code", "account-password", "master-password", "consent"}

func (m ConfirmMethod) String() string { return nameOf(methodNames[:], int(m)) }

// MethodFor decides how action is confirmed for a vault that is linked to an account
// (or not), with sync on (or off), on an app that is signed in (or not):
//
//   - replacing the cloud vault: always the e-mailed code;
//   - a linked vault with sync on, and resetting a linked vault: the e-mailed code;
//   - a linked vault with sync off: the account password (clearing then empties this
//     device only);
//   - no account: the master password to clear, a plain yes to reset.
//
// It is ErrNotSignedIn when the method needs the account and no one is signed in.
func MethodFor(action api.Action, linked, syncOn, signedIn bool) (ConfirmMethod, error) {
	switch {
	case (action == api.ActionReplaceCloudVault || linked) && !signedIn:
		return 0, ErrNotSignedIn
	case action == api.ActionReplaceCloudVault,
		linked && (syncOn || action == api.ActionResetMasterPassword):
		return ByEmailCode, nil
	case linked:
		return ByAccountPassword, nil
	case action == api.ActionResetMasterPassword:
		return ByConsent, nil
	}
	return ByMasterPassword, nil
}

// ActsOnCloud reports whether the token this method earns is used on the cloud vault.
// Only the e-mailed code's is: the account password confirms a change of this device
// only (sync is off), and the local methods earn no token.
func (m ConfirmMethod) ActsOnCloud() bool { return m == ByEmailCode }

// NeedsMasterPassword reports whether action, confirmed by m, also needs this vault's
// master password: replacing and clearing the cloud re-protect the vault key for a new
// key epoch, and it is what confirms clearing a vault with no account. Front ends check
// it before anything is deleted, so a typo cannot leave the cloud empty.
func (m ConfirmMethod) NeedsMasterPassword(action api.Action) bool {
	return action == api.ActionReplaceCloudVault ||
		action == api.ActionClearVault && (m == ByEmailCode || m == ByMasterPassword)
}

// ConfirmStep is where a Confirmation stands; each is one page of the confirmation.
type ConfirmStep int

// The steps.
const (
	ConfirmEmailCode       ConfirmStep = iota // "Enter the code from the e-mail" (RequestCode sends it)
	ConfirmAccountPassword                    // "Enter your Valv Account password"
	ConfirmSMSCode                            // the SMS code of two-step verification
	ConfirmProviderOnly                       // the account has no password: how to set one, then the password again
	ConfirmDone                               // confirmed: Token holds the action token (empty for the local methods)
)

var confirmStepNames = [...]string{"email-code", "account-password", "sms-code", "provider-only", "done"}

func (s ConfirmStep) String() string { return nameOf(confirmStepNames[:], int(s)) }

// ConfirmState is what the current step shows.
type ConfirmState struct {
	Step   ConfirmStep
	Action api.Action
	Method ConfirmMethod
	SentTo string            // ConfirmEmailCode: where the last code went ("" before RequestCode)
	SMS    *api.SMSChallenge // ConfirmSMSCode: the phone hint and the code's validity
	Token  string            // ConfirmDone: the one-time action token

	// Pages of the account website the password steps link to: "Forgot your
	// password?" and the site where a provider-only account chooses a password.
	ForgotURL, WebsiteURL string
}

// Confirmation earns the action token of one dangerous action. The front end calls the
// method of the button pressed and renders the ConfirmState it gets back; an error is
// the sentence to show on that step. Safe for concurrent use.
type Confirmation struct {
	c *Client

	mu        sync.Mutex
	st        ConfirmState
	challenge string // the SMS challenge of two-step verification
}

// NewConfirmation starts confirming action for a vault that is linked to an account
// (or not) with sync on (or off); c is the signed-in client, or nil when no one is
// signed in. The method is MethodFor's. With the local methods (no account) there is
// nothing to ask the server: the flow starts at ConfirmDone with no token, and the
// front end checks the master password or asks for a yes.
func NewConfirmation(c *Client, action api.Action, linked, syncOn bool) (*Confirmation, error) {
	m, err := MethodFor(action, linked, syncOn, c != nil && c.SignedIn())
	if err != nil {
		return nil, err
	}
	f := &Confirmation{c: c, st: ConfirmState{Action: action, Method: m}}
	if c != nil {
		f.st.ForgotURL, f.st.WebsiteURL = c.URL("/portal/forgot"), c.URL("/portal")
	}
	f.st.Step = f.firstStep()
	return f, nil
}

func (f *Confirmation) firstStep() ConfirmStep {
	switch f.st.Method {
	case ByEmailCode:
		return ConfirmEmailCode
	case ByAccountPassword:
		return ConfirmAccountPassword
	}
	return ConfirmDone
}

// State returns the current state.
func (f *Confirmation) State() ConfirmState {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.st
}

var errNotNow = errors.New("that is not asked for at this step")

// RequestCode e-mails a code for the action ("Send a new code" asks again; the newest
// code is the one that works).
func (f *Confirmation) RequestCode(ctx context.Context) (ConfirmState, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.st.Step != ConfirmEmailCode {
		return f.st, errNotNow
	}
	r, err := f.c.RequestActionCode(ctx, f.st.Action)
	if err != nil {
		return f.st, err
	}
	f.st.SentTo = r.SentTo
	return f.st, nil
}

// SubmitCode trades the e-mailed code for the action token. A wrong or expired code
// stays at this step.
func (f *Confirmation) SubmitCode(ctx context.Context, code string) (ConfirmState, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.st.Step != ConfirmEmailCode {
		return f.st, errNotNow
	}
	tok, err := f.c.ActionToken(ctx, f.st.Action, code)
	if err != nil {
		return f.st, err
	}
	f.st.Step, f.st.Token = ConfirmDone, tok
	return f.st, nil
}

// SubmitPassword confirms with the account password. With two-step verification the
// next step is the SMS code. An account that signs in only with a provider has no
// password, and the server answers "The password is incorrect" as for a wrong one
// (PRODUCT.md §4): the account is asked which it is, and such an account moves to
// ConfirmProviderOnly, which explains how to set a password and takes it here again.
func (f *Confirmation) SubmitPassword(ctx context.Context, password string) (ConfirmState, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.st.Step != ConfirmAccountPassword && f.st.Step != ConfirmProviderOnly {
		return f.st, errNotNow
	}
	r, err := f.c.Reauth(ctx, api.ReauthRequest{Action: f.st.Action, Password: password})
	switch {
	case errors.Is(err, ErrPasswordNotSet), errors.Is(err, ErrWrongPassword) && !f.hasPassword(ctx):
		f.st.Step = ConfirmProviderOnly
		return f.st, err
	case err != nil:
		return f.st, err
	case r.SMS != nil:
		f.challenge = r.SMS.ChallengeID
		f.st.Step, f.st.SMS = ConfirmSMSCode, r.SMS
		return f.st, nil
	}
	f.st.Step, f.st.Token = ConfirmDone, r.ActionToken
	return f.st, nil
}

// hasPassword asks the account whether it has a password; when that cannot be known,
// it assumes so, and the person sees a plain "the password is incorrect".
func (f *Confirmation) hasPassword(ctx context.Context) bool {
	a, err := f.c.Account(ctx)
	return err != nil || a.HasPassword
}

// SubmitSMS confirms with the SMS code sent after the account password. A wrong code
// stays at this step; an expired one, or too many wrong ones, go back to the password,
// which sends a new code.
func (f *Confirmation) SubmitSMS(ctx context.Context, code string) (ConfirmState, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.st.Step != ConfirmSMSCode {
		return f.st, errNotNow
	}
	r, err := f.c.Reauth(ctx, api.ReauthRequest{Action: f.st.Action, ChallengeID: f.challenge, SMSCode: code})
	if errors.Is(err, ErrCodeExpired) || errors.Is(err, ErrTooManyTries) {
		f.challenge, f.st.Step, f.st.SMS = "", ConfirmAccountPassword, nil
	}
	if err != nil {
		return f.st, err
	}
	f.challenge, f.st.SMS = "", nil
	f.st.Step, f.st.Token = ConfirmDone, r.ActionToken
	return f.st, nil
}

// ResendSMS sends the SMS code of two-step verification again (allowed 30 s after the
// last: ErrResendTooEarly before; the old code then stops working). A challenge that
// expired meanwhile goes back to the password, as SubmitSMS does.
func (f *Confirmation) ResendSMS(ctx context.Context) (ConfirmState, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.st.Step != ConfirmSMSCode {
		return f.st, errNotNow
	}
	ch, err := f.c.resendSMS(ctx, f.challenge)
	if errors.Is(err, ErrCodeExpired) {
		f.challenge, f.st.Step, f.st.SMS = "", ConfirmAccountPassword, nil
	}
	if err != nil {
		return f.st, err
	}
	f.challenge, f.st.SMS = ch.ChallengeID, ch
	return f.st, nil
}

// TokenSpent starts over after the action refused the token (ErrActionToken: used or
// expired), so the next attempt earns a new one.
func (f *Confirmation) TokenSpent() ConfirmState {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.challenge = ""
	f.st.Step, f.st.Token, f.st.SentTo, f.st.SMS = f.firstStep(), "", "", nil
	return f.st
}
