// Package totp makes authenticator codes (RFC 6238, time-based one-time passwords) from
// what a login keeps in its TOTP field: an otpauth://totp/… URI or a bare base32 secret.
// It is shared by the vault (which refuses a malformed secret when an item is saved),
// valv-cli and the app, so it imports neither.
//
// The code is the few lines of RFC 4226/6238 over crypto/hmac rather than a library
// such as github.com/pquerna/otp: the algorithm is short enough to read in one sitting,
// the standard library already has every primitive, and the parser here must refuse
// inputs with a sentence a person can act on and bound digits and period to what an
// authenticator shows — which a generic library leaves to its caller anyway.
//
// The time comes from the caller (Key.At takes it), so the app's countdown and the
// tests run on an injected clock.
package totp

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/binary"
	"errors"
	"hash"
	"strconv"
	"strings"
	"time"
)

// ErrInvalid means the text is not a usable authenticator secret or otpauth:// URI.
// Parse wraps it with a sentence that says what is wrong.
var ErrInvalid = errors.New("this is not a valid authenticator secret")

// Algorithm is the HMAC hash of a key.
type Algorithm uint8

// The hashes RFC 6238 names. SHA1 is the default and what most services use.
const (
	SHA1 Algorithm = iota
	SHA256
	SHA512
)

// String is the name used in otpauth:// URIs ("SHA1", "SHA256", "SHA512").
func (a Algorithm) String() string {
	switch a {
	case SHA256:
		return "SHA256"
	case SHA512:
		return "SHA512"
	}
	return "SHA1"
}

func (a Algorithm) new() func() hash.Hash {
	switch a {
	case SHA256:
		return sha256.New
	case SHA512:
		return sha512.New
	}
	return sha1.New
}

// Bounds of what a key may ask for. Authenticator apps show 6 to 8 digits; the period
// may be anything from a second to a day (longer would not be a one-time code).
const (
	MinDigits     = 6
	MaxDigits     = 8
	DefaultDigits = 6
	DefaultPeriod = 30 * time.Second
	MaxPeriod     = 24 * time.Hour
	// There is no minimum secret length beyond one byte: real exports carry secrets as
	// short as 4 bytes (test accounts, old services), and the code they give is still
	// the one the service expects, so refusing them would only lose what a person kept.
	// MaxSecretBytes bounds the HMAC key; real secrets are 10 to 64 bytes.
	MaxSecretBytes = 1024
)

// Key is a parsed authenticator secret with its parameters. Secret is the shared key;
// callers must not log or show it.
type Key struct {
	Secret    []byte
	Algorithm Algorithm
	Digits    int
	Period    time.Duration // a whole number of seconds
	Issuer    string        // the service, from the URI, for display; may be empty
	Account   string        // the account name from the URI's label; may be empty
}

// Code is the code valid at a moment and how long it stays valid.
type Code struct {
	Value     string        // the digits, zero-padded: "012345"
	Remaining time.Duration // until the next code, > 0 and ≤ Period
	Period    time.Duration
}

// RemainingSeconds is Remaining rounded up to whole seconds, as a countdown shows it:
// Period's seconds at the first instant of a code, 1 in its last second.
func (c Code) RemainingSeconds() int {
	return int((c.Remaining + time.Second - 1) / time.Second)
}

// At returns the code for the moment t (time step T = floor(unix seconds / period),
// RFC 6238 §4.2). Moments before 1970 use the first step.
func (k *Key) At(t time.Time) Code {
	period := int64(k.Period / time.Second)
	if period <= 0 {
		period = int64(DefaultPeriod / time.Second)
	}
	sec := max(t.Unix(), 0)
	step := sec / period
	end := time.Unix((step+1)*period, 0)
	return Code{
		Value:     k.code(uint64(step)),
		Remaining: end.Sub(t),
		Period:    time.Duration(period) * time.Second,
	}
}

// code is HOTP (RFC 4226 §5.3) for the counter: HMAC the big-endian counter, take 31
// bits at the offset the last nibble names, keep the low Digits decimal digits.
func (k *Key) code(counter uint64) string {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], counter)
	mac := hmac.New(k.Algorithm.new(), k.Secret)
	mac.Write(msg[:])
	sum := mac.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	bin := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	digits := k.Digits
	if digits < MinDigits || digits > MaxDigits {
		digits = DefaultDigits
	}
	mod := uint32(1)
	for range digits {
		mod *= 10
	}
	s := strconv.FormatUint(uint64(bin%mod), 10)
	return strings.Repeat("0", digits-len(s)) + s
}
