package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// The create screen is reached from Welcome (Run without connecting) or, with a
// session already in the keyring, directly at start. Either way the person can go
// back: offline, to Welcome; signed in, the screen names the account the new vault
// will sync with, with "Not you? Sign out".

// createWayBack is the create screen's line under its button: Back to Welcome, or who
// is connected and Sign out.
func (s *createScreen) createWayBack() fyne.CanvasObject {
	if email := s.u.ctrl.AccountEmail(); s.u.ctrl.SignedIn() && email != "" {
		s.signOut = s.u.button(T("create.notYou"), theme.LogoutIcon(), func() { s.u.signOut(nil) })
		s.signOut.Importance = widget.LowImportance
		return container.NewVBox(paragraph(T("create.connectedAs", map[string]any{"Email": email})), container.NewCenter(s.signOut))
	}
	s.back = s.u.button(T("account.back"), theme.NavigateBackIcon(), func() {
		st := s.u.ctrl.Settings()
		st.Offline = false // Welcome again: connect, or run without connecting
		if err := s.u.ctrl.UpdateSettings(st); err != nil {
			s.pair.fail(errorText(err))
			return
		}
		s.u.showStage()
	})
	s.back.Importance = widget.LowImportance
	return container.NewCenter(s.back)
}

// signOut ends the session (forgotten here even when the server cannot be reached),
// forgets the licence, stops sync and shows what the app's stage now calls for; the
// vault, if any, stays. after, if set, runs on the UI goroutine once done.
func (u *UI) signOut(after func()) {
	cl, err := u.ctrl.AccountClient()
	if err != nil {
		return
	}
	u.ctrl.Background(func(ctx context.Context) {
		err = cl.SignOut(ctx)
	}, func() {
		s := u.ctrl.Settings()
		s.Licence = ""
		if uerr := u.ctrl.UpdateSettings(s); uerr != nil {
			fyne.LogError("saving settings", uerr)
		}
		u.ctrl.StopSync() // signed out: nothing to sync with; the vault stays
		u.showStage()
		if after != nil {
			after()
		}
	})
}
