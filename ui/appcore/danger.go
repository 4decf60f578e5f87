package appcore

import (
	"context"
	"errors"

	"github.com/valvpm/valv/account"
	isecret "github.com/valvpm/valv/internal/secret"
	"github.com/valvpm/valv/vault"
)

// The dangerous actions of PRODUCT.md §4: reset the master password, replace the cloud
// vault with this one, clear the vault. Each is confirmed the way the product says — an
// e-mailed code when the vault syncs with a Valv Account; the account password (+ SMS
// code) when sync is off; the master password when no account is linked — and each
// writes an encrypted backup first, whose path the result names (the product has no
// undo; the backup is ours).

// DangerKind is one of the dangerous actions.
type DangerKind int

// The dangerous actions.
const (
	DangerReset   DangerKind = iota // forgotten master password: a new, empty vault everywhere
	DangerReplace                   // the cloud vault becomes this one
	DangerClear                     // every item deleted
)

// Action is the server's name of the action a token is for.
func (k DangerKind) Action() account.Action {
	switch k {
	case DangerReset:
		return account.ActionResetMasterPassword
	case DangerReplace:
		return account.ActionReplaceCloudVault
	}
	return account.ActionClearVault
}

// Key is the kind's part of its translation keys.
func (k DangerKind) Key() string {
	switch k {
	case DangerReset:
		return "reset"
	case DangerReplace:
		return "replace"
	}
	return "clear"
}

// ConfirmMode is how an action is confirmed.
type ConfirmMode int

// The ways an action is confirmed.
const (
	ByEmail           ConfirmMode = iota // a code e-mailed to the account
	ByAccountPassword                    // the account password (+ SMS code): sync is off
	ByMasterPassword                     // no account: this vault's master password
	ByConsent                            // no account and no password to give: reset only
)

// DangerStep is where a dangerous action's dialog stands.
type DangerStep int

// The steps of a dangerous action's dialog.
const (
	DangerAsk        DangerStep = iota // what will happen, and what confirms it
	DangerSMS                          // the account password was right; the SMS code is next
	DangerNoPassword                   // the account signs in with a provider: how to set a password
	DangerDone                         // performed; Backup names the copy kept
)

// DangerView is what a dangerous action's dialog does when the action moves on. The
// Danger calls it on the UI goroutine, never after Close.
type DangerView interface {
	// Busy disables the step's actions and shows the busy indicator while a call runs.
	Busy(on bool)
	// Step shows step s.
	Step(s DangerStep)
	// Say shows n on the message line.
	Say(n DangerNote)
	// ClearCode empties the e-mailed code's field: that code was wrong or has expired.
	ClearCode()
}

// DangerNote is what the message line of a dangerous action's dialog says.
type DangerNote struct {
	Err    error  // what went wrong
	Backup string // with Err: the backup written before the action failed
	SentTo string // good news: a code was e-mailed to this (masked) address
}

// DangerNeeds says which fields the step on show must have filled in.
type DangerNeeds struct {
	Code            bool // the e-mailed code (until its token is kept)
	AccountPassword bool
	SMSCode         bool
	Master          bool // this vault's master password
	NewPassword     bool // the new master password of a reset
}

// DangerInput is what the person typed. Confirm wipes the secrets once used.
type DangerInput struct {
	Code            string
	AccountPassword []byte
	SMSCode         string
	Master          []byte
	NewPassword     []byte
}

func (in DangerInput) wipe() {
	isecret.Wipe(in.AccountPassword)
	isecret.Wipe(in.Master)
	isecret.Wipe(in.NewPassword)
}

// Danger confirms and performs one dangerous action: how it is confirmed, what the step
// on show needs, the action token kept once obtained (a mistyped master password does
// not cost a new code), and the SMS challenge of two-step verification. All methods
// are for the UI goroutine.
type Danger struct {
	c      *Controller
	view   DangerView
	kind   DangerKind
	mode   ConfirmMode
	client *account.Client // nil without an account

	step      DangerStep
	busy      bool
	closed    bool
	token     string
	challenge *account.SMSChallenge
	backup    string
}

// NewDanger prepares the dialog of kind, drawn by view; it fails with
// account.ErrNotSignedIn when the action needs the account and no one is signed in.
func (c *Controller) NewDanger(kind DangerKind, view DangerView) (*Danger, error) {
	mode, cl, err := c.confirmModeFor(kind)
	if err != nil {
		return nil, err
	}
	return &Danger{c: c, view: view, kind: kind, mode: mode, client: cl}, nil
}

// confirmModeFor decides how kind is confirmed here, and with which client; an error
// says why it cannot be done now (linked, but not signed in).
func (c *Controller) confirmModeFor(kind DangerKind) (ConfirmMode, *account.Client, error) {
	st, _ := c.syncStateAny()
	cl := c.SignedInClient()
	switch {
	case kind == DangerReplace && cl == nil:
		return 0, nil, account.ErrNotSignedIn
	case kind == DangerReplace:
		return ByEmail, cl, nil
	case st.Linked && cl == nil:
		// The cloud holds this vault too; acting on it needs the account.
		return 0, nil, account.ErrNotSignedIn
	case st.Linked && (st.Enabled || kind == DangerReset):
		return ByEmail, cl, nil
	case st.Linked:
		return ByAccountPassword, cl, nil
	case kind == DangerReset:
		return ByConsent, nil, nil
	}
	return ByMasterPassword, nil, nil
}

// syncStateAny reads the vault's sync state, locked or not (a forgotten master password
// must still know whether the vault is linked).
func (c *Controller) syncStateAny() (vault.SyncState, bool) {
	v := c.vault()
	if v == nil {
		return vault.SyncState{}, false
	}
	st, err := v.SyncState()
	return st, err == nil
}

// Kind is the action.
func (d *Danger) Kind() DangerKind { return d.kind }

// Mode is how it is confirmed.
func (d *Danger) Mode() ConfirmMode { return d.mode }

// Step is the step on show.
func (d *Danger) Step() DangerStep { return d.step }

// Busy reports whether a call runs.
func (d *Danger) Busy() bool { return d.busy }

// HasToken reports whether the action token is kept, so the code need not be typed again.
func (d *Danger) HasToken() bool { return d.token != "" }

// Backup is the path of the copy of the vault written before the action.
func (d *Danger) Backup() string { return d.backup }

// Email is the account's e-mail the code goes to.
func (d *Danger) Email() string {
	if d.client == nil {
		return ""
	}
	return d.client.Email()
}

// PhoneHint is the masked phone number the SMS code went to.
func (d *Danger) PhoneHint() string {
	if d.challenge == nil {
		return ""
	}
	return d.challenge.PhoneHint
}

// URL is a page of the account website (Forgot your password?, the portal).
func (d *Danger) URL(path string) string {
	if d.client == nil {
		return ""
	}
	return d.client.URL(path)
}

// Open shows a page in the browser.
func (d *Danger) Open(url string) error { return d.c.OpenURL(url) }

// Needs says what the step on show must have filled in before Confirm.
func (d *Danger) Needs() DangerNeeds {
	return DangerNeeds{
		Code:            d.mode == ByEmail && d.token == "",
		AccountPassword: d.mode == ByAccountPassword && d.challenge == nil,
		SMSCode:         d.challenge != nil,
		// Replacing and clearing the cloud re-protect the key for a new key epoch, and
		// clearing a vault with no account is confirmed with it.
		Master:      d.kind == DangerReplace || (d.kind == DangerClear && (d.mode == ByEmail || d.mode == ByMasterPassword)),
		NewPassword: d.kind == DangerReset,
	}
}

// Start asks for the e-mailed code, where that is how the action is confirmed; the
// dialog calls it once it is on show.
func (d *Danger) Start() {
	if d.mode == ByEmail {
		d.RequestCode()
	}
}

// RequestCode e-mails a (new) code for the action.
func (d *Danger) RequestCode() {
	if d.busy || d.client == nil {
		return
	}
	d.setBusy(true)
	var sentTo string
	var err error
	d.c.Background(func(ctx context.Context) {
		r, rerr := d.client.RequestActionCode(ctx, d.kind.Action())
		if err = rerr; err == nil {
			sentTo = r.SentTo
		}
	}, func() {
		if d.closed {
			return
		}
		d.setBusy(false)
		if err != nil {
			d.view.Say(DangerNote{Err: err})
			return
		}
		d.view.Say(DangerNote{SentTo: sentTo})
	})
}

// Confirm turns what the person typed into the action's token, checks the master
// password before anything is deleted, and performs the action in the background. The
// secrets in in are wiped.
func (d *Danger) Confirm(in DangerInput) {
	if d.busy || d.step == DangerDone {
		in.wipe()
		return
	}
	d.setBusy(true)
	// The sync runner must not push into a vault being cleared or replaced; done
	// starts it again.
	d.c.StopSync()
	token, challenge := d.token, d.challenge
	var out dangerOutcome
	d.c.SyncWork(func(ctx context.Context) error {
		defer in.wipe()
		out = d.authorise(ctx, token, challenge, in)
		if out.err != nil || out.sms != nil {
			return out.err
		}
		out.res, out.err = d.c.runDanger(ctx, d.kind, d.mode, d.client, out.token, in.Master, in.NewPassword)
		return out.err
	}, func(err error) {
		if err == nil {
			err = out.err
		}
		d.done(out, err)
	})
}

// dangerOutcome is what a confirmation and the action gave.
type dangerOutcome struct {
	token        string
	sms          *account.SMSChallenge // the account password was right; the SMS code is next
	providerOnly bool                  // the account has no password to give
	res          dangerResult
	err          error
}

// authorise trades what the person typed for the action's token (ByEmail,
// ByAccountPassword) and checks the master password where the action needs it. It
// runs in the background.
func (d *Danger) authorise(ctx context.Context, token string, challenge *account.SMSChallenge, in DangerInput) dangerOutcome {
	out := dangerOutcome{token: token}
	cl, action := d.client, d.kind.Action()
	switch {
	case d.mode == ByEmail && token == "":
		out.token, out.err = cl.ActionToken(ctx, action, in.Code)
	case d.mode == ByAccountPassword && challenge != nil:
		r, err := cl.Reauth(ctx, account.ReauthRequest{Action: action, ChallengeID: challenge.ChallengeID, SMSCode: in.SMSCode})
		if out.err = err; err == nil {
			out.token = r.ActionToken
		}
	case d.mode == ByAccountPassword:
		r, err := cl.Reauth(ctx, account.ReauthRequest{Action: action, Password: string(in.AccountPassword)})
		switch {
		case errors.Is(err, account.ErrPasswordNotSet):
			out.providerOnly, out.err = true, err
		case errors.Is(err, account.ErrWrongPassword):
			// A provider-only account gets "The password is incorrect" too (PRODUCT.md
			// §4): ask the account which it is, so the person learns why.
			if a, aerr := cl.Account(ctx); aerr == nil && !a.HasPassword {
				out.providerOnly = true
			}
			out.err = err
		case err != nil:
			out.err = err
		case r.SMS != nil:
			out.sms = r.SMS
		default:
			out.token = r.ActionToken
		}
	}
	if out.err != nil || out.sms != nil || !d.Needs().Master {
		return out
	}
	v := d.c.vault()
	if v == nil {
		out.err = vault.ErrNoVault
		return out
	}
	// Checked before anything is deleted: clearing the cloud uploads the empty vault
	// again with it, and a typo there would leave the cloud empty.
	out.err = v.CheckPassword(in.Master)
	return out
}

// done shows the outcome of Confirm.
func (d *Danger) done(out dangerOutcome, err error) {
	if out.token != "" {
		d.token = out.token
	}
	if out.res.nv != nil {
		d.c.SwapVault(out.res.nv) // starts syncing the new vault
	} else {
		d.c.StartSync() // stopped while the action ran
	}
	if d.closed {
		return
	}
	d.setBusy(false)
	switch {
	case out.sms != nil:
		d.challenge = out.sms
		d.show(DangerSMS)
	case out.providerOnly:
		d.show(DangerNoPassword)
		d.view.Say(DangerNote{Err: account.ErrWrongPassword})
	case err != nil && out.res.backup != "":
		d.view.Say(DangerNote{Err: err, Backup: out.res.backup})
	case err != nil:
		if d.mode == ByEmail && d.token == "" && (errors.Is(err, account.ErrCodeWrong) || errors.Is(err, account.ErrCodeExpired)) {
			d.view.ClearCode()
		}
		if errors.Is(err, account.ErrActionToken) {
			d.token = "" // used or expired: the next try trades a new code
		}
		d.view.Say(DangerNote{Err: err})
	default:
		d.backup = out.res.backup
		d.show(DangerDone)
	}
}

func (d *Danger) show(s DangerStep) {
	d.step = s
	d.view.Step(s)
}

func (d *Danger) setBusy(on bool) {
	d.busy = on
	d.view.Busy(on)
}

// Close is the dialog closing: a call still running finishes (and restores sync, or
// opens the new vault) but tells the view nothing more.
func (d *Danger) Close() { d.closed = true }
