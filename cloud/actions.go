package cloud

import (
	"net/http"
	"strings"
	"time"

	"github.com/valvpm/valv/cloud/api"
	"github.com/valvpm/valv/cloud/store"
)

// Dangerous-action codes and tokens (PRODUCT.md §4).
const (
	actionCodeTTL   = 10 * time.Minute
	actionCodeTries = 5 // 6 digits, 5 tries: a guess succeeds with p = 5e-6
	actionTokenTTL  = 10 * time.Minute
)

type codeRec struct {
	CodeHash string `json:"code_hash"`
	Tries    int    `json:"tries"`
}

type actionTokenRec struct {
	AccountID string     `json:"account_id"`
	Action    api.Action `json:"action"`
}

var actionNames = map[api.Action]string{
	api.ActionResetMasterPassword: "reset the master password (this deletes all vault data)",
	api.ActionReplaceCloudVault:   "replace the cloud vault with the one on your computer",
	api.ActionClearVault:          "clear the vault",
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
	if err := s.readAction(r, a, &req, func() api.Action { return req.Action }, true); err != nil {
		return err
	}
	code, err := s.randomDigits(6)
	if err != nil {
		return err
	}
	// A new code for the same action replaces the old one.
	if err := tempPut(s, tmpActionCode, a.acct.ID+"|"+string(req.Action), codeRec{CodeHash: hashSecret(code)}, actionCodeTTL); err != nil {
		return err
	}
	body := "Your Valv verification code is " + code + ".\n\nIt confirms that you want to " + actionNames[req.Action] +
		". It is valid for 10 minutes and can be used once.\nIf you did not ask for it, change your Valv Account password."
	if err := s.cfg.Mailer.SendEmail(a.acct.Email, "Your Valv verification code", body, code, ""); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, api.ActionCodeResponse{SentTo: maskEmail(a.acct.Email), ExpiresAt: s.now().Add(actionCodeTTL)})
	return nil
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
	err := tempUpdate(s, tmpActionCode, a.acct.ID+"|"+string(req.Action), func(c *codeRec, found bool) (bool, time.Duration, error) {
		if !found {
			return false, 0, errCodeExpired
		}
		if hashSecret(strings.TrimSpace(req.Code)) == c.CodeHash {
			return false, 0, nil // single use
		}
		c.Tries++
		if c.Tries >= actionCodeTries {
			return false, 0, errf(http.StatusBadRequest, api.CodeTooManyTries, "Too many wrong codes. Request a new code.")
		}
		e := errf(http.StatusBadRequest, api.CodeCodeWrong, "The code is not right.")
		e.body.TriesLeft = actionCodeTries - c.Tries
		// Keeping the original expiry would need it stored; a wrong try may extend
		// the code's life by at most its own TTL, and tries are capped.
		return true, actionCodeTTL, e
	})
	if err != nil {
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
	if err := s.checkOwnPassword(r, a.acct, req.Password); err != nil {
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

// useActionToken consumes the request's action token if it belongs to this account and
// is bound to one of allowed. A token presented for the wrong action is burnt too: it
// was exposed to a use it was not meant for.
func (s *Server) useActionToken(r *http.Request, acctID string, allowed ...api.Action) (api.Action, error) {
	bad := errf(http.StatusForbidden, api.CodeActionTokenInvalid, "This needs a fresh confirmation code. Request one and try again.")
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
