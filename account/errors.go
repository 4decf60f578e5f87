package account

import (
	"errors"
	"fmt"
	"time"

	"github.com/valvpm/valv/cloud/api"
)

// Sentinel errors the UI acts on. Their texts are sentences a person can read.
var (
	ErrOffline            error = &retryable{"you seem to be offline: check your internet connection and try again"}
	ErrServerUnreachable  error = &retryable{"the Valv server cannot be reached right now; try again in a moment"}
	ErrServer             error = &retryable{"the Valv server had a problem; try again later"}
	ErrInsecureURL              = errors.New("the Valv server address must start with https:// (plain http:// is only allowed for this computer)")
	ErrInvalidCredentials       = errors.New("the e-mail or password is incorrect")
	ErrCaptchaRequired          = errors.New("enter the code from the picture to continue")
	ErrCaptchaWrong             = errors.New("the code from the picture was not right; try the new picture")
	ErrCodeWrong                = errors.New("the code is not right; check it and try again")
	ErrCodeExpired              = errors.New("the code has expired; request a new one")
	ErrTooManyTries             = errors.New("too many wrong codes; sign in again to get a new one")
	ErrResendTooEarly           = errors.New("wait a little before requesting a new code")
	ErrSMSLimit                 = errors.New("too many codes were sent this hour; try again later")
	ErrPasswordNotSet           = errors.New("this account signs in with a provider and has no Valv Account password yet")
	ErrWrongPassword            = errors.New("the password is incorrect")
	ErrEmailTaken               = errors.New("an account with this e-mail already exists; sign in instead")
	ErrInvalidEmail             = errors.New("enter a valid e-mail address")
	ErrPasswordRules            = errors.New("the password does not follow the rules")
	ErrPasswordsDiffer          = errors.New("the two passwords differ")
	ErrDataProvision            = errors.New("in your region you must accept the statement on data provision to connect")
	ErrAccountBlocked           = errors.New("this account is blocked; contact support")
	ErrRateLimited        error = &retryable{"too many attempts; wait a moment and try again"}
	ErrNotSignedIn              = errors.New("you are not signed in to a Valv Account")
	ErrSessionExpired           = errors.New("your session has ended (signed out, or the account password was changed, which signs out every other device); sign in again")
	ErrProviderFailed           = errors.New("the sign-in with the provider did not complete; try again")
	ErrTimeout                  = errors.New("the sign-in in the browser took too long; try again")
	ErrCancelled                = errors.New("the sign-in was cancelled")
	ErrActionToken              = errors.New("the confirmation is no longer valid; confirm again")
	ErrUnknownProvider          = errors.New("this sign-in method is not offered in your region")
	ErrEmailLimit               = errors.New("too many codes were e-mailed this hour; try again later")
	// ErrPasswordTooNew: a password chosen on the website less than a day ago cannot
	// confirm a dangerous action yet; the e-mailed code can.
	ErrPasswordTooNew = errors.New("this password was chosen less than a day ago; confirm with the code we e-mail instead")
	// ErrEntryLimit: the plan keeps no more entries in the cloud (APIError.Body.MaxEntries
	// says how many it keeps); the others stay on this device, read-only.
	ErrEntryLimit = errors.New("your plan keeps no more entries; the rest stay read-only")
	// ErrAttachmentLimit: the plan keeps no more attached files in the cloud
	// (APIError.AttachmentLimit says how many bytes it keeps); the file stays on this
	// device and is uploaded once there is room.
	ErrAttachmentLimit = errors.New("your plan keeps no more attached files in the cloud; the file stays on this device")
	// ErrChunkNotFound: the cloud does not have the file (yet): the device that added
	// it has not uploaded it, or it was removed.
	ErrChunkNotFound = errors.New("this file is not in the cloud yet; open it again once the device that added it has synced")
	// ErrInvalidChunk: the app named a file part the server cannot take (a bug, not
	// something the person did).
	ErrInvalidChunk = errors.New("the server refused a part of a file as malformed")
)

// retryable marks the errors worth retrying later without bothering the person: the
// sync engine backs off on them (it tests for a Retryable method, so it need not
// import this package).
type retryable struct{ msg string }

func (r *retryable) Error() string { return r.msg }

// Retryable reports true: the failure is the network's or the server's, not the data's.
func (r *retryable) Retryable() bool { return true }

// codeErrors maps the server's stable codes to the sentinels above.
var codeErrors = map[api.Code]error{
	api.CodeInvalidCredentials: ErrInvalidCredentials,
	api.CodeCaptchaRequired:    ErrCaptchaRequired,
	api.CodeCaptchaWrong:       ErrCaptchaWrong,
	api.CodeCodeWrong:          ErrCodeWrong,
	api.CodeCodeExpired:        ErrCodeExpired,
	api.CodeTooManyTries:       ErrTooManyTries,
	api.CodeResendTooEarly:     ErrResendTooEarly,
	api.CodeSMSLimit:           ErrSMSLimit,
	api.CodePasswordNotSet:     ErrPasswordNotSet,
	api.CodeWrongPassword:      ErrWrongPassword,
	api.CodeEmailTaken:         ErrEmailTaken,
	api.CodeInvalidEmail:       ErrInvalidEmail,
	api.CodePasswordTooShort:   ErrPasswordRules,
	api.CodePasswordNoDigit:    ErrPasswordRules,
	api.CodePasswordNoLower:    ErrPasswordRules,
	api.CodePasswordNoUpper:    ErrPasswordRules,
	api.CodePasswordHasSpace:   ErrPasswordRules,
	api.CodePasswordTooLong:    ErrPasswordRules,
	api.CodeDataProvisionReq:   ErrDataProvision,
	api.CodeAccountBlocked:     ErrAccountBlocked,
	api.CodeRateLimited:        ErrRateLimited,
	api.CodeUnauthorized:       ErrSessionExpired,
	api.CodeProviderFailed:     ErrProviderFailed,
	api.CodeInvalidGrant:       ErrProviderFailed,
	api.CodeInvalidState:       ErrProviderFailed,
	api.CodeActionTokenInvalid: ErrActionToken,
	api.CodeUnknownProvider:    ErrUnknownProvider,
	api.CodeInternal:           ErrServer,
	api.CodeEmailLimit:         ErrEmailLimit,
	api.CodePasswordTooNew:     ErrPasswordTooNew,
	api.CodeEntryLimit:         ErrEntryLimit,
	api.CodeAttachmentLimit:    ErrAttachmentLimit,
	api.CodeChunkNotFound:      ErrChunkNotFound,
	api.CodeInvalidChunk:       ErrInvalidChunk,
}

// APIError is an error answer from the server. It unwraps to the matching sentinel (so
// errors.Is works) and keeps the details a screen needs: a new captcha, the broken
// password rules, when to retry, the region's statement.
type APIError struct {
	Status int       // HTTP status
	Code   api.Code  // the stable code (also Body.Code)
	Body   api.Error // everything the server said
}

func (e *APIError) Error() string {
	if s := codeErrors[e.Code]; s != nil {
		return s.Error()
	}
	if e.Body.Message != "" {
		return e.Body.Message
	}
	return fmt.Sprintf("the Valv server answered %d (%s)", e.Status, e.Code)
}

// APICode returns the server's code; the sync engine switches on it without importing
// this package.
func (e *APIError) APICode() api.Code { return e.Code }

// KeyEpochNow is the server's key epoch in a key_epoch_changed answer.
func (e *APIError) KeyEpochNow() uint64 { return e.Body.KeyEpoch }

// Unwrap returns the sentinel for the code, if any.
func (e *APIError) Unwrap() error { return codeErrors[e.Code] }

// RetryIn is how long the server asked to wait, if it did.
func (e *APIError) RetryIn() time.Duration { return time.Duration(e.Body.RetryAfter) * time.Second }

// Details returns the server's details of err, if err came from the server.
func Details(err error) (*APIError, bool) {
	var ae *APIError
	ok := errors.As(err, &ae)
	return ae, ok
}

// EntryLimit is the plan's entry limit in an entry_limit answer; the sync engine reads
// it without importing this package.
func (e *APIError) EntryLimit() int { return e.Body.MaxEntries }

// AttachmentLimit is the plan's bound in an attachment_limit answer, in bytes.
func (e *APIError) AttachmentLimit() int64 { return e.Body.MaxAttachmentBytes }
