package cloud

import (
	"net/http"

	"github.com/valvpm/valv/cloud/api"
	"github.com/valvpm/valv/cloud/store"
)

// Two-step verification by SMS: setting it up, moving it to another phone and turning
// it off each need the account password or a code e-mailed to the account, so a stolen
// session cannot point the codes at the thief's phone.

func (s *Server) handleTwoStepStart(w http.ResponseWriter, r *http.Request, a *authCtx) error {
	var req api.TwoStepRequest
	if err := s.readJSON(r, &req); err != nil {
		return err
	}
	ch, err := s.startTwoStep(r, a.acct, req.Phone, proof{password: req.Password})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, ch)
	return nil
}

func (s *Server) startTwoStep(r *http.Request, acct *store.Account, rawPhone string, p proof) (*api.SMSChallenge, error) {
	if err := s.rateLimit(r, "acct:"+acct.ID); err != nil {
		return nil, err
	}
	phone, err := normalizePhone(rawPhone)
	if err != nil {
		return nil, err
	}
	if err := s.reauthorize(r, acct, p, api.ActionChangeTwoStep); err != nil {
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

// twoStepOff turns two-step verification off after the password or an e-mailed code.
func (s *Server) twoStepOff(r *http.Request, acct *store.Account, p proof) (*store.Account, error) {
	if err := s.reauthorize(r, acct, p, api.ActionChangeTwoStep); err != nil {
		return nil, err
	}
	return s.st.UpdateAccount(acct.ID, func(x *store.Account) error { x.TwoStep, x.Phone = false, ""; return nil })
}

func (s *Server) handleTwoStepOff(w http.ResponseWriter, r *http.Request, a *authCtx) error {
	var req api.DeleteAccountRequest
	if err := s.readJSON(r, &req); err != nil {
		return err
	}
	acct, err := s.twoStepOff(r, a.acct, proof{password: req.Password})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.accountView(acct))
	return nil
}
