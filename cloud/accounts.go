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

// accountView is the account as its owner sees it.
func (s *Server) accountView(a *store.Account) api.Account {
	v := api.Account{ID: a.ID, Email: a.Email, Region: a.Region, HasPassword: a.PasswordHash != "",
		MarketingConsent: a.MarketingConsent, TermsVersion: a.TermsVersion, TwoStep: a.TwoStep,
		CreatedAt: a.CreatedAt, DataProvisionAccepted: a.DataProvisionVersion != ""}
	if !a.MarketingConsentAt.IsZero() {
		t := a.MarketingConsentAt
		v.MarketingConsentAt = &t
	}
	if !a.TermsAcceptedAt.IsZero() {
		t := a.TermsAcceptedAt
		v.TermsAcceptedAt = &t
	}
	if a.TwoStep {
		v.PhoneHint = maskPhone(a.Phone)
	}
	for _, id := range a.Identities {
		v.Providers = append(v.Providers, id.Provider)
	}
	if subs, err := s.subscriptions(a.ID); err == nil {
		v.Entitlements = subs.Effective
	} else {
		v.Entitlements = s.plan(s.cfg.FreePlan).Entitlements
	}
	return v
}

// newAccount checks and fills the fields every new account needs (password or
// provider identity are added by the caller).
func (s *Server) newAccount(email, region string, acceptTerms, marketing, acceptDP bool) (*store.Account, error) {
	if !acceptTerms {
		return nil, errf(http.StatusBadRequest, api.CodeTermsNotAccepted, "Creating an account means accepting the Web Portal Statement.")
	}
	if region == "" {
		region = s.cfg.DefaultRegion
	}
	reg := s.region(region)
	if reg == nil {
		return nil, errf(http.StatusBadRequest, api.CodeUnknownRegion, "Choose one of the offered regions.")
	}
	id, err := s.randomID()
	if err != nil {
		return nil, err
	}
	now := s.now()
	a := &store.Account{ID: id, Email: email, Region: region, MarketingConsent: marketing,
		TermsVersion: s.cfg.Terms.Version, TermsAcceptedAt: now, CreatedAt: now}
	if marketing {
		a.MarketingConsentAt = now
	}
	if reg.DataProvision != nil {
		if !acceptDP {
			e := errf(http.StatusForbidden, api.CodeDataProvisionReq, "In this region you must read and accept the statement on data provision: choose Accept and connect.")
			e.body.Statement = reg.DataProvision
			return nil, e
		}
		a.DataProvisionVersion, a.DataProvisionAt = reg.DataProvision.Version, now
	}
	return a, nil
}

// createPasswordAccount is account creation shared by the API and the portal.
func (s *Server) createPasswordAccount(r *http.Request, req api.CreateAccountRequest) (*store.Account, error) {
	email, err := normalizeEmail(req.Email)
	if err != nil {
		return nil, err
	}
	if err := s.rateLimit(r, "email:"+email); err != nil {
		return nil, err
	}
	if err := checkPassword(req.Password); err != nil {
		return nil, err
	}
	a, err := s.newAccount(email, req.Region, req.AcceptTerms, req.MarketingConsent, req.AcceptDataProvision)
	if err != nil {
		return nil, err
	}
	if a.PasswordHash, err = hashPassword(req.Password, s.cfg.Argon2, s.cfg.Rand); err != nil {
		return nil, err
	}
	if err := s.st.CreateAccount(a); errors.Is(err, store.ErrEmailTaken) {
		return nil, errf(http.StatusConflict, api.CodeEmailTaken, "An account with this e-mail already exists. Sign in instead.")
	} else if err != nil {
		return nil, err
	}
	return a, nil
}

func (s *Server) handleCreateAccount(w http.ResponseWriter, r *http.Request) error {
	var req api.CreateAccountRequest
	if err := s.readJSON(r, &req); err != nil {
		return err
	}
	a, err := s.createPasswordAccount(r, req)
	if err != nil {
		return err
	}
	// Creating connects: the app goes on signed in (PRODUCT.md §1.4).
	sess, err := s.createSession(a, req.ClientName, s.clientIP(r), false)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, sess)
	return nil
}

func (s *Server) handleGetAccount(w http.ResponseWriter, r *http.Request, a *authCtx) error {
	writeJSON(w, http.StatusOK, s.accountView(a.acct))
	return nil
}

// applySettings is shared by the API and the portal.
func (s *Server) applySettings(acctID string, req api.SettingsRequest) (*store.Account, error) {
	if req.Region != nil && s.region(*req.Region) == nil {
		return nil, errf(http.StatusBadRequest, api.CodeUnknownRegion, "Choose one of the offered regions.")
	}
	now := s.now()
	return s.st.UpdateAccount(acctID, func(a *store.Account) error {
		if req.MarketingConsent != nil && *req.MarketingConsent != a.MarketingConsent {
			a.MarketingConsent, a.MarketingConsentAt = *req.MarketingConsent, now
		}
		if req.Region != nil && *req.Region != a.Region {
			a.Region = *req.Region
			a.DataProvisionVersion = "" // the new region's statement must be accepted anew
		}
		if req.AcceptTerms {
			a.TermsVersion, a.TermsAcceptedAt = s.cfg.Terms.Version, now
		}
		if reg := s.region(a.Region); req.AcceptDataProvision && reg != nil && reg.DataProvision != nil {
			a.DataProvisionVersion, a.DataProvisionAt = reg.DataProvision.Version, now
		}
		return nil
	})
}

func (s *Server) handleSettings(w http.ResponseWriter, r *http.Request, a *authCtx) error {
	var req api.SettingsRequest
	if err := s.readJSON(r, &req); err != nil {
		return err
	}
	acct, err := s.applySettings(a.acct.ID, req)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.accountView(acct))
	return nil
}

// checkOwnPassword verifies the signed-in account's password (re-authentication).
func (s *Server) checkOwnPassword(r *http.Request, acct *store.Account, pw string) error {
	if err := s.rateLimit(r, "acct:"+acct.ID); err != nil {
		return err
	}
	if acct.PasswordHash == "" {
		return errf(http.StatusForbidden, api.CodePasswordNotSet,
			"This account signs in with a provider and has no Valv password yet. Set one with Choose password on the Valv Account website (or Forgot your password?), then try again.")
	}
	ok, err := verifyPassword(pw, acct.PasswordHash)
	if err != nil {
		return err
	}
	if !ok {
		return errf(http.StatusForbidden, api.CodeWrongPassword, "The password is incorrect.")
	}
	return nil
}

// setPassword changes (or, for a provider-only account, chooses) the account password.
func (s *Server) setPassword(r *http.Request, acct *store.Account, current, next string) error {
	if acct.PasswordHash != "" {
		if err := s.checkOwnPassword(r, acct, current); err != nil {
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
	_, err = s.st.UpdateAccount(acct.ID, func(a *store.Account) error { a.PasswordHash = h; return nil })
	return err
}

func (s *Server) handleSetPassword(w http.ResponseWriter, r *http.Request, a *authCtx) error {
	var req api.PasswordRequest
	if err := s.readJSON(r, &req); err != nil {
		return err
	}
	if err := s.setPassword(r, a.acct, req.CurrentPassword, req.NewPassword); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// forgot e-mails a reset link if the account exists; the caller's answer never says.
func (s *Server) forgot(r *http.Request, rawEmail string) error {
	email, err := normalizeEmail(rawEmail)
	if err != nil {
		return err
	}
	if err := s.rateLimit(r, "email:"+email); err != nil {
		return err
	}
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
// whoever knew the old password is out.
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
	if _, err := s.st.UpdateAccount(id, func(a *store.Account) error { a.PasswordHash = h; return nil }); err != nil {
		return err
	}
	list, err := s.st.Sessions(id)
	if err != nil {
		return err
	}
	for _, se := range list {
		if err := s.st.DeleteSession(id, se.ID); err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
	}
	return nil
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

func (s *Server) handleTwoStepStart(w http.ResponseWriter, r *http.Request, a *authCtx) error {
	var req api.TwoStepRequest
	if err := s.readJSON(r, &req); err != nil {
		return err
	}
	ch, err := s.startTwoStep(r, a.acct, req.Phone)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, ch)
	return nil
}

func (s *Server) startTwoStep(r *http.Request, acct *store.Account, rawPhone string) (*api.SMSChallenge, error) {
	if err := s.rateLimit(r, "acct:"+acct.ID); err != nil {
		return nil, err
	}
	phone, err := normalizePhone(rawPhone)
	if err != nil {
		return nil, err
	}
	return s.startSMS(acct, smsSetup, phone, "", "")
}

// confirmTwoStep turns two-step verification on once the phone proved it gets the SMS.
func (s *Server) confirmTwoStep(r *http.Request, acct *store.Account, challengeID, code string) (*store.Account, error) {
	if err := s.rateLimit(r, "acct:"+acct.ID); err != nil {
		return nil, err
	}
	rec, err := s.verifySMS(challengeID, code, smsSetup)
	if err != nil {
		return nil, err
	}
	if rec.AccountID != acct.ID {
		return nil, errCodeExpired
	}
	return s.st.UpdateAccount(acct.ID, func(a *store.Account) error {
		a.Phone, a.TwoStep = rec.Phone, true
		return nil
	})
}

func (s *Server) handleTwoStepConfirm(w http.ResponseWriter, r *http.Request, a *authCtx) error {
	var req api.SMSCodeRequest
	if err := s.readJSON(r, &req); err != nil {
		return err
	}
	acct, err := s.confirmTwoStep(r, a.acct, req.ChallengeID, req.Code)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.accountView(acct))
	return nil
}

func (s *Server) handleTwoStepOff(w http.ResponseWriter, r *http.Request, a *authCtx) error {
	var req api.DeleteAccountRequest
	if err := s.readJSON(r, &req); err != nil {
		return err
	}
	if a.acct.PasswordHash != "" {
		if err := s.checkOwnPassword(r, a.acct, req.Password); err != nil {
			return err
		}
	}
	acct, err := s.st.UpdateAccount(a.acct.ID, func(x *store.Account) error { x.TwoStep, x.Phone = false, ""; return nil })
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.accountView(acct))
	return nil
}

// deleteAccount removes the account and everything it owns, after the password check
// (provider-only accounts: the signed-in session is the proof).
func (s *Server) deleteAccount(r *http.Request, acct *store.Account, pw string) error {
	if acct.PasswordHash != "" {
		if err := s.checkOwnPassword(r, acct, pw); err != nil {
			return err
		}
	}
	return s.st.DeleteAccount(acct.ID)
}

func (s *Server) handleDeleteAccount(w http.ResponseWriter, r *http.Request, a *authCtx) error {
	var req api.DeleteAccountRequest
	if err := s.readJSON(r, &req); err != nil {
		return err
	}
	if err := s.deleteAccount(r, a.acct, req.Password); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
