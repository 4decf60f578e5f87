package cloud

import (
	"errors"
	"net/http"
	"time"

	"github.com/valvpm/valv/cloud/api"
	"github.com/valvpm/valv/cloud/store"
)

// Password guessing protection, shared by every place that checks an account password
// (sign-in in the app and the portal, re-authentication, deleting the account, changing
// the password, two-step verification): after 3 failures for one e-mail or 10 from one
// address within 15 minutes, sign-in needs a captcha and the other checks are refused
// until the window has room again.
const (
	failWindow      = 15 * time.Minute
	failsPerAccount = 3
	failsPerAddress = 10
)

var (
	failsAcct = window{tmpFailAcct, failWindow, failsPerAccount}
	failsIP   = window{tmpFailIP, failWindow, failsPerAddress}
)

// guard is one password check's reservations: each attempt is counted as a failure
// before the password is checked, in the same store transaction that compared the
// count with the limit, so parallel attempts cannot all get through before any of them
// is counted. A success takes its counting back.
type guard struct {
	s        *Server
	email    string
	acct, ip *reservation
	full     bool      // a window was full: no attempt was recorded for it
	freeAt   time.Time // when the fuller window has room again
}

func (s *Server) newGuard(r *http.Request, email string) (*guard, error) {
	g := &guard{s: s, email: email}
	a, err := s.reserve(failsAcct, email, false)
	if err != nil {
		return nil, err
	}
	g.acct = a.res
	i, err := s.reserve(failsIP, s.clientIP(r), false)
	if err != nil {
		return nil, errors.Join(err, g.undo())
	}
	g.ip = i.res
	g.full, g.freeAt = a.full || i.full, a.freeAt
	if i.freeAt.After(g.freeAt) {
		g.freeAt = i.freeAt
	}
	return g, nil
}

// force records the attempt in the windows that were full (a solved captcha buys one
// password check, which counts like any other).
func (g *guard) force(r *http.Request) error {
	if g.acct == nil {
		st, err := g.s.reserve(failsAcct, g.email, true)
		if err != nil {
			return err
		}
		g.acct = st.res
	}
	if g.ip == nil {
		st, err := g.s.reserve(failsIP, g.s.clientIP(r), true)
		if err != nil {
			return err
		}
		g.ip = st.res
	}
	return nil
}

// undo takes back whatever was recorded: the attempt never reached a password check.
func (g *guard) undo() error {
	return errors.Join(g.s.release(g.acct), g.s.release(g.ip))
}

// succeeded clears the account's failures but only takes back this attempt from the
// address: one good account must not launder guesses against others from the same
// address.
func (g *guard) succeeded() error {
	return errors.Join(g.s.clearCounter(failsAcct, g.email), g.s.release(g.ip))
}

var errInvalidCredentials = errf(http.StatusUnauthorized, api.CodeInvalidCredentials, "The e-mail or password is incorrect.")

// checkCredentials is the password check of every sign-in (app and portal). It demands
// and checks the captcha, and answers the same for an unknown e-mail, a provider-only
// account and a wrong password, after the same Argon2id work.
func (s *Server) checkCredentials(r *http.Request, email, password, captchaID, captchaAnswer string) (*store.Account, error) {
	g, err := s.newGuard(r, email)
	if err != nil {
		return nil, err
	}
	if g.full {
		if captchaID == "" {
			return nil, errors.Join(g.undo(), s.captchaErr(api.CodeCaptchaRequired, "Enter the code from the picture."))
		}
		ok, err := s.solveCaptcha(captchaID, captchaAnswer)
		if err == nil && !ok {
			err = s.captchaErr(api.CodeCaptchaWrong, "The code from the picture was not right. Try this one.")
		}
		if err != nil {
			return nil, errors.Join(g.undo(), err)
		}
		if err := g.force(r); err != nil {
			return nil, err
		}
	}
	acct, err := s.st.AccountByEmail(email)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	hash := s.dummyHash
	if acct != nil && acct.PasswordHash != "" {
		hash = acct.PasswordHash
	}
	ok, err := verifyPassword(password, hash)
	if err != nil {
		return nil, err
	}
	if acct == nil || acct.PasswordHash == "" || !ok {
		return nil, errInvalidCredentials // the reservations stay: they are the failure
	}
	if err := g.succeeded(); err != nil {
		return nil, err
	}
	if acct.Blocked {
		return nil, errf(http.StatusForbidden, api.CodeAccountBlocked, "This account is blocked. Contact support.")
	}
	return acct, nil
}

// checkOwnPassword verifies the signed-in account's password (re-authentication),
// counted in the same windows as sign-in. dangerous marks confirmations of dangerous
// actions, which a password chosen without the old one cannot give for a day.
func (s *Server) checkOwnPassword(r *http.Request, acct *store.Account, pw string, dangerous bool) error {
	if err := s.rateLimit(r, "acct:"+acct.ID); err != nil {
		return err
	}
	if acct.PasswordHash == "" {
		return errf(http.StatusForbidden, api.CodePasswordNotSet,
			"This account signs in with a provider and has no Valv password yet. Set one with Choose password on the Valv Account website (or Forgot your password?), then try again.")
	}
	g, err := s.newGuard(r, acct.Email)
	if err != nil {
		return err
	}
	if g.full {
		e := errf(http.StatusTooManyRequests, api.CodeRateLimited, "Too many wrong passwords. Try again later, or confirm with a code sent by e-mail.")
		e.body.RetryAfter = s.retryIn(g.freeAt)
		return errors.Join(g.undo(), e)
	}
	ok, err := verifyPassword(pw, acct.PasswordHash)
	if err != nil {
		return err
	}
	if !ok {
		return errf(http.StatusForbidden, api.CodeWrongPassword, "The password is incorrect.")
	}
	if err := g.succeeded(); err != nil {
		return err
	}
	if dangerous && !acct.PasswordChosenAt.IsZero() && s.now().Before(acct.PasswordChosenAt.Add(api.PasswordSettleTime)) {
		return errf(http.StatusForbidden, api.CodePasswordTooNew,
			"This password was chosen less than a day ago, so it cannot confirm this yet. Confirm with the code we e-mail instead.")
	}
	return nil
}

// proof is how a person confirms a sensitive change: the account password, or a code
// e-mailed to the account for that action — in the API as an action token from
// /v1/actions/tokens (HeaderActionToken), on the portal as the code itself.
type proof struct{ password, emailCode string }

var errReauthRequired = errf(http.StatusForbidden, api.CodeReauthRequired,
	"Confirm this with your Valv Account password, or with a code we e-mail to you.")

// reauthorize checks the proof for action.
func (s *Server) reauthorize(r *http.Request, acct *store.Account, p proof, action api.Action) error {
	switch {
	case r.Header.Get(api.HeaderActionToken) != "":
		_, err := s.useActionToken(r, acct.ID, action)
		return err
	case p.emailCode != "":
		_, err := s.spendCode(tmpActionCode, acct.ID+"|"+string(action), p.emailCode)
		return err
	case p.password != "":
		return s.checkOwnPassword(r, acct, p.password, true)
	}
	return errReauthRequired
}
