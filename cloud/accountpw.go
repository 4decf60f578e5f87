package cloud

import (
	"errors"
	"net/http"
	"time"

	"github.com/valvpm/valv/cloud/api"
	"github.com/valvpm/valv/cloud/store"
)

// resetTTL is how long an e-mailed password-reset link works.
const resetTTL = time.Hour

// setPassword changes (with the current one) or chooses (a provider-only account's
// first) the account password, then signs out every other session: whoever knew the
// old password, or held a session, is out; the session that made the change stays.
func (s *Server) setPassword(r *http.Request, a *authCtx, current, next string) error {
	chosen := a.acct.PasswordHash == ""
	if !chosen {
		if err := s.checkOwnPassword(r, a.acct, current, false); err != nil {
			return err
		}
	}
	if err := checkPassword(next); err != nil {
		return err
	}
	h, err := hashPassword(next, s.cfg.Argon2, s.cfg.Rand)
	if err != nil {
		return err
	}
	now := s.now()
	_, err = s.st.UpdateAccount(a.acct.ID, func(x *store.Account) error {
		x.PasswordHash = h
		// Knowing the old password is proof enough; choosing the first one is not.
		x.PasswordChosenAt = time.Time{}
		if chosen {
			x.PasswordChosenAt = now
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := s.st.DeleteSessions(a.acct.ID, a.sess.ID); err != nil {
		return err
	}
	s.sendLater(a.acct.Email, "Your Valv Account password was changed",
		"The password of your Valv Account was changed, and every other device and browser was signed out.\n\n"+
			"If it was not you, choose a new password with Forgot your password? on the Valv Account website.")
	return nil
}

func (s *Server) handleSetPassword(w http.ResponseWriter, r *http.Request, a *authCtx) error {
	var req api.PasswordRequest
	if err := s.readJSON(r, &req); err != nil {
		return err
	}
	if err := s.setPassword(r, a, req.CurrentPassword, req.NewPassword); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// forgot queues a reset link for the address and returns at once: the lookup and the
// mail happen on the mail queue, so the answer takes the same time whether or not the
// address has an account.
func (s *Server) forgot(r *http.Request, rawEmail string) error {
	email, err := normalizeEmail(rawEmail)
	if err != nil {
		return err
	}
	if err := s.rateLimit(r, "email:"+email); err != nil {
		return err
	}
	s.queue(func() error { return s.sendReset(email) })
	return nil
}

// sendReset e-mails a reset link if the address has an account (on the mail queue).
func (s *Server) sendReset(email string) error {
	acct, err := s.st.AccountByEmail(email)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	} else if err != nil {
		return err
	}
	tok, err := s.randomToken(32)
	if err != nil {
		return err
	}
	if err := tempPut(s, tmpReset, hashSecret(tok), acct.ID, resetTTL); err != nil {
		return err
	}
	link := s.cfg.BaseURL + "/portal/reset?token=" + tok
	body := "Someone (hopefully you) asked to set a new password for your Valv Account.\n\n" +
		"Open this link within an hour to choose one:\n" + link + "\n\nIf it was not you, ignore this e-mail."
	return s.cfg.Mailer.SendEmail(acct.Email, "Set your Valv Account password", body, "", link)
}

func (s *Server) handleForgot(w http.ResponseWriter, r *http.Request) error {
	var req api.ForgotRequest
	if err := s.readJSON(r, &req); err != nil {
		return err
	}
	if err := s.forgot(r, req.Email); err != nil {
		return err
	}
	w.WriteHeader(http.StatusAccepted)
	return nil
}

// resetPassword sets a new password with an e-mailed token and signs out every session:
// whoever knew the old password is out. The link proves the address too.
func (s *Server) resetPassword(r *http.Request, token, pw string) error {
	if err := s.rateLimit(r, ""); err != nil {
		return err
	}
	if err := checkPassword(pw); err != nil {
		return err
	}
	id, found, err := tempTake[string](s, tmpReset, hashSecret(token))
	if err != nil {
		return err
	}
	if !found {
		return errf(http.StatusBadRequest, api.CodeCodeExpired, "This link has expired or was already used. Ask for a new one.")
	}
	h, err := hashPassword(pw, s.cfg.Argon2, s.cfg.Rand)
	if err != nil {
		return err
	}
	_, err = s.st.UpdateAccount(id, func(a *store.Account) error {
		a.PasswordHash, a.PasswordChosenAt, a.EmailVerified = h, time.Time{}, true
		return nil
	})
	if err != nil {
		return err
	}
	return s.st.DeleteSessions(id, "")
}

func (s *Server) handleReset(w http.ResponseWriter, r *http.Request) error {
	var req api.ResetRequest
	if err := s.readJSON(r, &req); err != nil {
		return err
	}
	if err := s.resetPassword(r, req.Token, req.NewPassword); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
