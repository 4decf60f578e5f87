package appcore

import "context"

// LeaveSubscription is Back on Choose subscription. Until a licence is chosen nothing
// is connected, so Back cancels: the session the sign-in opened is ended (forgotten
// here even when the server cannot be reached) and Sign in comes back with the e-mail,
// so the app neither stays signed in nor goes on to link the vault.
func (f *AccountFlow) LeaveSubscription() {
	if f.busy {
		return
	}
	email := f.state.Email
	f.setBusy(true)
	gen := f.gen
	var err error
	f.cfg.Run.Go(NetworkTimeout, func(ctx context.Context) {
		err = f.client.SignOut(ctx)
	}, func() {
		if f.gen != gen {
			return // the window moved on meanwhile
		}
		f.setBusy(false)
		f.ToSignIn(email)
		if f.client.SignedIn() {
			f.cfg.View.Say(Note{Err: err}) // the session could not be forgotten
		}
	})
}
