package cloud

import (
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/valvpm/valv/cloud/api"
	"github.com/valvpm/valv/cloud/store"
)

// Sign-in protection thresholds (PRODUCT.md §1.2): a captcha after 3 failures for one
// account or 10 from one address within 15 minutes, so guessing a password takes a
// person at every try while a typo costs nothing.
const (
	tokenPrefixAcc   = "va"
	tokenPrefixRef   = "vr"
	tokenSecretBytes = 32
)

// authCtx is the signed-in caller of an authenticated endpoint.
type authCtx struct {
	acct *store.Account
	sess *store.Session
}

// h adapts an error-returning handler.
func (s *Server) h(fn func(w http.ResponseWriter, r *http.Request) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := fn(w, r); err != nil {
			s.fail(w, r, err)
		}
	}
}

// authed requires "Authorization: Bearer <access token>".
func (s *Server) authed(fn func(w http.ResponseWriter, r *http.Request, a *authCtx) error) http.HandlerFunc {
	return s.h(func(w http.ResponseWriter, r *http.Request) error {
		tok, ok := strings.CutPrefix(r.Header.Get(api.HeaderAuthorize), "Bearer ")
		if !ok {
			return errf(http.StatusUnauthorized, api.CodeUnauthorized, "Sign in first.")
		}
		a, err := s.authenticate(strings.TrimSpace(tok), tokenPrefixAcc)
		if err != nil {
			return err
		}
		return fn(w, r, a)
	})
}

var errUnauthorized = errf(http.StatusUnauthorized, api.CodeUnauthorized, "The session has expired or was signed out. Sign in again.")

// authenticate checks an access ("va") or refresh ("vr") token: "<prefix>.<session ID>.<secret>".
// The session ID finds the record; the secret is compared by hash in constant time.
func (s *Server) authenticate(tok, prefix string) (*authCtx, error) {
	id, got, ok := parseToken(tok, prefix)
	if !ok {
		return nil, errUnauthorized
	}
	se, acct, err := s.st.SessionAccount(id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, errUnauthorized
	} else if err != nil {
		return nil, err
	}
	want, exp := se.AccessHash, se.AccessExpires
	if prefix == tokenPrefixRef {
		want, exp = se.RefreshHash, se.RefreshExpires
	}
	if prefix == tokenPrefixRef && len(se.PrevRefreshHash) > 0 && subtle.ConstantTimeCompare(got, se.PrevRefreshHash) == 1 {
		// A rotated-out refresh token came back: someone holds a copy. End the session
		// for everyone who has it; the owner signs in again.
		if err := s.st.DeleteSession(se.AccountID, se.ID); err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
		s.cfg.Log.Printf("session %s: a replaced refresh token was reused; the session was ended", se.ID)
		return nil, errUnauthorized
	}
	if subtle.ConstantTimeCompare(got, want) != 1 || !s.now().Before(exp) || acct == nil {
		return nil, errUnauthorized
	}
	if acct.Blocked {
		return nil, errBlocked
	}
	return &authCtx{acct: acct, sess: se}, nil
}

// sessionAccount pairs a valid session with its account.
func (s *Server) sessionAccount(se *store.Session) (*authCtx, error) {
	acct, err := s.st.Account(se.AccountID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, errUnauthorized
	} else if err != nil {
		return nil, err
	}
	if acct.Blocked {
		return nil, errBlocked
	}
	return &authCtx{acct: acct, sess: se}, nil
}

var errBlocked = errf(http.StatusForbidden, api.CodeAccountBlocked, "This account is blocked. Contact support.")

// parseToken splits "<prefix>.<session ID>.<secret>" into the session ID and the
// secret's hash.
func parseToken(tok, prefix string) (id string, secretHash []byte, ok bool) {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 || parts[0] != prefix || len(parts[1]) != 32 {
		return "", nil, false
	}
	if _, err := hex.DecodeString(parts[1]); err != nil {
		return "", nil, false
	}
	h, _ := hex.DecodeString(hashSecret(parts[2]))
	return parts[1], h, true
}

// rotate exchanges a refresh token for new tokens in one store transaction, so of
// several requests presenting the same token at most one succeeds. A token the last
// rotation replaced means a copy is in someone else's hands: the session ends for
// everyone who has it, and the owner signs in again.
func (s *Server) rotate(tok, ip string) (*authCtx, string, string, error) {
	id, got, ok := parseToken(tok, tokenPrefixRef)
	if !ok {
		return nil, "", "", errUnauthorized
	}
	var access, refresh string
	reused := false
	se, err := s.st.UpdateSession(id, func(se *store.Session) (bool, error) {
		if len(se.PrevRefreshHash) > 0 && subtle.ConstantTimeCompare(got, se.PrevRefreshHash) == 1 {
			reused = true
			return false, nil
		}
		if subtle.ConstantTimeCompare(got, se.RefreshHash) != 1 || !s.now().Before(se.RefreshExpires) {
			return true, errUnauthorized
		}
		var err error
		access, refresh, err = s.newTokens(se, s.cfg.AccessTTL)
		se.IP = ip
		return true, err
	})
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil, "", "", errUnauthorized
	case err != nil:
		return nil, "", "", err
	case reused:
		s.cfg.Log.Printf("session %s: a replaced refresh token was reused; the session was ended", id)
		return nil, "", "", errUnauthorized
	}
	a, err := s.sessionAccount(se)
	return a, access, refresh, err
}

// newTokens fills se with fresh token hashes and returns the tokens.
func (s *Server) newTokens(se *store.Session, accessTTL time.Duration) (access, refresh string, err error) {
	a, err := s.randomToken(tokenSecretBytes)
	if err != nil {
		return "", "", err
	}
	f, err := s.randomToken(tokenSecretBytes)
	if err != nil {
		return "", "", err
	}
	now := s.now()
	ah, _ := hex.DecodeString(hashSecret(a))
	rh, _ := hex.DecodeString(hashSecret(f))
	se.PrevRefreshHash = se.RefreshHash
	se.AccessHash, se.RefreshHash = ah, rh
	se.AccessExpires, se.RefreshExpires = now.Add(accessTTL), now.Add(s.cfg.RefreshTTL)
	se.LastUsed = now
	return tokenPrefixAcc + "." + se.ID + "." + a, tokenPrefixRef + "." + se.ID + "." + f, nil
}

// writeSession signs acct in on the client named client and answers with the session.
func (s *Server) writeSession(w http.ResponseWriter, r *http.Request, acct *store.Account, client string) error {
	sess, err := s.createSession(acct, client, s.clientIP(r), false)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, api.SignInResponse{Session: sess})
	return nil
}

// createSession signs acct in on a new device (portal: a browser cookie session).
func (s *Server) createSession(acct *store.Account, client, ip string, portal bool) (*api.Session, error) {
	id, err := s.randomID()
	if err != nil {
		return nil, err
	}
	ttl := s.cfg.AccessTTL
	if portal {
		ttl, client = s.cfg.PortalTTL, "Web portal"
	}
	if client == "" {
		client = "Valv"
	}
	if len(client) > 64 {
		client = client[:64]
	}
	se := &store.Session{ID: id, AccountID: acct.ID, CreatedAt: s.now(), Client: client, IP: ip}
	access, refresh, err := s.newTokens(se, ttl)
	if err != nil {
		return nil, err
	}
	if err := s.st.PutSession(se); err != nil {
		return nil, err
	}
	return &api.Session{SessionID: id, AccessToken: access, AccessExpiresAt: se.AccessExpires,
		RefreshToken: refresh, RefreshExpiresAt: se.RefreshExpires, Account: s.accountView(acct)}, nil
}

// checkDataProvision enforces the region's data-provision statement, recording an
// acceptance sent with this request.
func (s *Server) checkDataProvision(acct *store.Account, accept bool) (*store.Account, error) {
	reg := s.region(acct.Region)
	if reg == nil || reg.DataProvision == nil || acct.DataProvisionVersion == reg.DataProvision.Version {
		return acct, nil
	}
	if !accept {
		e := errf(http.StatusForbidden, api.CodeDataProvisionReq, "In your region you must read and accept the statement on data provision: choose Accept and connect.")
		e.body.Statement = reg.DataProvision
		return nil, e
	}
	return s.st.UpdateAccount(acct.ID, func(a *store.Account) error {
		a.DataProvisionVersion, a.DataProvisionAt = reg.DataProvision.Version, s.now()
		return nil
	})
}

func (s *Server) handleSignIn(w http.ResponseWriter, r *http.Request) error {
	var req api.SignInRequest
	if err := s.readJSON(r, &req); err != nil {
		return err
	}
	email, err := normalizeEmail(req.Email)
	if err != nil {
		return err
	}
	if err := s.rateLimit(r, "email:"+email); err != nil {
		return err
	}
	acct, err := s.checkCredentials(r, email, req.Password, req.CaptchaID, req.CaptchaAnswer)
	if err != nil {
		return err
	}
	if acct, err = s.checkDataProvision(acct, req.AcceptDataProvision); err != nil {
		return err
	}
	if !acct.EmailVerified {
		// The password is right, but nobody proved the address it belongs to: it
		// works once the code e-mailed now comes back.
		ch, err := s.startEmailCheck(acct, emailSignIn, req.ClientName)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, api.SignInResponse{EmailCheck: ch})
		return nil
	}
	out, err := s.finishSignIn(r, acct, req.ClientName)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) handleSignInSMS(w http.ResponseWriter, r *http.Request) error {
	var req api.SMSCodeRequest
	if err := s.readJSON(r, &req); err != nil {
		return err
	}
	if err := s.rateLimit(r, "sms:"+req.ChallengeID); err != nil {
		return err
	}
	rec, err := s.verifySMS(req.ChallengeID, req.Code, smsSignIn)
	if err != nil {
		return err
	}
	acct, err := s.st.Account(rec.AccountID)
	if err != nil {
		return err
	}
	client := req.ClientName
	if client == "" {
		client = rec.Client
	}
	return s.writeSession(w, r, acct, client)
}

func (s *Server) handleResend(w http.ResponseWriter, r *http.Request) error {
	var req api.ResendRequest
	if err := s.readJSON(r, &req); err != nil {
		return err
	}
	if err := s.rateLimit(r, "sms:"+req.ChallengeID); err != nil {
		return err
	}
	ch, err := s.resendSMS(req.ChallengeID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, ch)
	return nil
}

func (s *Server) handleRefresh(w http.ResponseWriter, r *http.Request) error {
	var req api.RefreshRequest
	if err := s.readJSON(r, &req); err != nil {
		return err
	}
	if err := s.rateLimit(r, ""); err != nil {
		return err
	}
	a, access, refresh, err := s.rotate(req.RefreshToken, s.clientIP(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, api.Session{SessionID: a.sess.ID, AccessToken: access, AccessExpiresAt: a.sess.AccessExpires,
		RefreshToken: refresh, RefreshExpiresAt: a.sess.RefreshExpires, Account: s.accountView(a.acct)})
	return nil
}

func (s *Server) sessionInfos(a *authCtx) ([]api.SessionInfo, error) {
	list, err := s.st.Sessions(a.acct.ID)
	if err != nil {
		return nil, err
	}
	out := []api.SessionInfo{}
	now := s.now()
	for _, se := range list {
		if !now.Before(se.RefreshExpires) && !now.Before(se.AccessExpires) {
			continue
		}
		out = append(out, api.SessionInfo{ID: se.ID, Client: se.Client, IP: se.IP, CreatedAt: se.CreatedAt,
			LastUsed: se.LastUsed, Current: se.ID == a.sess.ID})
	}
	return out, nil
}

func (s *Server) handleListSessions(w http.ResponseWriter, r *http.Request, a *authCtx) error {
	list, err := s.sessionInfos(a)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, api.SessionsResponse{Sessions: list})
	return nil
}

// revoke deletes one of the caller's own sessions; another account's ID is "not found".
func (s *Server) revoke(a *authCtx, id string) error {
	err := s.st.DeleteSession(a.acct.ID, id)
	if errors.Is(err, store.ErrNotFound) {
		return errf(http.StatusNotFound, api.CodeNotFound, "There is no such session.")
	}
	return err
}

func (s *Server) handleRevoke(w http.ResponseWriter, r *http.Request, a *authCtx) error {
	if err := s.revoke(a, r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) handleSignOut(w http.ResponseWriter, r *http.Request, a *authCtx) error {
	if err := s.revoke(a, a.sess.ID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
