package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	cloudsync "github.com/valvpm/valv/sync"
	"github.com/valvpm/valv/ui/appcore"
)

// syncUI holds the sync views opened last, for tests.
type syncUI struct {
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
	l.syncNow = u.button(T("sync.now"), theme.ViewRefreshIcon(), func() {
		if st, _ := u.ctrl.SyncInfo(); st.Linked && !st.Enabled {
			// Nothing would happen: say why instead.
			u.showMessage(T("sync.offTitle"), T("sync.offNow"))
			return
		}
		u.ctrl.SyncNow()
	})
	l.syncNow.Importance = widget.LowImportance
	l.resolve = u.button(T("sync.resolve"), theme.WarningIcon(), func() { l.openProblem(l.status, true) })
	l.resolve.Importance = widget.WarningImportance
	l.resolve.Hide()
	l.box = container.NewBorder(nil, nil, l.icon, container.NewHBox(l.syncNow, l.resolve), l.label)
	u.syncUI.line = l
	l.update(u.ctrl.ListenSync(func(st cloudsync.Status) {
		if l.u.main == l.main { // a rebuilt or locked window has its own line
			l.update(st)
			if d := l.main.detail; d != nil && d.files != nil {
				d.files.refreshSync() // after a round the files shown may have moved
			}
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
	l.label.SetText(l.text(st))
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
	if appcore.Resolvable(st) {
		l.resolve.Show()
	} else {
		l.resolve.Hide()
	}
	l.openProblem(st, false)
	if n := appcore.NewConflicts(prev, st); n > 0 {
		l.u.showMessage(T("sync.conflictsTitle"), T("sync.conflicts", map[string]any{"Count": n}))
	}
}

// text is the line's sentence for st.
func (l *syncLine) text(st cloudsync.Status) string {
	return say(appcore.StatusMessage(st, l.u.ctrl.Clock().Now()))
}

// openProblem opens the dialog for st's problem when appcore.ProblemToOpen says so
// (asked: the person tapped What to do…).
func (l *syncLine) openProblem(st cloudsync.Status, asked bool) {
	if asked && st.State == cloudsync.StateError && appcore.ProblemOf(st) == appcore.NoProblem {
		// A refusal (a rolled-back or broken cloud) has no choice to make: say it in
		// full, as the line may have shortened it.
		l.u.showMessage(T("sync.settingsTitle"), l.text(st))
		return
	}
	switch l.u.ctrl.ProblemToOpen(st, asked) {
	case appcore.ProblemPassword:
		showPasswordChanged(l.u)
	case appcore.ProblemOtherVault:
		showLinkChoice(l.u)
	case appcore.ProblemReplaced:
		showReplacedElsewhere(l.u, false)
	case appcore.ProblemWiped:
		showReplacedElsewhere(l.u, true)
	case appcore.ProblemNeedMaster:
		showLinkPassword(l.u)
	}
}
