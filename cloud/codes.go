package cloud

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/valvpm/valv/cloud/api"
)

// E-mailed 6-digit codes: the address-proving code of a new account and the code that
// confirms a dangerous action. A code's expiry is fixed when it is sent; wrong codes
// are counted per account and purpose for an hour, across every code asked for in that
// hour, so asking for a new code does not buy new guesses.

// codeRec is one e-mailed code waiting for its answer.
type codeRec struct {
	AccountID string    `json:"account_id"`
	Purpose   string    `json:"purpose"` // an action, or emailSignUp / emailSignIn
	CodeHash  string    `json:"code_hash"`
	SentAt    time.Time `json:"sent_at"`
	Expires   time.Time `json:"expires"`
	Client    string    `json:"client,omitempty"`
}

var (
	codeTries         = window{tmpCodeTries, time.Hour, api.CodeTriesPerHour}
	errTooManyCodes   = errf(http.StatusBadRequest, api.CodeTooManyTries, "Too many wrong codes. Wait an hour, then request a new code.")
	errEmailCodeLimit = func(retry int) error {
		e := errf(http.StatusTooManyRequests, api.CodeEmailLimit, "Too many codes were e-mailed this hour. Try again later.")
		e.body.RetryAfter = retry
		return e
	}
)

// spendCode checks code against the record kind/key. A right code is used up; a wrong
// one counts against the account's budget for the purpose, and the last allowed wrong
// one kills the code. Once the budget is spent even the right code is refused.
func (s *Server) spendCode(kind, key, code string) (*codeRec, error) {
	rec, found, err := tempPeek[codeRec](s, kind, key)
	if err != nil {
		return nil, err
	}
	if !found || !s.now().Before(rec.Expires) {
		return nil, errCodeExpired
	}
	budget := rec.AccountID + "|" + rec.Purpose
	if rec.Purpose == emailSignUp || rec.Purpose == emailSignIn {
		budget = rec.AccountID + "|" + emailBudget
	}
	st, err := s.reserve(codeTries, budget, false)
	if err != nil {
		return nil, err
	}
	if st.full {
		_, _, err := tempTake[codeRec](s, kind, key)
		return nil, errors.Join(err, errTooManyCodes)
	}
	right := false
	err = tempUpdate(s, kind, key, func(cur *codeRec, ok bool) (bool, time.Duration, error) {
		if !ok || !s.now().Before(cur.Expires) {
			return false, 0, errCodeExpired
		}
		rec = *cur
		if right = hashSecret(strings.TrimSpace(code)) == cur.CodeHash; right {
			return false, 0, nil // single use
		}
		if st.count >= codeTries.limit {
			return false, 0, errTooManyCodes
		}
		e := errf(http.StatusBadRequest, api.CodeCodeWrong, "The code is not right.")
		e.body.TriesLeft = codeTries.limit - st.count
		return true, cur.Expires.Sub(s.now()), e // the expiry stays where sending put it
	})
	if right || errors.Is(err, errCodeExpired) {
		// Not a wrong guess: take the count back.
		err = errors.Join(err, s.release(st.res))
	}
	if err != nil {
		return nil, err
	}
	return &rec, nil
}

// newCode stores a fresh code for purpose under kind/key, valid for ttl, and returns
// the code to send.
func (s *Server) newCode(kind, key, acctID, purpose, client string, ttl time.Duration) (string, *codeRec, error) {
	code, err := s.randomDigits(6)
	if err != nil {
		return "", nil, err
	}
	now := s.now()
	rec := &codeRec{AccountID: acctID, Purpose: purpose, CodeHash: hashSecret(code), SentAt: now, Expires: now.Add(ttl), Client: client}
	return code, rec, tempPut(s, kind, key, *rec, ttl)
}
