package ui

import (
	"context"
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/valvpm/valv/account"
	"github.com/valvpm/valv/cloud/api"
	cloudsync "github.com/valvpm/valv/sync"
	"github.com/valvpm/valv/vault"
)

// The dangerous actions of PRODUCT.md §4 (seed 002): reset the master password, replace
// the cloud vault with this one, clear the vault. Each is confirmed the way the product
// says — an e-mailed code when the vault syncs with a Valv Account; the account password
// (+ SMS code) at "Enter your Valv Account password" when sync is off; the master
// password when no account is linked — and each writes an encrypted backup first, whose
// path the result names (the product we follow has no undo; we do).

// dangerKind is one of the dangerous actions.
type dangerKind int

const (
	dangerReset   dangerKind = iota // forgotten master password: a new, empty vault everywhere
	dangerReplace                   // the cloud vault becomes this one
	dangerClear                     // every item deleted
)

// confirmMode is how an action is confirmed.
type confirmMode int

const (
	byEmail           confirmMode = iota // a code e-mailed to the account
	byAccountPassword                    // the account password (+ SMS code): sync is off
	byMasterPassword                     // no account: this vault's master password
	byConsent                            // no account and no password to give: reset only
)

// action is the server's name of the action a token is for.
func (k dangerKind) action() api.Action {
	switch k {
	case dangerReset:
		return api.ActionResetMasterPassword
	case dangerReplace:
		return api.ActionReplaceCloudVault
	}
	return api.ActionClearVault
}

// key is the kind's part of its translation keys.
func (k dangerKind) key() string {
	switch k {
	case dangerReset:
		return "reset"
	case dangerReplace:
		return "replace"
	}
	return "clear"
}

// syncStateAny reads the vault's sync state, locked or not (a forgotten master password
// must still know whether the vault is linked).
func (c *Controller) syncStateAny() (vault.SyncState, bool) {
	c.mu.Lock()
	v := c.v
	c.mu.Unlock()
	if v == nil {
		return vault.SyncState{}, false
	}
	st, err := v.SyncState()
	return st, err == nil
}

// confirmModeFor decides how kind is confirmed here, and with which client; an error
// says why it cannot be done now (linked, but not signed in).
func (c *Controller) confirmModeFor(kind dangerKind) (confirmMode, *account.Client, error) {
	st, _ := c.syncStateAny()
	cl := c.signedInClient()
	switch {
	case kind == dangerReplace && cl == nil:
		return 0, nil, account.ErrNotSignedIn
	case kind == dangerReplace:
		return byEmail, cl, nil
	case st.Linked && cl == nil:
		// The cloud holds this vault too; acting on it needs the account.
		return 0, nil, account.ErrNotSignedIn
	case st.Linked && (st.Enabled || kind == dangerReset):
		return byEmail, cl, nil
	case st.Linked:
		return byAccountPassword, cl, nil
	case kind == dangerReset:
		return byConsent, nil, nil
	}
	return byMasterPassword, nil, nil
}

// dangerResult is what an action did, for its result message.
type dangerResult struct {
	backup string
	nv     *vault.Vault // reset: the new vault
}

// runDanger performs kind once confirmed (token from the code or the account password;
// master is this vault's master password where the action re-protects the key, newPW
// the new one of a reset). It runs in the background; sync is stopped meanwhile so the
// runner does not push into a vault being cleared.
func (c *Controller) runDanger(ctx context.Context, kind dangerKind, mode confirmMode, cl *account.Client, token string, master, newPW []byte) (dangerResult, error) {
	var r cloudsync.ActionRemote
	if mode == byEmail {
		r = cl // only the e-mailed code's token acts on the cloud; nil otherwise
	}
	dir, err := vault.BackupDir()
	if err != nil {
		return dangerResult{}, err
	}
	c.mu.Lock()
	v := c.v
	c.mu.Unlock()
	if v == nil {
		return dangerResult{}, vault.ErrNoVault
	}
	var res dangerResult
	switch kind {
	case dangerReset:
		res.nv, res.backup, err = cloudsync.ResetMasterPassword(ctx, v, r, token, newPW, dir, c.kdf)
		if err == nil && r != nil {
			err = c.rememberAccount(res.nv, cl)
		}
	case dangerReplace:
		if err = cloudsync.ReplaceCloud(ctx, v, r, token, master); err == nil {
			err = c.rememberAccount(v, cl)
		}
	case dangerClear:
		res.backup, err = cloudsync.ClearVault(ctx, v, r, token, master, dir)
	}
	return res, err
}

// dangerDialog confirms and performs one dangerous action, step by step in one window.
type dangerDialog struct {
	*stepDialog
	kind   dangerKind
	mode   confirmMode
	client *account.Client
	token  string // kept once obtained: a mistyped master password does not cost a new code

	code      *entry
	resend    *widget.Button
	accountPW *SecretEntry
	forgot    *widget.Hyperlink
	website   *widget.Button
	sms       *entry
	challenge string
	master    *SecretEntry
	pair      *passwordPair
	confirm   *widget.Button
	result    string // the result message, once done
}

// showDanger opens the dialog of kind, or says why it cannot be done now.
func showDanger(u *UI, kind dangerKind) *dangerDialog {
	mode, cl, err := u.ctrl.confirmModeFor(kind)
	if err != nil {
		u.showMessage(T("danger."+kind.key()+"Title"), T("danger.signInFirst"))
		return nil
	}
	d := &dangerDialog{stepDialog: newStepDialog(u, T("danger."+kind.key()+"Title")), kind: kind, mode: mode, client: cl}
	d.dlg.SetOnClosed(func() {
		if d.pair != nil {
			d.pair.wipe()
		}
	})
	u.syncUI.danger = d
	d.confirmStep()
	d.show()
	if mode == byEmail {
		d.requestCode()
	}
	return d
}

// confirmStep is the first page: what will happen, and what confirms it.
func (d *dangerDialog) confirmStep() {
	u := d.u
	objs := []fyne.CanvasObject{wrapped(T("danger." + d.kind.key() + "Explain")), wrapped(T("danger.backupNote"))}
	var act []fyne.Disableable
	d.confirm = u.button(T("danger."+d.kind.key()+"Confirm"), theme.WarningIcon(), d.doConfirm)
	d.confirm.Importance = widget.DangerImportance
	switch d.mode {
	case byEmail:
		d.code = u.newEntry()
		d.code.SetPlaceHolder(T("danger.code"))
		d.code.OnSubmitted = func(string) { d.doConfirm() }
		d.resend = u.button(T("danger.resend"), theme.MailSendIcon(), d.requestCode)
		d.resend.Importance = widget.LowImportance
		objs = append(objs, wrapped(T("danger.codeExplain", map[string]any{"Email": d.client.Email()})),
			container.NewBorder(nil, nil, nil, d.resend, d.code))
		act = append(act, d.code, d.resend)
	case byAccountPassword:
		d.accountPW = d.secret(T("account.password"))
		d.accountPW.OnSubmitted = d.doConfirm
		d.forgot = widget.NewHyperlink(T("danger.forgotAccountPassword"), nil)
		d.forgot.OnTapped = func() { d.open(d.client.URL("/portal/forgot")) }
		objs = append(objs, widget.NewLabelWithStyle(T("danger.accountPasswordStep"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
			d.accountPW, d.forgot)
	case byMasterPassword:
		objs = append(objs, wrapped(T("danger.masterExplain")))
	}
	if d.needsMaster() {
		d.master = d.secret(T("danger.masterPassword"))
		d.master.OnSubmitted = d.doConfirm
		objs = append(objs, d.master)
	}
	if d.kind == dangerReset {
		d.pair = newPasswordPair(u, T("change.new"), T("change.repeat"))
		d.pair.pw2.OnSubmitted = d.doConfirm
		objs = append(objs, widget.NewSeparator())
		objs = append(objs, d.pair.objects()...)
		objs = append(objs, d.pair.message)
	}
	d.step(objs, append(act, d.confirm), d.cancelButton(), d.confirm)
}

// needsMaster: replacing and clearing the cloud re-protect the key for a new key epoch,
// and clearing a vault with no account is confirmed with it.
func (d *dangerDialog) needsMaster() bool {
	return d.kind == dangerReplace || (d.kind == dangerClear && (d.mode == byEmail || d.mode == byMasterPassword))
}

// open opens a page of the account website in the browser.
func (d *dangerDialog) open(u string) {
	if err := d.u.ctrl.openURL(u); err != nil {
		d.fail(errorText(err))
	}
}

// requestCode e-mails a (new) code for the action.
func (d *dangerDialog) requestCode() {
	if d.busy {
		return
	}
	d.setBusy(true)
	var sent *api.ActionCodeResponse
	var err error
	d.u.ctrl.background(func(ctx context.Context) {
		sent, err = d.client.RequestActionCode(ctx, d.kind.action())
	}, func() {
		if d.closed {
			return
		}
		d.setBusy(false)
		if err != nil {
			d.fail(syncErrorText(err))
			return
		}
		d.note(T("danger.codeSent", map[string]any{"Email": sent.SentTo}), widget.SuccessImportance)
	})
}

// doConfirm checks what was typed, then confirms and performs the action in the
// background.
func (d *dangerDialog) doConfirm() {
	if d.busy || d.result != "" {
		return
	}
	var code string
	var accountPW, master, newPW []byte
	switch {
	case d.mode == byEmail && d.token == "" && d.code.Text == "":
		d.fail(T("danger.needCode"))
		return
	case d.mode == byAccountPassword && d.challenge == "" && d.accountPW.Len() == 0:
		d.fail(T("danger.needAccountPassword"))
		return
	case d.challenge != "" && d.sms.Text == "":
		d.fail(T("danger.needCode"))
		return
	case d.master != nil && d.master.Len() == 0:
		d.fail(T("unlock.empty"))
		return
	}
	if d.pair != nil {
		if newPW = d.pair.take(); newPW == nil {
			return
		}
	}
	if d.code != nil {
		code = d.code.Text
	}
	if d.accountPW != nil && d.challenge == "" {
		accountPW = d.accountPW.Bytes()
		d.accountPW.Wipe()
	}
	if d.master != nil {
		master = d.master.Bytes()
		d.master.Wipe()
	}
	smsCode := ""
	if d.sms != nil {
		smsCode = d.sms.Text
	}
	d.setBusy(true)
	// The runner must not push into a vault being cleared or replaced; done starts it
	// again.
	d.u.ctrl.stopSync()
	kind, mode, cl, token, challenge := d.kind, d.mode, d.client, d.token, d.challenge
	var out confirmOutcome
	d.u.ctrl.syncWork(func(ctx context.Context) error {
		defer wipe(accountPW)
		defer wipe(master)
		defer wipe(newPW)
		out = confirmAction(ctx, d.u.ctrl, kind, mode, cl, token, code, accountPW, challenge, smsCode, master)
		if out.err != nil || out.sms != nil {
			return out.err
		}
		out.res, out.err = d.u.ctrl.runDanger(ctx, kind, mode, cl, out.token, master, newPW)
		return out.err
	}, func(err error) {
		if err == nil {
			err = out.err
		}
		d.done(out, err)
	})
}

// confirmOutcome is what a confirmation and the action gave.
type confirmOutcome struct {
	token        string
	sms          *api.SMSChallenge // the account password was right; the SMS code is next
	providerOnly bool              // the account has no password to give
	res          dangerResult
	err          error
}

// confirmAction turns what the person typed into the action's token (byEmail, byAccountPassword)
// or checks the master password (byMasterPassword). It runs in the background.
func confirmAction(ctx context.Context, c *Controller, kind dangerKind, mode confirmMode, cl *account.Client, token, code string, accountPW []byte, challenge, smsCode string, master []byte) confirmOutcome {
	out := confirmOutcome{token: token}
	switch {
	case mode == byEmail && token == "":
		out.token, out.err = cl.ActionToken(ctx, kind.action(), code)
	case mode == byAccountPassword && challenge != "":
		var r *api.ActionTokenResponse
		if r, out.err = cl.Reauth(ctx, api.ReauthRequest{Action: kind.action(), ChallengeID: challenge, SMSCode: smsCode}); out.err == nil {
			out.token = r.ActionToken
		}
	case mode == byAccountPassword:
		r, err := cl.Reauth(ctx, api.ReauthRequest{Action: kind.action(), Password: string(accountPW)})
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
	if out.err != nil || out.sms != nil || master == nil {
		return out
	}
	c.mu.Lock()
	v := c.v
	c.mu.Unlock()
	if v == nil {
		out.err = vault.ErrNoVault
		return out
	}
	// Checked before anything is deleted: clearing the cloud uploads the empty vault
	// again with it, and a typo there would leave the cloud empty.
	out.err = checkMasterPassword(v, master)
	return out
}

// done shows the outcome of doConfirm.
func (d *dangerDialog) done(out confirmOutcome, err error) {
	if out.token != "" {
		d.token = out.token
	}
	if out.res.nv != nil {
		d.u.ctrl.swapVault(out.res.nv) // starts syncing the new vault
	} else {
		d.u.ctrl.startSync() // stopped while the action ran
	}
	if d.closed {
		return
	}
	d.setBusy(false)
	switch {
	case out.sms != nil:
		d.smsStep(out.sms)
		return
	case out.providerOnly:
		d.providerStep()
		return
	case err != nil:
		if out.res.backup != "" {
			d.fail(T("danger.failedAfterBackup", map[string]any{"Reason": syncErrorText(err), "Path": out.res.backup}))
			return
		}
		if d.code != nil && d.token == "" && (errors.Is(err, account.ErrCodeWrong) || errors.Is(err, account.ErrCodeExpired)) {
			d.code.SetText("")
		}
		if errors.Is(err, account.ErrActionToken) {
			d.token = "" // used or expired: the next try trades a new code
		}
		d.fail(syncErrorText(err))
		return
	}
	backup := out.res.backup
	d.result = T("danger."+d.kind.key()+"Done", map[string]any{"Path": backup})
	if d.kind == dangerReset {
		// The new vault is open: the main window takes the unlock screen's place, and
		// the result is said over it.
		d.close()
		d.u.showStage()
		d.u.showMessage(T("danger.resetTitle"), d.result)
		return
	}
	d.u.afterVaultSwap()
	d.finish(d.result)
}

// smsStep asks for the SMS code of two-step verification after the account password.
func (d *dangerDialog) smsStep(ch *api.SMSChallenge) {
	d.challenge = ch.ChallengeID
	d.sms = d.u.newEntry()
	d.sms.SetPlaceHolder(T("danger.smsCode"))
	d.sms.OnSubmitted = func(string) { d.doConfirm() }
	objs := []fyne.CanvasObject{
		widget.NewLabelWithStyle(T("danger.accountPasswordStep"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		wrapped(T("danger.smsExplain", map[string]any{"Phone": ch.PhoneHint})), d.sms,
	}
	d.step(objs, []fyne.Disableable{d.sms, d.confirm}, d.cancelButton(), d.confirm)
	d.u.win.Canvas().Focus(d.sms)
}

// providerStep explains "The password is incorrect" for an account that signs in with
// Google, Apple… and has no Valv Account password (seed 002): set one through Forgot
// your password? or on the website (Choose password), then enter it here.
func (d *dangerDialog) providerStep() {
	d.website = d.u.button(T("danger.openWebsite"), theme.ComputerIcon(), func() { d.open(d.client.URL("/portal")) })
	objs := []fyne.CanvasObject{
		widget.NewLabelWithStyle(T("danger.accountPasswordStep"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		wrapped(T("danger.providerOnly")),
		wrapped(T("danger.providerSteps")),
		d.forgot, d.website, d.accountPW,
	}
	d.step(objs, []fyne.Disableable{d.confirm}, d.cancelButton(), d.confirm)
	d.fail(T("accountError.wrongPassword"))
}

// syncSection is Settings → Sync: sync on or off, and the dangerous actions.
type syncSection struct {
	u       *UI
	info    *widget.Label
	enabled *widget.Check
	replace *widget.Button
	clear   *widget.Button
	reset   *widget.Button
}

func newSyncSection(u *UI) *syncSection {
	s := &syncSection{u: u}
	st, _ := u.ctrl.SyncInfo()
	cl := u.ctrl.signedInClient()
	s.info = wrapped("")
	switch {
	case st.Linked:
		s.info.SetText(T("sync.linkedTo", map[string]any{"Email": st.Account}))
	case cl != nil:
		s.info.SetText(T("sync.notLinkedYet"))
	default:
		s.info.SetText(T("sync.notLinked"))
	}
	s.enabled = widget.NewCheck(T("sync.enabled"), nil)
	s.enabled.SetChecked(cl != nil && (!st.Linked || st.Enabled))
	s.enabled.OnChanged = func(on bool) {
		u.ctrl.Touch()
		if err := u.ctrl.SetSyncEnabled(on); err != nil {
			u.showError(err)
		}
	}
	if cl == nil {
		s.enabled.Disable()
	}
	s.replace = u.button(T("danger.replaceButton"), theme.UploadIcon(), func() { showDanger(u, dangerReplace) })
	s.clear = u.button(T("danger.clearButton"), theme.DeleteIcon(), func() { showDanger(u, dangerClear) })
	s.reset = u.button(T("danger.resetButton"), theme.WarningIcon(), func() { showDanger(u, dangerReset) })
	for _, b := range []*widget.Button{s.replace, s.clear, s.reset} {
		b.Importance = widget.LowImportance
	}
	if cl == nil {
		s.replace.Hide()
	}
	u.syncUI.section = s
	return s
}

func (s *syncSection) loadUI() fyne.CanvasObject {
	return container.NewVBox(
		widget.NewLabelWithStyle(T("sync.settingsTitle"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		s.info, s.enabled,
		widget.NewLabelWithStyle(T("danger.settingsTitle"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		container.NewHBox(s.replace, s.clear, s.reset),
	)
}
