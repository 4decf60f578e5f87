package cloud

import (
	"errors"
	"net/http"

	"github.com/valvpm/valv/cloud/api"
	"github.com/valvpm/valv/cloud/store"
)

// accountView is the account as its owner sees it.
func (s *Server) accountView(a *store.Account) api.Account {
	v := api.Account{ID: a.ID, Email: a.Email, Region: a.Region, HasPassword: a.PasswordHash != "", EmailVerified: a.EmailVerified,
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
	a.EmailVerified = s.cfg.TrustSignUpEmails
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
	// Creating connects: the app goes on signed in (PRODUCT.md §1.4), and proves the
	// address with the code e-mailed meanwhile. Until then the password signs in
	// nowhere else, and a provider that vouches for the address takes the account over.
	sess, err := s.createSession(a, req.ClientName, s.clientIP(r), false)
	if err != nil {
		return err
	}
	if !a.EmailVerified {
		if sess.EmailCheck, err = s.startEmailCheck(a, emailSignUp, req.ClientName); err != nil {
			return err
		}
	}
	writeJSON(w, http.StatusCreated, sess)
	return nil
}

// deleteAccount removes the account and everything it owns, once the person confirmed
// it with the account password or an e-mailed code: a session alone is not enough.
func (s *Server) deleteAccount(r *http.Request, acct *store.Account, p proof) error {
	if err := s.reauthorize(r, acct, p, api.ActionDeleteAccount); err != nil {
		return err
	}
	return s.st.DeleteAccount(acct.ID)
}

func (s *Server) handleDeleteAccount(w http.ResponseWriter, r *http.Request, a *authCtx) error {
	var req api.DeleteAccountRequest
	if err := s.readJSON(r, &req); err != nil {
		return err
	}
	if err := s.deleteAccount(r, a.acct, proof{password: req.Password}); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
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
