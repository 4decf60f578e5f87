package ui

import (
	"context"
	"errors"

	"github.com/valvpm/valv/account"
	"github.com/valvpm/valv/ui/appcore"
)

// accountErrors maps the account package's sentinels to their sentence's key. The
// package's own texts are English; the person reads these, in their language.
var accountErrors = []struct {
	err error
	key string
}{
	{appcore.ErrNoServer, "accountError.noServer"},
	{appcore.ErrNoBrowser, "error.openURL"},
	{account.ErrOffline, "accountError.offline"},
	{account.ErrServerUnreachable, "accountError.unreachable"},
	{account.ErrServer, "accountError.server"},
	{account.ErrInsecureURL, "accountError.insecureURL"},
	{account.ErrInvalidCredentials, "accountError.invalidCredentials"},
	{account.ErrCaptchaRequired, "accountError.captchaRequired"},
	{account.ErrCaptchaWrong, "accountError.captchaWrong"},
	{account.ErrCodeWrong, "accountError.codeWrong"},
	{account.ErrCodeExpired, "accountError.codeExpired"},
	{account.ErrTooManyTries, "accountError.tooManyTries"},
	{account.ErrResendTooEarly, "accountError.resendTooEarly"},
	{account.ErrSMSLimit, "accountError.smsLimit"},
	{account.ErrPasswordNotSet, "accountError.passwordNotSet"},
	{account.ErrWrongPassword, "accountError.wrongPassword"},
	{account.ErrEmailTaken, "accountError.emailTaken"},
	{account.ErrInvalidEmail, "accountError.invalidEmail"},
	{account.ErrPasswordRules, "accountError.passwordRules"},
	{account.ErrPasswordsDiffer, "accountError.passwordsDiffer"},
	{account.ErrDataProvision, "accountError.dataProvision"},
	{account.ErrAccountBlocked, "accountError.blocked"},
	{account.ErrRateLimited, "accountError.rateLimited"},
	{account.ErrNotSignedIn, "accountError.notSignedIn"},
	{account.ErrSessionExpired, "accountError.sessionExpired"},
	{account.ErrProviderFailed, "accountError.providerFailed"},
	{account.ErrTimeout, "accountError.timeout"},
	{account.ErrCancelled, "accountError.cancelled"},
	{account.ErrUnknownProvider, "accountError.unknownProvider"},
	{account.ErrKeyringUnavailable, "accountError.keyring"},
	// A call stopped by Cancel (or its time limit) before the account package could
	// name the reason, e.g. quick sign-in cancelled while it still asks the server.
	{context.Canceled, "accountError.cancelled"},
	{context.DeadlineExceeded, "accountError.unreachable"},
}

// accountErrorText is the sentence for an account error, and whether err is one.
func accountErrorText(err error) (string, bool) {
	for _, e := range accountErrors {
		if errors.Is(err, e.err) {
			if e.err == account.ErrRateLimited {
				if ae, ok := account.Details(err); ok && ae.RetryIn() > 0 {
					return T("accountError.rateLimitedFor", map[string]any{"Seconds": int(ae.RetryIn().Seconds() + 0.5)}), true
				}
			}
			return T(e.key), true
		}
	}
	return "", false
}
