package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/valvpm/valv/account"
	"github.com/valvpm/valv/ui/appcore"
)

// dangerDialog is the dialog of a dangerous action (PRODUCT.md §4): what will happen,
// what confirms it (the e-mailed code, the account password and then the SMS code, or
// the master password), the new master password of a reset, and the result naming the
// backup. appcore.Danger decides each step; this draws it.
type dangerDialog struct {
	*stepDialog
	core *appcore.Danger

	code      *entry
	resend    *widget.Button
	sent      *widget.Label // the last code's news: a line of its own, kept while typing
	accountPW *SecretEntry
	forgot    *widget.Hyperlink
	website   *widget.Button
	sms       *entry
	master    *SecretEntry
	pair      *passwordPair
	confirm   *widget.Button
	result    string // the result message, once done
}

// showDanger opens the dialog of kind, or says why it cannot be done now.
func showDanger(u *UI, kind appcore.DangerKind) *dangerDialog {
	d := &dangerDialog{}
	core, err := u.ctrl.NewDanger(kind, d)
	if err != nil {
		u.showMessage(T("danger."+kind.Key()+"Title"), T("danger.signInFirst"))
		return nil
	}
	d.core = core
	d.stepDialog = newStepDialog(u, T("danger."+kind.Key()+"Title"))
	d.onClosed = func() {
		core.Close()
		if d.pair != nil {
			d.pair.wipe()
		}
	}
	u.syncUI.danger = d
	d.askStep()
	d.show()
	core.Start()
	return d
}

// askStep is the first page: what will happen, and what confirms it.
func (d *dangerDialog) askStep() {
	u, key, needs := d.u, d.core.Kind().Key(), d.core.Needs()
	objs := []fyne.CanvasObject{wrapped(T("danger." + key + "Explain")), wrapped(T("danger.backupNote"))}
	var act []fyne.Disableable
	d.sent = nil // the e-mailed code's, below; an SMS step has its own
	d.confirm = u.button(T("danger."+key+"Confirm"), theme.WarningIcon(), d.doConfirm)
	d.confirm.Importance = widget.DangerImportance
	switch d.core.Method() {
	case account.ByEmailCode:
		d.code = u.newEntry()
		d.code.SetPlaceHolder(T("danger.code"))
		d.code.OnSubmitted = func(string) { d.doConfirm() }
		d.resend = u.button(T("danger.resend"), theme.MailSendIcon(), d.core.RequestCode)
		d.resend.Importance = widget.LowImportance
		d.sent = sentLine()
		objs = append(objs, wrapped(T("danger.codeExplain", map[string]any{"Email": d.core.Email()})),
			container.NewBorder(nil, nil, nil, d.resend, d.code), d.sent)
		act = append(act, d.code, d.resend)
	case account.ByAccountPassword:
		d.accountPW = d.secret(T("account.password"))
		d.accountPW.OnSubmitted = d.doConfirm
		d.forgot = widget.NewHyperlink(T("danger.forgotAccountPassword"), nil)
		d.forgot.OnTapped = func() { d.open(d.core.ForgotURL()) }
		objs = append(objs, stepHeading(T("danger.accountPasswordStep")), d.accountPW, d.forgot)
	case account.ByMasterPassword:
		objs = append(objs, wrapped(T("danger.masterExplain")))
	}
	if needs.Master {
		d.master = d.secret(T("danger.masterPassword"))
		d.master.OnSubmitted = d.doConfirm
		objs = append(objs, d.master)
	}
	if needs.NewPassword {
		d.pair = newPasswordPair(u, T("change.new"), T("change.repeat"))
		d.pair.pw2.OnSubmitted = d.doConfirm
		objs = append(objs, widget.NewSeparator())
		objs = append(objs, d.pair.objects()...)
		objs = append(objs, d.pair.message)
	}
	d.step(objs, append(act, d.confirm), d.cancelButton(), d.confirm)
}

// sentLine is where the news of a sent code goes. Empty until then, it still takes
// its height, so the dialog does not grow and move when the news arrives.
func sentLine() *widget.Label {
	l := wrapped("")
	l.Importance = widget.SuccessImportance
	return l
}

// stepHeading is the bold line that names a step of the dialog.
func stepHeading(s string) *widget.Label {
	return widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}

// open opens a page of the account website in the browser.
func (d *dangerDialog) open(u string) {
	if err := d.core.Open(u); err != nil {
		d.fail(errorText(err))
	}
}

// doConfirm checks that what the step needs was typed, then hands it to the action.
func (d *dangerDialog) doConfirm() {
	if d.busy || d.result != "" {
		return
	}
	needs := d.core.Needs()
	switch {
	case needs.Code && d.code.Text == "", needs.SMSCode && d.sms.Text == "":
		d.fail(T("danger.needCode"))
		return
	case needs.AccountPassword && d.accountPW.Len() == 0:
		d.fail(T("danger.needAccountPassword"))
		return
	case needs.Master && d.master.Len() == 0:
		d.fail(T("unlock.empty"))
		return
	}
	var in appcore.DangerInput
	if needs.NewPassword {
		if in.NewPassword = d.pair.take(); in.NewPassword == nil {
			return
		}
	}
	if d.code != nil {
		in.Code = d.code.Text
	}
	if d.sms != nil {
		in.SMSCode = d.sms.Text
	}
	if needs.AccountPassword {
		in.AccountPassword = d.accountPW.Bytes()
		d.accountPW.Wipe()
	}
	if needs.Master {
		// The field keeps it until the core says it was wrong (Clear), or the dialog
		// closes: a wrong code must not cost the master password typed beside it.
		in.Master = d.master.Bytes()
	}
	d.core.Confirm(in)
}

// Busy shows a running call (appcore.DangerView).
func (d *dangerDialog) Busy(on bool) { d.setBusy(on) }

// Say shows the action's note on the message line (appcore.DangerView).
func (d *dangerDialog) Say(n appcore.DangerNote) {
	switch {
	case n.SentTo != "" && d.sent != nil:
		d.sent.SetText(T("danger.codeSent", map[string]any{"Email": n.SentTo}))
		d.fail("")
	case n.SMSSent && d.sent != nil:
		d.sent.SetText(T("sms.sent"))
		d.fail("")
	case n.Backup != "":
		d.fail(T("danger.failedAfterBackup", map[string]any{"Reason": errorText(n.Err), "Path": n.Backup}))
	case n.Err != nil:
		d.fail(errorText(n.Err))
	default:
		d.fail("")
	}
}

// Clear empties the field that was wrong (appcore.DangerView).
func (d *dangerDialog) Clear(f appcore.DangerField) {
	switch {
	case f == appcore.FieldCode && d.code != nil:
		d.code.SetText("")
	case f == appcore.FieldMaster && d.master != nil:
		d.master.Wipe()
	}
}

// Step shows the step the action moved to (appcore.DangerView).
func (d *dangerDialog) Step(s appcore.DangerStep) {
	switch s {
	case appcore.DangerAsk: // back to the start: the SMS code expired, or a token was spent
		d.askStep()
	case appcore.DangerSMS:
		d.smsStep()
	case appcore.DangerNoPassword:
		d.providerStep()
	case appcore.DangerDone:
		d.doneStep()
	}
}

// smsStep asks for the SMS code of two-step verification after the account password.
func (d *dangerDialog) smsStep() {
	d.sms = d.u.newEntry()
	d.sms.SetPlaceHolder(T("danger.smsCode"))
	d.sms.OnSubmitted = func(string) { d.doConfirm() }
	d.resend = d.u.button(T("sms.resend"), theme.MailSendIcon(), d.core.ResendSMS)
	d.resend.Importance = widget.LowImportance
	d.sent = sentLine()
	objs := []fyne.CanvasObject{
		stepHeading(T("sms.title")), // the password step is done: this one is the SMS
		wrapped(T("danger.smsExplain", map[string]any{"Phone": d.core.PhoneHint()})),
		container.NewBorder(nil, nil, nil, d.resend, d.sms), d.sent,
	}
	d.step(objs, []fyne.Disableable{d.sms, d.resend, d.confirm}, d.cancelButton(), d.confirm)
	d.u.win.Canvas().Focus(d.sms)
}

// providerStep explains "The password is incorrect" for an account that signs in with
// Google, Apple… and has no Valv Account password: set one through Forgot your
// password? or on the website (Choose password), then enter it here.
func (d *dangerDialog) providerStep() {
	d.website = d.u.button(T("danger.openWebsite"), theme.ComputerIcon(), func() { d.open(d.core.WebsiteURL()) })
	objs := []fyne.CanvasObject{
		stepHeading(T("danger.accountPasswordStep")),
		wrapped(T("danger.providerOnly")),
		wrapped(T("danger.providerSteps")),
		d.forgot, d.website, d.accountPW,
	}
	d.step(objs, []fyne.Disableable{d.confirm}, d.cancelButton(), d.confirm)
}

// doneStep says what the action did and where the backup is.
func (d *dangerDialog) doneStep() {
	key := "danger." + d.core.Kind().Key() + "Done"
	if d.core.Backup() == "" && d.core.Kind() == appcore.DangerReplace {
		key = "danger.replaceDoneNoCloud" // the account had no cloud vault to lose
	}
	d.result = T(key, map[string]any{"Path": d.core.Backup()})
	if d.master != nil {
		d.master.Wipe() // used: nothing more needs it
	}
	if d.core.Kind() == appcore.DangerReset {
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
