package ui

import (
	"errors"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/valvpm/valv/account"
	cloudsync "github.com/valvpm/valv/sync"
	"github.com/valvpm/valv/ui/appcore"
	"github.com/valvpm/valv/vault"
)

// syncUI is the sync part of the UI's state: the problem whose dialog was opened last
// (so it opens once), and the dialogs opened last, for tests.
type syncUI struct {
	asked    string
	line     *syncLine
	password *passwordDialog
	choice   *linkChoice
	danger   *dangerDialog
	section  *syncSection
}

// syncLine is the main window's sync status, beside the account control at the bottom:
// synced (and when), syncing, offline or stopped (and why), with Sync now, and What to
// do… when the person must choose something. Problems that need a choice also open
// their dialog once by themselves.
type syncLine struct {
	u       *UI
	main    *mainScreen
	box     *fyne.Container
	icon    *widget.Icon
	label   *widget.Label
	syncNow *widget.Button
	resolve *widget.Button
	status  cloudsync.Status
}

// newSyncLine returns the status line of main, or nil when no account is signed in
// (the account control then says how to enable sync, and nothing else is needed).
func newSyncLine(u *UI, main *mainScreen) *syncLine {
	if !u.ctrl.SignedIn() {
		return nil
	}
	l := &syncLine{u: u, main: main}
	l.icon = widget.NewIcon(theme.ViewRefreshIcon())
	l.label = widget.NewLabel("")
	l.label.SizeName = theme.SizeNameCaptionText
	l.label.Truncation = fyne.TextTruncateEllipsis
	l.syncNow = u.button(T("sync.now"), theme.ViewRefreshIcon(), u.ctrl.SyncNow)
	l.syncNow.Importance = widget.LowImportance
	l.resolve = u.button(T("sync.resolve"), theme.WarningIcon(), func() { l.openProblem(l.status, true) })
	l.resolve.Importance = widget.WarningImportance
	l.resolve.Hide()
	l.box = container.NewBorder(nil, nil, l.icon, container.NewHBox(l.syncNow, l.resolve), l.label)
	u.syncUI.line = l
	l.update(u.ctrl.ListenSync(func(st cloudsync.Status) {
		if l.u.main == l.main { // a rebuilt or locked window has its own line
			l.update(st)
		}
	}))
	return l
}

// objects is the line for the middle of the bottom bar, where it gets the width the
// account control and the count leave (a long reason is shortened there; What to do…
// says it in full). No line: nothing, so the window of someone not signed in is as it
// was.
func (l *syncLine) objects() []fyne.CanvasObject {
	if l == nil {
		return nil
	}
	return []fyne.CanvasObject{l.box}
}

// update shows st, and opens the dialog of a problem that needs the person.
func (l *syncLine) update(st cloudsync.Status) {
	prev := l.status
	l.status = st
	l.label.SetText(syncStatusText(st))
	l.label.Importance = widget.MediumImportance
	switch st.State {
	case cloudsync.StateSynced:
		l.icon.SetResource(theme.ConfirmIcon())
	case cloudsync.StateSyncing:
		l.icon.SetResource(theme.ViewRefreshIcon())
	case cloudsync.StateOffline:
		l.icon.SetResource(theme.MediaPauseIcon())
		l.label.Importance = widget.WarningImportance
	case cloudsync.StateError:
		l.icon.SetResource(theme.ErrorIcon())
		l.label.Importance = widget.DangerImportance
	default:
		l.icon.SetResource(theme.CancelIcon())
	}
	l.label.Refresh()
	if st.State == cloudsync.StateSyncing {
		l.syncNow.Disable()
	} else {
		l.syncNow.Enable()
	}
	if problemOf(st) != "" || st.State == cloudsync.StateError {
		l.resolve.Show()
	} else {
		l.resolve.Hide()
	}
	l.openProblem(st, false)
	// Both versions of an item changed on two devices are kept; say so once, when the
	// sync that found them has finished.
	if st.State == cloudsync.StateSynced && prev.State != cloudsync.StateSynced && st.Last.Applied.Conflicts > 0 {
		l.u.showMessage(T("sync.conflictsTitle"), T("sync.conflicts", map[string]any{"Count": st.Last.Applied.Conflicts}))
	}
}

// problemOf names the choice st asks of the person, or "".
func problemOf(st cloudsync.Status) string {
	switch {
	case st.PasswordChanged:
		return "password"
	case st.State != cloudsync.StateError:
		return ""
	case errors.Is(st.Err, cloudsync.ErrOtherVault):
		return "other"
	case errors.Is(st.Err, cloudsync.ErrReplaced):
		return "replaced"
	case errors.Is(st.Err, cloudsync.ErrCloudWiped):
		return "wiped"
	case errors.Is(st.Err, appcore.ErrNeedMasterPassword):
		return "master"
	}
	return ""
}

// openProblem opens the dialog for st's problem: always when asked (What to do…),
// otherwise once per problem until sync is well again, so a runner reporting the same
// problem every few minutes does not keep opening it.
func (l *syncLine) openProblem(st cloudsync.Status, asked bool) {
	p := problemOf(st)
	if p == "" && asked && st.State == cloudsync.StateError {
		// A refusal (a rolled-back or broken cloud) has no choice to make: say it in
		// full, as the line may have shortened it.
		l.u.showMessage(T("sync.settingsTitle"), syncStatusText(st))
		return
	}
	seen := l.u.syncUI.asked
	if p != "" || st.State == cloudsync.StateSynced {
		l.u.syncUI.asked = p
	}
	if p == "" || (!asked && p == seen) {
		return
	}
	switch p {
	case "password":
		showPasswordChanged(l.u)
	case "other":
		showLinkChoice(l.u)
	case "replaced", "wiped":
		showReplacedElsewhere(l.u, p == "wiped")
	case "master":
		showLinkPassword(l.u)
	}
}

// syncStatusText is the status line's sentence.
func syncStatusText(st cloudsync.Status) string {
	switch st.State {
	case cloudsync.StateSyncing:
		return T("sync.syncing")
	case cloudsync.StateSynced:
		if st.PasswordChanged {
			return T("sync.passwordChangedShort")
		}
		return T("sync.synced", map[string]any{"Time": syncTime(st.LastSync)})
	case cloudsync.StateOffline:
		if st.Pending > 0 {
			return T("sync.offlinePending", map[string]any{"Count": st.Pending})
		}
		return T("sync.offline")
	case cloudsync.StateError:
		return T("sync.error", map[string]any{"Reason": syncErrorText(st.Err)})
	case cloudsync.StateIdle:
		return T("sync.idle")
	}
	return T("sync.off")
}

// syncTime is when the last sync was: the time today, else the date and time.
func syncTime(t time.Time) string {
	if t.IsZero() {
		return T("sync.never")
	}
	t = t.Local()
	if y, m, d := t.Date(); y == time.Now().Year() && m == time.Now().Month() && d == time.Now().Day() {
		return t.Format("15:04")
	}
	return t.Format("2006-01-02 15:04")
}

// syncErrors are the sync engine's outcomes a person reads as a sentence. The server
// checks (rolled back, corrupt, unreadable header) say that nothing was changed: the
// engine refuses such a cloud before it touches the vault.
var syncErrors = []struct {
	err error
	key string
}{
	{cloudsync.ErrOtherVault, "sync.errOtherVault"},
	{cloudsync.ErrReplaced, "sync.errReplaced"},
	{cloudsync.ErrCloudWiped, "sync.errWiped"},
	{cloudsync.ErrRolledBack, "sync.errRolledBack"},
	{vault.ErrRemoteCorrupt, "sync.errCorrupt"},
	{cloudsync.ErrBadHeader, "sync.errBadHeader"},
	{appcore.ErrNeedMasterPassword, "sync.errNeedPassword"},
	{appcore.ErrOtherAccount, "sync.errOtherAccount"},
	{account.ErrActionToken, "danger.errToken"},
}

// syncErrorText is errorText with the sync engine's sentences first.
func syncErrorText(err error) string {
	for _, e := range syncErrors {
		if errors.Is(err, e.err) {
			return T(e.key)
		}
	}
	if appcore.IsOffline(err) {
		if s, ok := accountErrorText(err); ok {
			return s
		}
		return T("sync.errOffline")
	}
	return errorText(err)
}

// stepDialog is a dialog that walks through steps in one window (enter a code, then a
// password, then the result), with one message line and a busy indicator. Its secret
// entries are wiped when it closes, however it closes.
type stepDialog struct {
	u        *UI
	dlg      *dialog.CustomDialog
	box      *fyne.Container
	message  *widget.Label
	progress *widget.ProgressBarInfinite
	actions  []fyne.Disableable
	secrets  []*SecretEntry
	busy     bool
	closed   bool
	onClosed func() // what the dialog built on this one does when it closes
}

func newStepDialog(u *UI, title string) *stepDialog {
	d := &stepDialog{u: u, box: container.NewVBox()}
	d.message = errorLabel()
	d.progress = busyBar()
	d.dlg = dialog.NewCustomWithoutButtons(title, container.NewVBox(d.box, d.message, d.progress), u.win)
	d.dlg.Resize(fyne.NewSize(500, 0))
	d.dlg.SetOnClosed(func() {
		d.closed = true
		for _, s := range d.secrets {
			s.Wipe()
		}
		if d.onClosed != nil {
			d.onClosed()
		}
	})
	return d
}

// secret returns a password entry the dialog wipes when it closes.
func (d *stepDialog) secret(placeholder string) *SecretEntry {
	e := d.u.newSecretEntry(placeholder)
	e.OnChanged = func() { d.u.ctrl.Touch(); d.message.Hide() }
	d.secrets = append(d.secrets, e)
	return e
}

// step shows objs with buttons (the last is the main one); act lists what a running
// call disables.
func (d *stepDialog) step(objs []fyne.CanvasObject, act []fyne.Disableable, buttons ...fyne.CanvasObject) {
	d.box.Objects = objs
	d.box.Refresh()
	d.actions = act
	d.message.Hide()
	d.dlg.SetButtons(buttons)
	relayout(d.box)
}

// show opens the dialog on the window's stack (Esc closes it).
func (d *stepDialog) show() { d.u.showDialog(d.dlg) }

// close hides the dialog.
func (d *stepDialog) close() { d.dlg.Hide() }

// fail shows msg in the message line ("" hides it).
func (d *stepDialog) fail(msg string) { d.note(msg, widget.DangerImportance) }

func (d *stepDialog) note(msg string, imp widget.Importance) {
	if msg == "" {
		d.message.Hide()
	} else {
		d.message.Importance = imp
		d.message.SetText(msg)
		d.message.Show()
	}
	relayout(d.message)
}

// setBusy disables the step's actions and shows the busy indicator while a call runs.
func (d *stepDialog) setBusy(on bool) {
	d.busy = on
	for _, a := range d.actions {
		if on {
			a.Disable()
		} else {
			a.Enable()
		}
	}
	if on {
		d.message.Hide()
		d.progress.Show()
		d.progress.Start()
	} else {
		d.progress.Stop()
		d.progress.Hide()
	}
	relayout(d.progress)
}

// cancelButton closes the dialog.
func (d *stepDialog) cancelButton() *widget.Button {
	return d.u.button(T("button.cancel"), theme.CancelIcon(), d.close)
}

// finish replaces the steps with the outcome and an OK button.
func (d *stepDialog) finish(msg string) {
	ok := d.u.button(T("button.ok"), theme.ConfirmIcon(), d.close)
	ok.Importance = widget.HighImportance
	d.step([]fyne.CanvasObject{wrapped(msg)}, nil, ok)
}

// passwordDialog is a dialog asking for one password with an explanation; submit gets
// the password (which it must wipe) and reports back through the dialog.
type passwordDialog struct {
	*stepDialog
	pw     *SecretEntry
	submit *widget.Button
}

func showPasswordDialog(u *UI, title, explain, placeholder, action string, submit func(d *passwordDialog, pw []byte)) *passwordDialog {
	d := &passwordDialog{stepDialog: newStepDialog(u, title)}
	d.pw = d.secret(placeholder)
	run := func() {
		if d.busy {
			return
		}
		if d.pw.Len() == 0 {
			d.fail(T("unlock.empty"))
			return
		}
		pw := d.pw.Bytes()
		d.pw.Wipe()
		d.setBusy(true)
		submit(d, pw)
	}
	d.pw.OnSubmitted = run
	d.submit = u.button(action, theme.ConfirmIcon(), run)
	d.submit.Importance = widget.HighImportance
	d.step([]fyne.CanvasObject{wrapped(explain), d.pw}, []fyne.Disableable{d.submit}, d.cancelButton(), d.submit)
	u.syncUI.password = d
	d.show()
	u.win.Canvas().Focus(d.pw)
	return d
}

// done ends a call: the outcome message on success, the reason on failure.
func (d *passwordDialog) done(err error, success string) {
	if d.closed {
		return
	}
	d.setBusy(false)
	if err != nil {
		d.fail(syncErrorText(err))
		d.u.win.Canvas().Focus(d.pw)
		return
	}
	d.finish(success)
}

// showPasswordChanged asks for the master password changed on another device. Changes
// made here meanwhile stay and are synced: the vault key itself did not change.
func showPasswordChanged(u *UI) *passwordDialog {
	return showPasswordDialog(u, T("sync.passwordChangedTitle"), T("sync.passwordChanged"), T("sync.newMasterPassword"), T("sync.adopt"),
		func(d *passwordDialog, pw []byte) {
			u.ctrl.AdoptPassword(pw, func(err error) { d.done(err, T("sync.adopted")) })
		})
}

// showLinkPassword asks for the master password that linking this vault needs (the
// account had a vault before, so the key is re-protected for the next key epoch).
func showLinkPassword(u *UI) *passwordDialog {
	return showPasswordDialog(u, T("sync.linkTitle"), T("sync.errNeedPassword"), T("unlock.password"), T("sync.link"),
		func(d *passwordDialog, pw []byte) {
			u.ctrl.Link(pw, func(err error) { d.done(err, T("sync.linked")) })
		})
}

// showReplacedElsewhere is the way on after the cloud vault was replaced or reset on
// another device: this vault is kept as an encrypted backup and the cloud's comes down,
// opened with its master password (which may be a new one). When the cloud vault was
// cleared and not replaced, this vault is uploaded again instead.
func showReplacedElsewhere(u *UI, wiped bool) *passwordDialog {
	if wiped {
		return showPasswordDialog(u, T("sync.wipedTitle"), T("sync.wiped"), T("unlock.password"), T("sync.uploadAgain"),
			func(d *passwordDialog, pw []byte) {
				u.ctrl.Link(pw, func(err error) { d.done(err, T("sync.linked")) })
			})
	}
	return showPasswordDialog(u, T("sync.replacedTitle"), T("sync.replaced"), T("sync.cloudMasterPassword"), T("sync.download"),
		func(d *passwordDialog, pw []byte) {
			u.ctrl.KeepCloud(pw, func(backup string, err error) {
				if err == nil {
					u.afterVaultSwap()
				}
				d.done(err, T("sync.keptBackup", map[string]any{"Path": backup}))
			})
		})
}

// afterVaultSwap shows the vault that took the old one's place, keeping the dialog
// that reports it (showStage would close it).
func (u *UI) afterVaultSwap() {
	if u.main != nil {
		u.main.reload()
		return
	}
	u.showStage()
}

// linkChoice is linking case c: this device has a vault and the account has another in
// the cloud. Merge (both unlocked: the cloud one with its master password), keep the
// cloud vault (this one becomes a backup), or replace the cloud vault with this one (a
// dangerous action, confirmed by an e-mailed code).
type linkChoice struct {
	*stepDialog
	merge, keep, replace *widget.Button
	pw                   *SecretEntry   // the cloud vault's master password (second step)
	submit               *widget.Button // Merge or Keep on the second step
}

func showLinkChoice(u *UI) *linkChoice {
	c := &linkChoice{stepDialog: newStepDialog(u, T("sync.choiceTitle"))}
	c.merge = u.button(T("sync.merge"), theme.ContentAddIcon(), func() { c.askCloudPassword(true) })
	c.keep = u.button(T("sync.keepCloud"), theme.DownloadIcon(), func() { c.askCloudPassword(false) })
	c.replace = u.button(T("sync.replaceCloud"), theme.UploadIcon(), func() {
		c.close()
		showDanger(u, appcore.DangerReplace)
	})
	c.merge.Importance = widget.HighImportance
	c.replace.Importance = widget.DangerImportance
	c.step([]fyne.CanvasObject{
		wrapped(T("sync.choice")),
		c.merge, wrapped(T("sync.mergeExplain")),
		c.keep, wrapped(T("sync.keepCloudExplain")),
		c.replace, wrapped(T("sync.replaceCloudExplain")),
	}, nil, c.cancelButton())
	u.syncUI.choice = c
	c.show()
	return c
}

// askCloudPassword is the second step of merge and keep: the cloud vault's password.
func (c *linkChoice) askCloudPassword(merge bool) {
	pw := c.secret(T("sync.cloudMasterPassword"))
	c.pw = pw
	action := T("sync.keepCloud")
	if merge {
		action = T("sync.merge")
	}
	run := func() {
		if c.busy {
			return
		}
		if pw.Len() == 0 {
			c.fail(T("unlock.empty"))
			return
		}
		b := pw.Bytes()
		pw.Wipe()
		c.setBusy(true)
		u := c.u
		finish := func(err error, msg string) {
			if c.closed {
				return
			}
			c.setBusy(false)
			if err != nil {
				c.fail(syncErrorText(err))
				return
			}
			u.afterVaultSwap()
			c.finish(msg)
		}
		if merge {
			u.ctrl.Merge(b, func(backup string, added int, err error) {
				finish(err, T("sync.merged", map[string]any{"Count": added, "Path": backup}))
			})
		} else {
			u.ctrl.KeepCloud(b, func(backup string, err error) {
				finish(err, T("sync.keptBackup", map[string]any{"Path": backup}))
			})
		}
	}
	pw.OnSubmitted = run
	c.submit = c.u.button(action, theme.ConfirmIcon(), run)
	c.submit.Importance = widget.HighImportance
	c.step([]fyne.CanvasObject{wrapped(T("sync.cloudPasswordExplain")), pw}, []fyne.Disableable{c.submit}, c.cancelButton(), c.submit)
	c.u.win.Canvas().Focus(pw)
}

// afterConnect continues after the account windows' Continue (PRODUCT.md §3, issue 6's
// linking): with the vault unlocked, link it now (upload to an empty cloud, or ask when
// the cloud has another); with no vault on this device, offer the account's vault when
// it has one. A locked vault links when it is unlocked.
func (u *UI) afterConnect() {
	switch u.ctrl.Stage() {
	case appcore.StageUnlocked:
		u.ctrl.StartSync()
	case appcore.StageNoVault:
		if u.downloadOffered {
			return // once per run: "Not now" means a new vault here
		}
		u.downloadOffered = true
		u.ctrl.CloudVaultExists(func(exists bool, err error) {
			if err == nil && exists && u.create != nil {
				showDownload(u)
			}
		})
	}
}

// showDownload is linking case b: the account has a vault and this device none; it
// comes down and opens with its master password. Not now leaves the create screen,
// for a new vault (which, once the account is linked, asks what to do with two).
func showDownload(u *UI) *passwordDialog {
	d := showPasswordDialog(u, T("sync.downloadTitle"), T("sync.downloadExplain"), T("sync.cloudMasterPassword"), T("sync.download"),
		func(d *passwordDialog, pw []byte) {
			u.ctrl.DownloadVault(pw, func(err error) {
				if d.closed {
					return
				}
				d.setBusy(false)
				if err != nil {
					d.fail(syncErrorText(err))
					u.win.Canvas().Focus(d.pw)
					return
				}
				d.close()
				u.showStage()
			})
		})
	return d
}
