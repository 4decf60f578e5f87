package ui

import (
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/valvpm/valv/browser"
	"github.com/valvpm/valv/ui/appcore"
)

// browserUI is what the browser extension puts on screen: the pairing question, the
// note over the unlock screen, and Settings → Browsers (browsersettings.go).
type browserUI struct {
	pairing *pairingDialog   // the pairing dialog shown last
	note    *widget.Label    // "a browser asks to fill", over the unlock screen
	noteOn  *unlockScreen    // the unlock screen the note was put over
	section *browsersSection // Settings → Browsers, while the settings are open
	// hosts is where Install writes the browsers' manifests (tests set a temporary home).
	hosts appcore.HostOptions
}

// StartBrowser starts answering Valv's browser extension on browser.SocketPath; call it
// once the window exists (cmd/valv does, before ShowAndRun). When it cannot, the app
// runs without autofill and Settings → Browsers says why.
func (u *UI) StartBrowser() {
	u.startBrowser(browser.SocketPath())
}

func (u *UI) startBrowser(socket string) {
	err := u.ctrl.StartBrowser(appcore.BrowserOptions{
		Socket:     socket,
		AskPairing: u.askPairing,
		ShowUnlock: u.showUnlockForBrowser,
		BrowsersChanged: func() {
			if u.browser.section != nil {
				u.browser.section.refresh()
			}
		},
	})
	switch {
	case errors.Is(err, appcore.ErrPairingsReset):
		u.showMessage(T("browser.settings.title"), say(appcore.BrowserMessage(err)))
	case err != nil:
		fyne.LogError("browser autofill is off", err)
	}
}

// StopBrowser stops answering the extension (on quit).
func (u *UI) StopBrowser() {
	if err := u.ctrl.StopBrowser(); err != nil {
		fyne.LogError("stopping browser autofill", err)
	}
}

// pairingDialog asks "Connect this browser to Valv?" with the code the extension shows
// too (PRODUCT.md §5). Only Approve pairs; Refuse, Esc, a lock or the browser going
// away all refuse.
type pairingDialog struct {
	u        *UI
	dlg      *dialog.CustomDialog
	code     *widget.Label
	approve  *widget.Button
	refuse   *widget.Button
	answer   func(bool)
	answered bool
}

// askPairing shows the dialog and brings the window forward, since the person is in
// the browser when it asks.
func (u *UI) askPairing(p browser.PairingPrompt, answer func(bool)) (dismiss func()) {
	d := &pairingDialog{u: u, answer: answer}
	d.dlg = dialog.NewCustomWithoutButtons(T("browser.pair.title"), d.loadUI(p), u.win)
	d.dlg.SetButtons([]fyne.CanvasObject{d.refuse, d.approve})
	u.browser.pairing = d
	u.showDialog(d.dlg)
	d.dlg.SetOnClosed(func() {
		u.forgetDialog(d.dlg)
		d.finish(false)
	})
	u.win.Show()
	u.win.RequestFocus()
	return d.dlg.Hide
}

func (d *pairingDialog) loadUI(p browser.PairingPrompt) fyne.CanvasObject {
	body := wrapped(T("browser.pair.body", map[string]any{"Name": p.Name}))
	d.code = widget.NewLabelWithStyle(p.Code, fyne.TextAlignCenter, fyne.TextStyle{Bold: true, Monospace: true})
	d.code.SizeName = theme.SizeNameHeadingText
	d.approve = d.u.button(T("browser.pair.approve"), theme.ConfirmIcon(), func() { d.finish(true) })
	d.approve.Importance = widget.HighImportance
	d.refuse = d.u.button(T("browser.pair.refuse"), theme.CancelIcon(), func() { d.finish(false) })
	return ofWidth(400, body.MinSize().Height*3+d.code.MinSize().Height, container.NewVBox(body, d.code))
}

// finish answers once and closes the dialog.
func (d *pairingDialog) finish(ok bool) {
	if d.answered {
		return
	}
	d.answered = true
	d.answer(ok)
	d.dlg.Hide()
}

// showUnlockForBrowser brings the window forward on the unlock screen, with a line
// that says why: a browser waits for a fill, which goes on after unlock.
func (u *UI) showUnlockForBrowser() {
	if !u.ctrl.Locked() {
		return
	}
	u.win.Show()
	u.win.RequestFocus()
	s := u.unlock
	if s == nil || u.browser.noteOn == s {
		return
	}
	u.browser.note = wrapped(T("browser.unlock.request"))
	u.browser.note.Alignment = fyne.TextAlignCenter
	u.browser.note.Importance = widget.HighImportance
	u.browser.noteOn = s
	// The screen is rebuilt at the next stage, which drops the note with it.
	u.win.SetContent(container.NewBorder(container.NewPadded(u.browser.note), nil, nil, nil, u.win.Content()))
	u.win.Canvas().Focus(s.pw)
}
