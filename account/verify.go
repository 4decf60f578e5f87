package account

import (
	"context"
	"errors"
	"net/http"

	"github.com/valvpm/valv/cloud/api"
)

// Proving the account's e-mail address ("Enter the code we e-mailed", PRODUCT.md
// §1.4). Creating an account signs in at once and e-mails a code; signing in with the
// password of an account whose address was never proven e-mails one too, and the
// password alone does not connect until the code comes back. Either way the flow stops
// at StepVerifyEmail, where the screen shows State.EmailCheck (the masked address, the
// code's expiry and when "Request code again" may be pressed, 30 s after the last).

// VerifyEmail submits the e-mailed code. After a sign-in the flow then goes on as a
// sign-in does (the SMS code with two-step verification on, or connected).
func (f *Flow) VerifyEmail(ctx context.Context, code string) (State, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.st.Step != StepVerifyEmail || f.st.EmailCheck == nil {
		return f.st, errors.New("no code was e-mailed")
	}
	r, err := f.c.verifyEmail(ctx, f.st.EmailCheck.ChallengeID, code)
	if err != nil {
		return f.failed(err)
	}
	switch {
	case r.SMS != nil:
		return f.smsStep(r.SMS)
	case r.Session != nil:
		return f.connected(ctx, &r.Session.Account)
	}
	return f.connected(ctx, &r.Account) // a new account: it is signed in already
}

// ResendEmailCode asks for a new code (30 s after the last; the old one stops working).
// A challenge that has expired altogether sends the person back to sign in.
func (f *Flow) ResendEmailCode(ctx context.Context) (State, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.st.Step != StepVerifyEmail || f.st.EmailCheck == nil {
		return f.st, errors.New("no code was e-mailed")
	}
	ch, err := f.c.resendEmailCode(ctx, f.st.EmailCheck.ChallengeID)
	if ae, ok := Details(err); ok && ae.Code == api.CodeCodeExpired {
		f.st.Step, f.st.EmailCheck = StepCredentials, nil
		return f.st, err
	}
	if err != nil {
		return f.failed(err)
	}
	return f.verifyStep(ch)
}

// verifyStep asks for the code e-mailed for ch.
func (f *Flow) verifyStep(ch *api.EmailChallenge) (State, error) {
	f.st.Step, f.st.EmailCheck, f.st.Captcha, f.st.SMS, f.st.TriesLeft = StepVerifyEmail, ch, nil, nil, 0
	return f.st, nil
}

// verifyEmail proves the address; a sign-in's challenge also yields its session.
func (c *Client) verifyEmail(ctx context.Context, challengeID, code string) (*api.EmailVerifyResponse, error) {
	var r api.EmailVerifyResponse
	err := c.do(ctx, http.MethodPost, api.PathEmailVerify, api.EmailVerifyRequest{ChallengeID: challengeID, Code: code, ClientName: c.clientName}, &r, false)
	if err != nil {
		return nil, err
	}
	if r.Session != nil {
		return &r, c.adopt(r.Session)
	}
	return &r, nil
}

// resendEmailCode asks for a new address-proving code.
func (c *Client) resendEmailCode(ctx context.Context, challengeID string) (*api.EmailChallenge, error) {
	var r api.EmailChallenge
	return &r, c.do(ctx, http.MethodPost, api.PathEmailResend, api.ResendRequest{ChallengeID: challengeID}, &r, false)
}
