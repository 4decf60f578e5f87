package cloud

import (
	"net/http"
	"slices"
	"time"

	"github.com/valvpm/valv/cloud/api"
	"github.com/valvpm/valv/cloud/store"
)

// Dangerous-action codes and tokens (PRODUCT.md §4).
const (
	actionCodeTTL  = 10 * time.Minute
	actionTokenTTL = 10 * time.Minute
)

var errActionToken = errf(http.StatusForbidden, api.CodeActionTokenInvalid, "This needs a fresh confirmation code. Request one and try again.")

type actionTokenRec struct {
	AccountID string     `json:"account_id"`
	Action    api.Action `json:"action"`
}

var actionNames = map[api.Action]string{
	api.ActionResetMasterPassword: "reset the master password (this deletes all vault data)",
	api.ActionReplaceCloudVault:   "replace the cloud vault with the one on your computer",
	api.ActionClearVault:          "clear the vault",
	api.ActionChangeTwoStep:       "set up, move or turn off two-step verification",
	api.ActionDeleteAccount:       "delete your Valv Account and its cloud vault",
}

func checkAction(a api.Action) error {
	if _, ok := actionNames[a]; !ok {
		return errf(http.StatusBadRequest, api.CodeUnknownAction, "Unknown action %q.", truncateForMsg(string(a)))
	}
	return nil
}

func truncateForMsg(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// readAction decodes an action request into req and checks the action it names
// (action reads it from req), then, when limited, the account's rate limit.
func (s *Server) readAction(r *http.Request, a *authCtx, req any, action func() api.Action, limited bool) error {
	if err := s.readJSON(r, req); err != nil {
		return err
	}
	if err := checkAction(action()); err != nil {
		return err
	}
	if limited {
		return s.rateLimit(r, "acct:"+a.acct.ID)
	}
	return nil
}

func (s *Server) handleActionCode(w http.ResponseWriter, r *http.Request, a *authCtx) error {
	var req api.ActionCodeRequest
	if err := s.readAction(r, a, &req, func() api.Action { return req.Action }, false); err != nil {
		return err
	}
	if err := s.sendActionCode(r, a.acct, req.Action); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, api.ActionCodeResponse{SentTo: maskEmail(a.acct.Email), ExpiresAt: s.now().Add(actionCodeTTL)})
	return nil
}

// sendActionCode e-mails the code that confirms action.
func (s *Server) sendActionCode(r *http.Request, acct *store.Account, action api.Action) error {
	if err := s.rateLimit(r, "acct:"+acct.ID); err != nil {
		return err
	}
	// A new code for the same action replaces the old one.
	code, _, err := s.newCode(tmpActionCode, acct.ID+"|"+string(action), acct.ID, string(action), "", actionCodeTTL)
	if err != nil {
		return err
	}
	body := "Your Valv verification code is " + code + ".\n\nIt confirms that you want to " + actionNames[action] +
		". It is valid for 10 minutes and can be used once.\nIf you did not ask for it, change your Valv Account password."
	return s.cfg.Mailer.SendEmail(acct.Email, "Your Valv verification code", body, code, "")
}

// issueActionToken makes the one-time token bound to this account and action.
func (s *Server) issueActionToken(acctID string, action api.Action) (*api.ActionTokenResponse, error) {
	tok, err := s.randomToken(32)
	if err != nil {
		return nil, err
	}
	if err := tempPut(s, tmpActionToken, hashSecret(tok), actionTokenRec{AccountID: acctID, Action: action}, actionTokenTTL); err != nil {
		return nil, err
	}
	return &api.ActionTokenResponse{ActionToken: tok, Action: action, ExpiresAt: s.now().Add(actionTokenTTL)}, nil
}

func (s *Server) handleActionToken(w http.ResponseWriter, r *http.Request, a *authCtx) error {
	var req api.ActionTokenRequest
	if err := s.readAction(r, a, &req, func() api.Action { return req.Action }, true); err != nil {
		return err
	}
	if _, err := s.spendCode(tmpActionCode, a.acct.ID+"|"+string(req.Action), req.Code); err != nil {
		return err
	}
	return s.writeActionToken(w, a.acct, req.Action)
}

// handleReauth: the account password (plus the SMS code when two-step is on) yields
// the same kind of action token as an e-mailed code.
func (s *Server) handleReauth(w http.ResponseWriter, r *http.Request, a *authCtx) error {
	var req api.ReauthRequest
	if err := s.readAction(r, a, &req, func() api.Action { return req.Action }, false); err != nil {
		return err
	}
	if req.ChallengeID != "" {
		if err := s.rateLimit(r, "acct:"+a.acct.ID); err != nil {
			return err
		}
		rec, err := s.verifySMS(req.ChallengeID, req.SMSCode, smsReauth)
		if err != nil {
			return err
		}
		if rec.AccountID != a.acct.ID || rec.Action != string(req.Action) {
			return errCodeExpired
		}
		return s.writeActionToken(w, a.acct, req.Action)
	}
	if err := s.checkOwnPassword(r, a.acct, req.Password, true); err != nil {
		return err
	}
	if a.acct.TwoStep {
		ch, err := s.startSMS(a.acct, smsReauth, a.acct.Phone, "", string(req.Action))
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, api.ActionTokenResponse{SMS: ch})
		return nil
	}
	return s.writeActionToken(w, a.acct, req.Action)
}

func (s *Server) writeActionToken(w http.ResponseWriter, acct *store.Account, action api.Action) error {
	tok, err := s.issueActionToken(acct.ID, action)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, tok)
	return nil
}

// peekActionToken checks, without spending it, that the request carries an action
// token of this account for one of allowed.
func (s *Server) peekActionToken(r *http.Request, acctID string, allowed ...api.Action) error {
	tok := r.Header.Get(api.HeaderActionToken)
	if tok == "" {
		return errActionToken
	}
	rec, found, err := tempPeek[actionTokenRec](s, tmpActionToken, hashSecret(tok))
	if err != nil {
		return err
	}
	if found && rec.AccountID == acctID && slices.Contains(allowed, rec.Action) {
		return nil
	}
	_, err = s.useActionToken(r, acctID, allowed...) // burns a token shown to the wrong endpoint
	return err
}

// useActionToken consumes the request's action token if it belongs to this account and
// is bound to one of allowed. A token presented for the wrong action is burnt too: it
// was exposed to a use it was not meant for.
func (s *Server) useActionToken(r *http.Request, acctID string, allowed ...api.Action) (api.Action, error) {
	bad := errActionToken
	tok := r.Header.Get(api.HeaderActionToken)
	if tok == "" {
		return "", bad
	}
	rec, found, err := tempTake[actionTokenRec](s, tmpActionToken, hashSecret(tok))
	if err != nil {
		return "", err
	}
	if !found || rec.AccountID != acctID {
		return "", bad
	}
	for _, a := range allowed {
		if rec.Action == a {
			return a, nil
		}
	}
	return "", bad
}
