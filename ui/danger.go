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
	"github.com/valvpm/valv/ui/appcore"
)

// The dialogs of the dangerous actions; appcore/danger.go decides how each is
// confirmed and performs it.

// dangerDialog confirms and performs one dangerous action, step by step in one window.
type dangerDialog struct {
	*stepDialog
	kind   appcore.DangerKind
	mode   appcore.ConfirmMode
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
func showDanger(u *UI, kind appcore.DangerKind) *dangerDialog {
	mode, cl, err := u.ctrl.ConfirmModeFor(kind)
	if err != nil {
		u.showMessage(T("danger."+kind.Key()+"Title"), T("danger.signInFirst"))
		return nil
	}
	d := &dangerDialog{stepDialog: newStepDialog(u, T("danger."+kind.Key()+"Title")), kind: kind, mode: mode, client: cl}
	d.dlg.SetOnClosed(func() {
		if d.pair != nil {
			d.pair.wipe()
		}
	})
	u.syncUI.danger = d
	d.confirmStep()
	d.show()
	if mode == appcore.ByEmail {
		d.requestCode()
	}
	return d
}

// confirmStep is the first page: what will happen, and what confirms it.
func (d *dangerDialog) confirmStep() {
	u := d.u
	objs := []fyne.CanvasObject{wrapped(T("danger." + d.kind.Key() + "Explain")), wrapped(T("danger.backupNote"))}
	var act []fyne.Disableable
	d.confirm = u.button(T("danger."+d.kind.Key()+"Confirm"), theme.WarningIcon(), d.doConfirm)
	d.confirm.Importance = widget.DangerImportance
	switch d.mode {
	case appcore.ByEmail:
		d.code = u.newEntry()
		d.code.SetPlaceHolder(T("danger.code"))
		d.code.OnSubmitted = func(string) { d.doConfirm() }
		d.resend = u.button(T("danger.resend"), theme.MailSendIcon(), d.requestCode)
		d.resend.Importance = widget.LowImportance
		objs = append(objs, wrapped(T("danger.codeExplain", map[string]any{"Email": d.client.Email()})),
			container.NewBorder(nil, nil, nil, d.resend, d.code))
		act = append(act, d.code, d.resend)
	case appcore.ByAccountPassword:
		d.accountPW = d.secret(T("account.password"))
		d.accountPW.OnSubmitted = d.doConfirm
		d.forgot = widget.NewHyperlink(T("danger.forgotAccountPassword"), nil)
		d.forgot.OnTapped = func() { d.open(d.client.URL("/portal/forgot")) }
		objs = append(objs, widget.NewLabelWithStyle(T("danger.accountPasswordStep"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
			d.accountPW, d.forgot)
	case appcore.ByMasterPassword:
		objs = append(objs, wrapped(T("danger.masterExplain")))
	}
	if d.needsMaster() {
		d.master = d.secret(T("danger.masterPassword"))
		d.master.OnSubmitted = d.doConfirm
		objs = append(objs, d.master)
	}
	if d.kind == appcore.DangerReset {
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
	return d.kind == appcore.DangerReplace || (d.kind == appcore.DangerClear && (d.mode == appcore.ByEmail || d.mode == appcore.ByMasterPassword))
}

// open opens a page of the account website in the browser.
func (d *dangerDialog) open(u string) {
	if err := d.u.ctrl.OpenURL(u); err != nil {
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
	d.u.ctrl.Background(func(ctx context.Context) {
		sent, err = d.client.RequestActionCode(ctx, d.kind.Action())
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
	case d.mode == appcore.ByEmail && d.token == "" && d.code.Text == "":
		d.fail(T("danger.needCode"))
		return
	case d.mode == appcore.ByAccountPassword && d.challenge == "" && d.accountPW.Len() == 0:
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
	d.u.ctrl.StopSync()
	kind, mode, cl, token, challenge := d.kind, d.mode, d.client, d.token, d.challenge
	var out appcore.ConfirmOutcome
	d.u.ctrl.SyncWork(func(ctx context.Context) error {
		defer appcore.Wipe(accountPW)
		defer appcore.Wipe(master)
		defer appcore.Wipe(newPW)
		out = d.u.ctrl.ConfirmAction(ctx, kind, mode, cl, token, code, accountPW, challenge, smsCode, master)
		if out.Err != nil || out.SMS != nil {
			return out.Err
		}
		out.Res, out.Err = d.u.ctrl.RunDanger(ctx, kind, mode, cl, out.Token, master, newPW)
		return out.Err
	}, func(err error) {
		if err == nil {
			err = out.Err
		}
		d.done(out, err)
	})
}

// done shows the outcome of doConfirm.
func (d *dangerDialog) done(out appcore.ConfirmOutcome, err error) {
	if out.Token != "" {
		d.token = out.Token
	}
	if out.Res.NV != nil {
		d.u.ctrl.SwapVault(out.Res.NV) // starts syncing the new vault
	} else {
		d.u.ctrl.StartSync() // stopped while the action ran
	}
	if d.closed {
		return
	}
	d.setBusy(false)
	switch {
	case out.SMS != nil:
		d.smsStep(out.SMS)
		return
	case out.ProviderOnly:
		d.providerStep()
		return
	case err != nil:
		if out.Res.Backup != "" {
			d.fail(T("danger.failedAfterBackup", map[string]any{"Reason": syncErrorText(err), "Path": out.Res.Backup}))
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
	backup := out.Res.Backup
	d.result = T("danger."+d.kind.Key()+"Done", map[string]any{"Path": backup})
	if d.kind == appcore.DangerReset {
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
	cl := u.ctrl.SignedInClient()
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
	s.replace = u.button(T("danger.replaceButton"), theme.UploadIcon(), func() { showDanger(u, appcore.DangerReplace) })
	s.clear = u.button(T("danger.clearButton"), theme.DeleteIcon(), func() { showDanger(u, appcore.DangerClear) })
	s.reset = u.button(T("danger.resetButton"), theme.WarningIcon(), func() { showDanger(u, appcore.DangerReset) })
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
