package appcore

import (
	"bytes"

	"github.com/valvpm/valv/vault"
)

// NewPasswordProblem says why a new master password, typed twice, cannot be used yet.
type NewPasswordProblem int

// The problems of a new master password, in the order they are checked.
const (
	NewPasswordOK       NewPasswordProblem = iota
	NewPasswordEmpty                       // nothing typed
	NewPasswordMismatch                    // the two fields differ
	NewPasswordWeak                        // weak, and the weakness was not confirmed
)

// CheckNewPassword decides whether pw (typed again as again) may become a master
// password: not empty, the same twice, and a weak one only when the person confirmed
// it knowingly. The create screen, Change master password, the reset of a forgotten
// one and an encrypted export share the rule.
func CheckNewPassword(pw, again []byte, weakConfirmed bool) NewPasswordProblem {
	switch {
	case len(pw) == 0:
		return NewPasswordEmpty
	case !bytes.Equal(pw, again):
		return NewPasswordMismatch
	case IsWeak(vault.EstimateStrengthBytes(pw)) && !weakConfirmed:
		return NewPasswordWeak
	}
	return NewPasswordOK
}

// IsWeak is the threshold below which a master password needs explicit confirmation.
func IsWeak(st vault.Strength) bool { return st.Score < 3 }
