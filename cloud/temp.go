package cloud

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"time"

	"crypto/rand"

	"github.com/valvpm/valv/cloud/api"
)

// Kinds of short-lived records (store.Temp). Secret values (codes, tokens) are only
// ever stored as SHA-256 hashes; being random and high-entropy (or short-lived and
// try-limited, for 6-digit codes) they need no slow hash.
const (
	tmpCaptcha     = "captcha"      // captcha ID → captchaRec
	tmpFailAcct    = "fail_acct"    // e-mail → failures
	tmpFailIP      = "fail_ip"      // address → failures
	tmpSMS         = "sms"          // challenge ID → smsRec
	tmpSMSHour     = "sms_hour"     // account ID → failures (send times)
	tmpActionCode  = "action_code"  // account ID ‖ action → codeRec
	tmpCodeTries   = "code_tries"   // account ID ‖ purpose → failures (wrong codes)
	tmpEmailCheck  = "email_check"  // challenge ID → codeRec (proving an address)
	tmpEmailHour   = "email_hour"   // account ID → failures (verification e-mails sent)
	tmpActionToken = "action_token" // hash(token) → actionTokenRec
	tmpReset       = "reset"        // hash(token) → account ID
	tmpRate        = "rate"         // key ‖ minute → count
	tmpOAuthState  = "oauth_state"  // state → oauthStateRec
	tmpOAuthCode   = "oauth_code"   // hash(code) → handoffRec
	tmpOAuthNew    = "oauth_new"    // pending ID → pendingRec (first provider sign-in)
	tmpOAuthDP     = "oauth_dp"     // pending ID → dpRec (statement on data provision to accept)
)

// tempUpdate reads the record kind/key into a T (found=false if absent or expired),
// lets fn change it, and stores it unless fn says drop. fn's error is returned after
// the change is stored: a wrong code must both count a try and fail the request.
func tempUpdate[T any](s *Server, kind, key string, fn func(v *T, found bool) (keep bool, ttl time.Duration, err error)) error {
	var outcome error
	now := s.now()
	err := s.st.Temp(kind, key, now, func(raw []byte) ([]byte, time.Time, error) {
		var v T
		found := raw != nil
		if found {
			if err := json.Unmarshal(raw, &v); err != nil {
				return nil, time.Time{}, fmt.Errorf("cloud: temp %s: %w", kind, err)
			}
		}
		keep, ttl, err := fn(&v, found)
		outcome = err
		if !keep {
			return nil, time.Time{}, nil
		}
		b, err := json.Marshal(&v)
		if err != nil {
			return nil, time.Time{}, err
		}
		return b, now.Add(ttl), nil
	})
	if err != nil {
		return err
	}
	return outcome
}

// tempPut stores v under kind/key for ttl.
func tempPut[T any](s *Server, kind, key string, v T, ttl time.Duration) error {
	return tempUpdate(s, kind, key, func(cur *T, _ bool) (bool, time.Duration, error) {
		*cur = v
		return true, ttl, nil
	})
}

// tempTake returns and deletes the record: what makes states, codes and tokens single-use.
func tempTake[T any](s *Server, kind, key string) (v T, found bool, err error) {
	err = tempUpdate(s, kind, key, func(cur *T, ok bool) (bool, time.Duration, error) {
		v, found = *cur, ok
		return false, 0, nil
	})
	return v, found, err
}

// errPeek aborts tempPeek's transaction so that reading changes nothing.
var errPeek = errors.New("cloud: peek")

// tempPeek reads the record kind/key without changing it.
func tempPeek[T any](s *Server, kind, key string) (v T, found bool, err error) {
	err = s.st.Temp(kind, key, s.now(), func(raw []byte) ([]byte, time.Time, error) {
		if raw != nil {
			found = true
			if err := json.Unmarshal(raw, &v); err != nil {
				return nil, time.Time{}, fmt.Errorf("cloud: temp %s: %w", kind, err)
			}
		}
		return nil, time.Time{}, errPeek
	})
	if errors.Is(err, errPeek) {
		err = nil
	}
	return v, found, err
}

// randomToken returns n random bytes, URL-safe base64 encoded.
func (s *Server) randomToken(n int) (string, error) {
	b := make([]byte, n)
	if _, err := io.ReadFull(s.cfg.Rand, b); err != nil {
		return "", fmt.Errorf("cloud: random: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// randomID returns a 16-byte hex ID (account, session, challenge IDs).
func (s *Server) randomID() (string, error) {
	b := make([]byte, 16)
	if _, err := io.ReadFull(s.cfg.Rand, b); err != nil {
		return "", fmt.Errorf("cloud: random: %w", err)
	}
	return hex.EncodeToString(b), nil
}

// randomDigits returns n uniformly random decimal digits.
func (s *Server) randomDigits(n int) (string, error) {
	out := make([]byte, n)
	ten := big.NewInt(10)
	for i := range out {
		d, err := rand.Int(s.cfg.Rand, ten)
		if err != nil {
			return "", fmt.Errorf("cloud: random: %w", err)
		}
		out[i] = byte('0' + d.Int64())
	}
	return string(out), nil
}

func hashSecret(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// rateLimit counts one request against each key for the current minute and refuses it
// when any key is over its limit. Keys are "ip:<addr>" or "acct:<id or e-mail>".
func (s *Server) rateLimit(r *http.Request, accountKey string) error {
	now := s.now()
	minute := now.Truncate(time.Minute)
	retry := int(minute.Add(time.Minute).Sub(now).Seconds()) + 1
	check := func(key string, limit int) error {
		var over bool
		err := tempUpdate(s, tmpRate, key+"|"+minute.Format(time.RFC3339), func(n *int, _ bool) (bool, time.Duration, error) {
			*n++
			over = *n > limit
			return true, 2 * time.Minute, nil
		})
		if err != nil {
			return err
		}
		if over {
			e := errf(http.StatusTooManyRequests, api.CodeRateLimited, "Too many attempts. Please wait a minute and try again.")
			e.body.RetryAfter = retry
			return e
		}
		return nil
	}
	if err := check("ip:"+s.clientIP(r), s.cfg.RateLimits.PerIP); err != nil {
		return err
	}
	if accountKey != "" {
		return check("acct:"+accountKey, s.cfg.RateLimits.PerAccount)
	}
	return nil
}
