package appcore

import (
	"context"
	"errors"
	"time"

	"github.com/valvpm/valv/account"
)

// The e-mail code window ("Enter the code we e-mailed", PRODUCT.md §1.4). A new
// account, and a password sign-in to an account whose address was never proven, stop
// here until the code e-mailed to the address comes back: that proof is what keeps
// someone from registering another person's address. The window says where the code
// went, and Request code again waits 30 s after the last code on the same countdown as
// the SMS window.

// VerifyEmail submits the e-mailed code (what was pasted, digits only).
func (f *AccountFlow) VerifyEmail(code string) {
	code = SMSDigits(code)
	f.call(NetworkTimeout, func(ctx context.Context) (account.State, error) {
		return f.flow.VerifyEmail(ctx, code)
	})
}

// ResendEmailCode asks for a new e-mailed code; the previous one stops working.
func (f *AccountFlow) ResendEmailCode() {
	f.call(NetworkTimeout, func(ctx context.Context) (account.State, error) {
		return codeSent(f.flow.ResendEmailCode(ctx))
	})
}

// EmailSentTo is where the code went, masked by the server ("an•••@example.com").
func (f *AccountFlow) EmailSentTo() string {
	if ch := f.state.EmailCheck; ch != nil {
		return ch.SentTo
	}
	return ""
}

// emailStep shows the e-mail code window, or keeps it (and its countdown) when it is
// on show. A wrong or expired code empties the code field only: the next code is typed
// afresh, nothing else was lost.
func (f *AccountFlow) emailStep(err error) {
	if f.screen != ScreenEmailCode {
		f.show(ScreenEmailCode)
	}
	if errors.Is(err, account.ErrCodeWrong) || errors.Is(err, account.ErrCodeExpired) {
		f.cfg.View.WipePassword()
	}
	f.tick()
}

// codeTimes are the expiry and the earliest resend of the code whose window is on show.
func (f *AccountFlow) codeTimes() (expires, resend time.Time, ok bool) {
	switch {
	case f.screen == ScreenSMS && f.state.SMS != nil:
		return f.state.SMS.ExpiresAt, f.state.SMS.ResendAt, true
	case f.screen == ScreenEmailCode && f.state.EmailCheck != nil:
		return f.state.EmailCheck.ExpiresAt, f.state.EmailCheck.ResendAt, true
	}
	return time.Time{}, time.Time{}, false
}

// codeSent turns a resend that worked into the good news the message line says.
func codeSent(st account.State, err error) (account.State, error) {
	if err == nil {
		err = errCodeSent
	}
	return st, err
}
