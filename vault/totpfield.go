package vault

import (
	"errors"
	"strings"

	"github.com/valvpm/valv/vault/totp"
)

// checkTOTP refuses an authenticator secret the app could not make codes from, so a
// mistyped or half-pasted secret is caught when the item is saved, not when a code is
// needed. The stored text stays as the person gave it: exports keep it exactly.
func checkTOTP(s string) *FieldError {
	if s == "" {
		return nil
	}
	if _, err := totp.Parse(s); err != nil {
		reason := "is not a valid authenticator secret or otpauth:// link"
		// totp's errors say what is wrong and never repeat the secret.
		if detail, ok := strings.CutPrefix(err.Error(), totp.ErrInvalid.Error()+": "); ok && errors.Is(err, totp.ErrInvalid) {
			reason += ": " + detail
		}
		return &FieldError{"totp", reason, FieldTOTP}
	}
	return nil
}
