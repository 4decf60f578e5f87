package cloud

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/valvpm/valv/cloud/api"
	"github.com/valvpm/valv/cloud/store"
)

// SMS rules (PRODUCT.md §1.2): a code lives long enough to type from a phone, and
// resending waits a little so a stuck button cannot flood the phone or the gateway.
const (
	smsTTL      = 5 * time.Minute
	smsResend   = 30 * time.Second
	smsTries    = 5
	smsPerHour  = 5
	smsSignIn   = "signin"
	smsSetup    = "setup"
	smsReauth   = "reauth"
	smsCodeLen  = 6
	smsHourSpan = time.Hour
)

type smsRec struct {
	AccountID string    `json:"account_id"`
	Purpose   string    `json:"purpose"`
	CodeHash  string    `json:"code_hash"`
	SentAt    time.Time `json:"sent_at"`
	Tries     int       `json:"tries"`
	Phone     string    `json:"phone"`
	Client    string    `json:"client,omitempty"`
	Action    string    `json:"action,omitempty"`
}

func (rec *smsRec) view(id string) *api.SMSChallenge {
	return &api.SMSChallenge{ChallengeID: id, PhoneHint: maskPhone(rec.Phone),
		ExpiresAt: rec.SentAt.Add(smsTTL), ResendAt: rec.SentAt.Add(smsResend)}
}

// reserveSMS counts one SMS against the account's hourly allowance, or refuses.
func (s *Server) reserveSMS(accountID string) error {
	n, err := s.countEvents(tmpSMSHour, accountID, smsHourSpan, false)
	if err != nil {
		return err
	}
	if n >= smsPerHour {
		e := errf(http.StatusTooManyRequests, api.CodeSMSLimit, "Too many codes were sent to this phone. Try again in an hour.")
		e.body.RetryAfter = int(smsHourSpan.Seconds())
		return e
	}
	_, err = s.countEvents(tmpSMSHour, accountID, smsHourSpan, true)
	return err
}

func (s *Server) sendCode(phone, code string) error {
	return s.cfg.SMS.SendSMS(phone, fmt.Sprintf("Valv code: %s. It is valid for 5 minutes. Never share it.", code), code)
}

// startSMS sends a fresh code for purpose and returns the challenge.
func (s *Server) startSMS(acct *store.Account, purpose, phone, client, action string) (*api.SMSChallenge, error) {
	if err := s.reserveSMS(acct.ID); err != nil {
		return nil, err
	}
	id, err := s.randomID()
	if err != nil {
		return nil, err
	}
	code, err := s.randomDigits(smsCodeLen)
	if err != nil {
		return nil, err
	}
	rec := smsRec{AccountID: acct.ID, Purpose: purpose, CodeHash: hashSecret(code), SentAt: s.now(), Phone: phone, Client: client, Action: action}
	if err := tempPut(s, tmpSMS, id, rec, smsTTL); err != nil {
		return nil, err
	}
	if err := s.sendCode(phone, code); err != nil {
		return nil, err
	}
	return rec.view(id), nil
}

var errCodeExpired = errf(http.StatusBadRequest, api.CodeCodeExpired, "The code has expired. Request a new one.")

// resendSMS replaces the challenge's code after 30 s; the old code stops working.
func (s *Server) resendSMS(id string) (*api.SMSChallenge, error) {
	var rec smsRec
	err := tempUpdate(s, tmpSMS, id, func(cur *smsRec, found bool) (bool, time.Duration, error) {
		rec = *cur
		if !found {
			return false, 0, errCodeExpired
		}
		if wait := cur.SentAt.Add(smsResend).Sub(s.now()); wait > 0 {
			e := errf(http.StatusTooManyRequests, api.CodeResendTooEarly, "You can request a new code in %d seconds.", int(wait.Seconds()+0.999))
			e.body.RetryAfter = int(wait.Seconds() + 0.999)
			return true, cur.SentAt.Add(smsTTL).Sub(s.now()), e
		}
		return true, cur.SentAt.Add(smsTTL).Sub(s.now()), nil
	})
	if err != nil {
		return nil, err
	}
	if err := s.reserveSMS(rec.AccountID); err != nil {
		return nil, err
	}
	code, err := s.randomDigits(smsCodeLen)
	if err != nil {
		return nil, err
	}
	rec.CodeHash, rec.SentAt, rec.Tries = hashSecret(code), s.now(), 0
	if err := tempPut(s, tmpSMS, id, rec, smsTTL); err != nil {
		return nil, err
	}
	if err := s.sendCode(rec.Phone, code); err != nil {
		return nil, err
	}
	return rec.view(id), nil
}

// verifySMS checks a code: expired after 5 minutes, dead after 5 wrong tries, gone once
// right. A challenge of another purpose reads as unknown.
func (s *Server) verifySMS(id, code, purpose string) (*smsRec, error) {
	var rec smsRec
	err := tempUpdate(s, tmpSMS, id, func(cur *smsRec, found bool) (bool, time.Duration, error) {
		rec = *cur
		if !found || cur.Purpose != purpose || !s.now().Before(cur.SentAt.Add(smsTTL)) {
			return false, 0, errCodeExpired
		}
		if hashSecret(strings.TrimSpace(code)) == cur.CodeHash {
			return false, 0, nil
		}
		cur.Tries++
		if cur.Tries >= smsTries {
			return false, 0, errf(http.StatusBadRequest, api.CodeTooManyTries, "Too many wrong codes. Start again.")
		}
		e := errf(http.StatusBadRequest, api.CodeCodeWrong, "The code is not right.")
		e.body.TriesLeft = smsTries - cur.Tries
		return true, cur.SentAt.Add(smsTTL).Sub(s.now()), e
	})
	if err != nil {
		return nil, err
	}
	return &rec, nil
}

// maskPhone keeps the last two digits: "+•••••••••12".
func maskPhone(p string) string {
	if len(p) <= 4 {
		return "•••"
	}
	return p[:1] + strings.Repeat("•", len(p)-3) + p[len(p)-2:]
}

// normalizePhone accepts E.164 with optional spaces/dashes: "+46 70-123 45 67".
func normalizePhone(p string) (string, error) {
	var b strings.Builder
	for i, r := range strings.TrimSpace(p) {
		switch {
		case r == '+' && i == 0:
			b.WriteRune(r)
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == ' ' || r == '-':
		default:
			return "", errf(http.StatusBadRequest, api.CodeInvalidPhone, "Enter the phone number with country code, like +46 70 123 45 67.")
		}
	}
	out := b.String()
	if !strings.HasPrefix(out, "+") || len(out) < 9 || len(out) > 16 {
		return "", errf(http.StatusBadRequest, api.CodeInvalidPhone, "Enter the phone number with country code, like +46 70 123 45 67.")
	}
	return out, nil
}
