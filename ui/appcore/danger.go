package appcore

import (
	"context"
	"errors"

	"github.com/valvpm/valv/account"
	"github.com/valvpm/valv/internal/secret"
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

// DangerStep is where a dangerous action's dialog stands.
type DangerStep int

// The steps of a dangerous action's dialog.
const (
	DangerAsk        DangerStep = iota // what will happen, and what confirms it
	DangerSMS                          // the account password was right; the SMS code is next
	DangerNoPassword                   // the account signs in with a provider: how to set a password
	DangerDone                         // performed; Backup names the copy kept
)

// pageOf is the page of the dialog that shows confirmation step s; once confirmed, the
// page on show stays (a mistyped master password is typed again there).
func pageOf(s account.ConfirmStep, current DangerStep) DangerStep {
	switch s {
	case account.ConfirmSMSCode:
		return DangerSMS
	case account.ConfirmProviderOnly:
		return DangerNoPassword
	case account.ConfirmDone:
		return current
	}
	return DangerAsk
}

// DangerView is what a dangerous action's dialog does when the action moves on. The
// Danger calls it on the UI goroutine, never after Close.
type DangerView interface {
	// Busy disables the step's actions and shows the busy indicator while a call runs.
	Busy(on bool)
	// Step shows step s.
	Step(s DangerStep)
	// Say shows n on the message line.
	Say(n DangerNote)
	// Clear empties field f, the one that was wrong; the others keep what was typed.
	Clear(f DangerField)
}

// DangerField is a field of a dangerous action's dialog that Clear empties.
type DangerField int

// The fields Clear empties.
const (
	FieldCode   DangerField = iota // the e-mailed code: wrong or expired
	FieldMaster                    // this vault's master password: wrong
)

// DangerNote is what the message line of a dangerous action's dialog says.
type DangerNote struct {
	Err     error  // what went wrong
	Backup  string // with Err: the backup written before the action failed
	SentTo  string // good news: a code was e-mailed to this (masked) address
	SMSSent bool   // good news: the SMS code was sent again, and the old one is void
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
	secret.Wipe(in.AccountPassword)
	secret.Wipe(in.Master)
	secret.Wipe(in.NewPassword)
}

// Danger confirms and performs one dangerous action. The confirmation itself —
// which method, the e-mailed code, the account password and its SMS code, a
// provider-only account, the token — is account.Confirmation, shared with valv-cli;
// Danger adds what the desktop dialog needs around it: which fields a page needs, the
// master password checked before anything is deleted, sync stopped while the action
// runs, and the backup it names. All methods are for the UI goroutine.
type Danger struct {
	c      *Controller
	view   DangerView
	kind   DangerKind
	client *account.Client // nil without an account
	conf   *account.Confirmation

	step   DangerStep
	busy   bool
	closed bool
	backup string
}

// NewDanger prepares the dialog of kind, drawn by view; it fails with
// account.ErrNotSignedIn when the action needs the account and no one is signed in.
func (c *Controller) NewDanger(kind DangerKind, view DangerView) (*Danger, error) {
	st, _ := c.syncStateAny()
	cl := c.SignedInClient()
	conf, err := account.NewConfirmation(cl, kind.Action(), st.Linked, st.Enabled)
	if err != nil {
		return nil, err
	}
	return &Danger{c: c, view: view, kind: kind, client: cl, conf: conf}, nil
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

// Method is how it is confirmed.
func (d *Danger) Method() account.ConfirmMethod { return d.conf.State().Method }

// Step is the step on show.
func (d *Danger) Step() DangerStep { return d.step }

// Busy reports whether a call runs.
func (d *Danger) Busy() bool { return d.busy }

// HasToken reports whether the action token is kept, so the code need not be typed again.
func (d *Danger) HasToken() bool { return d.conf.State().Token != "" }

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
	if sms := d.conf.State().SMS; sms != nil {
		return sms.PhoneHint
	}
	return ""
}

// ForgotURL is the account website's Forgot your password? page.
func (d *Danger) ForgotURL() string { return d.conf.State().ForgotURL }

// WebsiteURL is the account website, where a provider-only account chooses a password.
func (d *Danger) WebsiteURL() string { return d.conf.State().WebsiteURL }

// Open shows a page in the browser.
func (d *Danger) Open(url string) error { return d.c.OpenURL(url) }

// Needs says what the step on show must have filled in before Confirm.
func (d *Danger) Needs() DangerNeeds {
	st := d.conf.State()
	return DangerNeeds{
		Code:            st.Step == account.ConfirmEmailCode,
		AccountPassword: st.Step == account.ConfirmAccountPassword || st.Step == account.ConfirmProviderOnly,
		SMSCode:         st.Step == account.ConfirmSMSCode,
		Master:          st.Method.NeedsMasterPassword(st.Action),
		NewPassword:     d.kind == DangerReset,
	}
}

// Start asks for the e-mailed code, where that is how the action is confirmed; the
// dialog calls it once it is on show.
func (d *Danger) Start() {
	if d.conf.State().Step == account.ConfirmEmailCode {
		d.RequestCode()
	}
}

// RequestCode e-mails a (new) code for the action.
func (d *Danger) RequestCode() {
	d.send(d.conf.RequestCode, func(st account.ConfirmState) DangerNote { return DangerNote{SentTo: st.SentTo} })
}

// ResendSMS sends the SMS code of two-step verification again (Request code again):
// the server allows it 30 s after the last one, and says how long to wait before.
func (d *Danger) ResendSMS() {
	d.send(d.conf.ResendSMS, func(account.ConfirmState) DangerNote { return DangerNote{SMSSent: true} })
}

// send runs one call that sends a code, then says good, or what went wrong; a code
// that expired meanwhile moves the dialog to the page the confirmation went back to.
func (d *Danger) send(call func(context.Context) (account.ConfirmState, error), good func(account.ConfirmState) DangerNote) {
	if d.busy {
		return
	}
	d.setBusy(true)
	var st account.ConfirmState
	var err error
	d.c.Background(func(ctx context.Context) {
		st, err = call(ctx)
	}, func() {
		if d.closed {
			return
		}
		d.setBusy(false)
		if page := pageOf(st.Step, d.step); page != d.step {
			d.show(page)
		}
		if err != nil {
			d.view.Say(DangerNote{Err: err})
			return
		}
		d.view.Say(good(st))
	})
}

// Confirm hands what the person typed to the confirmation, checks the master password
// before anything is deleted, and performs the action in the background once
// confirmed. The secrets in in are wiped.
func (d *Danger) Confirm(in DangerInput) {
	if d.busy || d.step == DangerDone {
		in.wipe()
		return
	}
	d.setBusy(true)
	// The sync runner must not push into a vault being cleared or replaced; done
	// starts it again.
	d.c.StopSync()
	var out dangerOutcome
	d.c.SyncWork(func(ctx context.Context) error {
		defer in.wipe()
		token, err := d.authorise(ctx, in)
		if err != nil || d.conf.State().Step != account.ConfirmDone {
			return err
		}
		out.performed = true
		out.res, err = d.c.runDanger(ctx, d.kind, d.conf.State().Method, d.client, token, in.Master, in.NewPassword)
		return err
	}, func(err error) { d.done(out, err) })
}

// dangerOutcome is what Confirm's background work did.
type dangerOutcome struct {
	performed bool // confirmed, and the action ran (err says whether it succeeded)
	res       dangerResult
}

// authorise moves the confirmation on with what the person typed, and once it is
// confirmed checks the master password where the action needs it. It runs in the
// background and returns the action token (empty for the local methods).
func (d *Danger) authorise(ctx context.Context, in DangerInput) (string, error) {
	st := d.conf.State()
	var err error
	switch st.Step {
	case account.ConfirmEmailCode:
		st, err = d.conf.SubmitCode(ctx, in.Code)
	case account.ConfirmAccountPassword, account.ConfirmProviderOnly:
		st, err = d.conf.SubmitPassword(ctx, string(in.AccountPassword))
	case account.ConfirmSMSCode:
		st, err = d.conf.SubmitSMS(ctx, in.SMSCode)
	}
	if err != nil || st.Step != account.ConfirmDone || !st.Method.NeedsMasterPassword(st.Action) {
		return st.Token, err
	}
	v := d.c.vault()
	if v == nil {
		return "", vault.ErrNoVault
	}
	// Checked before anything is deleted: clearing the cloud uploads the empty vault
	// again with it, and a typo there would leave the cloud empty. The token is kept:
	// a mistyped master password does not cost a new code.
	return st.Token, v.CheckPassword(in.Master)
}

// done shows the outcome of Confirm: the page the confirmation is at, then what
// happened.
func (d *Danger) done(out dangerOutcome, err error) {
	if out.res.nv != nil {
		d.c.SwapVault(out.res.nv) // starts syncing the new vault
	} else {
		d.c.StartSync() // stopped while the action ran
	}
	if errors.Is(err, account.ErrActionToken) {
		d.conf.TokenSpent() // used or expired: the next try earns a new one
	}
	if d.closed {
		return
	}
	d.setBusy(false)
	if page := pageOf(d.conf.State().Step, d.step); page != d.step {
		d.show(page)
	}
	switch {
	case err == nil && out.performed:
		d.backup = out.res.backup
		d.show(DangerDone)
	case err == nil: // on to the next page (the SMS code)
	case d.step == DangerNoPassword:
		// Said the same way whether the server knew the account has no password or
		// answered as for a wrong one: the page explains which it is.
		d.view.Say(DangerNote{Err: account.ErrWrongPassword})
	case out.res.backup != "":
		d.view.Say(DangerNote{Err: err, Backup: out.res.backup})
	default:
		// Only the field that was wrong is emptied: a wrong code keeps the master
		// password typed beside it, and a wrong master password the kept token.
		switch {
		case d.Needs().Code && (errors.Is(err, account.ErrCodeWrong) || errors.Is(err, account.ErrCodeExpired)):
			d.view.Clear(FieldCode)
		case errors.Is(err, vault.ErrWrongPassword):
			d.view.Clear(FieldMaster)
		}
		d.view.Say(DangerNote{Err: err})
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
