package cloud

import (
	"errors"
	"net/http"
	"time"

	"github.com/valvpm/valv/cloud/api"
	"github.com/valvpm/valv/cloud/store"
)

// Proving an account's e-mail address (PRODUCT.md §1.4): a code is e-mailed when an
// account is created with a password, and again when that password is used to sign in
// before the address was proven. The code is what makes the password work; a provider
// that vouches for the address proves it too (and takes an unproven account over, see
// linkIdentity).

// Purposes of an address-proving code: after creating the account (the creator is
// signed in already), or finishing a password sign-in.
const (
	emailSignUp  = "signup"
	emailSignIn  = "signin"
	emailBudget  = "verify-email" // wrong codes of both purposes count together
	emailSubject = "Confirm your e-mail address for Valv"
)

var emailsPerHour = window{tmpEmailHour, time.Hour, api.EmailCodesPerHour}

func (rec *codeRec) challenge(id, email string) *api.EmailChallenge {
	return &api.EmailChallenge{ChallengeID: id, SentTo: maskEmail(email), ExpiresAt: rec.Expires, ResendAt: rec.SentAt.Add(api.EmailResendAfter)}
}

// reserveEmail counts one verification e-mail against the account's hourly allowance,
// so nobody can flood an address with codes.
func (s *Server) reserveEmail(acctID string) error {
	st, err := s.reserve(emailsPerHour, acctID, false)
	if err != nil {
		return err
	}
	if st.full {
		return errEmailCodeLimit(s.retryIn(st.freeAt))
	}
	return nil
}

func (s *Server) sendEmailCode(to, code string) error {
	body := "Your Valv Account code is " + code + ".\n\nEnter it where Valv asks you to enter the code we e-mailed. It proves that this address is yours and is valid for 30 minutes.\n\n" +
		"If you did not create a Valv Account, ignore this e-mail: without the code nobody can use this address with a password."
	return s.cfg.Mailer.SendEmail(to, emailSubject, body, code, "")
}

// startEmailCheck e-mails a code that proves acct's address.
func (s *Server) startEmailCheck(acct *store.Account, purpose, client string) (*api.EmailChallenge, error) {
	if err := s.reserveEmail(acct.ID); err != nil {
		return nil, err
	}
	id, err := s.randomID()
	if err != nil {
		return nil, err
	}
	code, rec, err := s.newCode(tmpEmailCheck, id, acct.ID, purpose, client, api.EmailCodeTTL)
	if err != nil {
		return nil, err
	}
	if err := s.sendEmailCode(acct.Email, code); err != nil {
		return nil, err
	}
	return rec.challenge(id, acct.Email), nil
}

// resendEmailCheck replaces the challenge's code, 30 s after the last at the earliest.
func (s *Server) resendEmailCheck(id string) (*api.EmailChallenge, error) {
	rec, found, err := tempPeek[codeRec](s, tmpEmailCheck, id)
	if err != nil {
		return nil, err
	}
	if !found || !s.now().Before(rec.Expires) {
		return nil, errCodeExpired
	}
	if wait := rec.SentAt.Add(api.EmailResendAfter).Sub(s.now()); wait > 0 {
		secs := int(wait.Seconds() + 0.999)
		e := errf(http.StatusTooManyRequests, api.CodeResendTooEarly, "You can request a new code in %d seconds.", secs)
		e.body.RetryAfter = secs
		return nil, e
	}
	acct, err := s.st.Account(rec.AccountID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, errCodeExpired
	} else if err != nil {
		return nil, err
	}
	if err := s.reserveEmail(acct.ID); err != nil {
		return nil, err
	}
	code, next, err := s.newCode(tmpEmailCheck, id, rec.AccountID, rec.Purpose, rec.Client, api.EmailCodeTTL)
	if err != nil {
		return nil, err
	}
	if err := s.sendEmailCode(acct.Email, code); err != nil {
		return nil, err
	}
	return next.challenge(id, acct.Email), nil
}

// verifyEmail spends the code and marks the address proven.
func (s *Server) verifyEmail(r *http.Request, challengeID, code string) (*store.Account, *codeRec, error) {
	if err := s.rateLimit(r, "email-check:"+challengeID); err != nil {
		return nil, nil, err
	}
	rec, err := s.spendCode(tmpEmailCheck, challengeID, code)
	if err != nil {
		return nil, nil, err
	}
	acct, err := s.st.UpdateAccount(rec.AccountID, func(a *store.Account) error { a.EmailVerified = true; return nil })
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil, errCodeExpired
	}
	return acct, rec, err
}

// finishSignIn is what a password sign-in does once every check passed: the SMS step
// when two-step verification is on, else a session.
func (s *Server) finishSignIn(r *http.Request, acct *store.Account, client string) (*api.SignInResponse, error) {
	if acct.TwoStep {
		ch, err := s.startSMS(acct, smsSignIn, acct.Phone, client, "")
		return &api.SignInResponse{SMS: ch}, err
	}
	sess, err := s.createSession(acct, client, s.clientIP(r), false)
	return &api.SignInResponse{Session: sess}, err
}

func (s *Server) handleEmailVerify(w http.ResponseWriter, r *http.Request) error {
	var req api.EmailVerifyRequest
	if err := s.readJSON(r, &req); err != nil {
		return err
	}
	acct, rec, err := s.verifyEmail(r, req.ChallengeID, req.Code)
	if err != nil {
		return err
	}
	out := api.EmailVerifyResponse{Account: s.accountView(acct)}
	if rec.Purpose == emailSignIn {
		if acct.Blocked {
			return errf(http.StatusForbidden, api.CodeAccountBlocked, "This account is blocked. Contact support.")
		}
		client := req.ClientName
		if client == "" {
			client = rec.Client
		}
		next, err := s.finishSignIn(r, acct, client)
		if err != nil {
			return err
		}
		out.Session, out.SMS = next.Session, next.SMS
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) handleEmailResend(w http.ResponseWriter, r *http.Request) error {
	var req api.ResendRequest
	if err := s.readJSON(r, &req); err != nil {
		return err
	}
	if err := s.rateLimit(r, "email-check:"+req.ChallengeID); err != nil {
		return err
	}
	ch, err := s.resendEmailCheck(req.ChallengeID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, ch)
	return nil
}
