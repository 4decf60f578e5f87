package api

// Code is a stable, machine-readable error code. Clients switch on it; the message next
// to it is for people and may change. Codes are never renamed or reused.
type Code string

// Request and transport errors.
const (
	CodeBadRequest       Code = "bad_request"        // malformed JSON, unknown field, wrong type
	CodeBodyTooLarge     Code = "body_too_large"     // request body over the endpoint's limit
	CodeNotFound         Code = "not_found"          // no such endpoint or object
	CodeMethodNotAllowed Code = "method_not_allowed" // wrong HTTP method
	CodeRateLimited      Code = "rate_limited"       // too many requests; see RetryAfter
	CodeInternal         Code = "internal"           // the server failed; try later
	CodeUnauthorized     Code = "unauthorized"       // missing, unknown or expired access token
	CodeForbidden        Code = "forbidden"          // signed in, but not allowed
)

// Account creation and password rules (PRODUCT.md §1.4): one code per broken rule.
const (
	CodeInvalidEmail       Code = "invalid_email"
	CodeEmailTaken         Code = "email_taken"
	CodePasswordTooShort   Code = "password_too_short"    // fewer than 8 characters
	CodePasswordNoDigit    Code = "password_no_digit"     // no digit
	CodePasswordNoLower    Code = "password_no_lowercase" // no lowercase letter
	CodePasswordNoUpper    Code = "password_no_uppercase" // no uppercase letter
	CodePasswordHasSpace   Code = "password_has_space"    // contains white space
	CodePasswordTooLong    Code = "password_too_long"     // over 256 bytes; caps hashing work
	CodeTermsNotAccepted   Code = "terms_not_accepted"    // accept_terms was false
	CodeUnknownRegion      Code = "unknown_region"
	CodeDataProvisionReq   Code = "data_provision_required" // region needs "Accept and connect"
	CodePasswordNotSet     Code = "password_not_set"        // provider-only account: choose a password first
	CodeWrongPassword      Code = "wrong_password"          // re-authentication of a signed-in account failed
	CodeAccountBlocked     Code = "account_blocked"
	CodeInvalidCredentials Code = "invalid_credentials" // never says whether the e-mail exists
	// CodePasswordTooNew: a password chosen without the old one (a provider-only
	// account's first) confirms nothing dangerous for PasswordSettleTime; use the
	// e-mailed code meanwhile.
	CodePasswordTooNew Code = "password_too_new"
	// CodeReauthRequired: the change (two-step phone, deleting the account) needs the
	// account password or an action token from an e-mailed code.
	CodeReauthRequired Code = "reauth_required"
	CodeEmailLimit     Code = "email_limit" // at most EmailCodesPerHour codes e-mailed per hour per account
)

// Captcha and two-step verification.
const (
	CodeCaptchaRequired Code = "captcha_required" // Error.Captcha holds a new challenge
	CodeCaptchaWrong    Code = "captcha_wrong"    // wrong or expired answer; Error.Captcha holds a new one
	CodeSMSRequired     Code = "sms_required"     // for re-authentication: finish with the SMS code
	CodeCodeWrong       Code = "code_wrong"       // wrong verification code; tries remain
	CodeCodeExpired     Code = "code_expired"     // code (or challenge) expired, used or unknown
	CodeTooManyTries    Code = "too_many_tries"   // challenge dead after 5 wrong codes; sign in again
	CodeResendTooEarly  Code = "resend_too_early" // a new SMS only 30 s after the last; see RetryAfter
	CodeSMSLimit        Code = "sms_limit"        // at most 5 SMS per hour per account
	CodeInvalidPhone    Code = "invalid_phone"
	CodeTwoStepNotOn    Code = "two_step_not_enabled"
)

// Dangerous actions (PRODUCT.md §4).
const (
	CodeUnknownAction      Code = "unknown_action"
	CodeActionTokenInvalid Code = "action_token_invalid" // missing, used, expired or for another action
)

// Quick sign-in (OAuth2/OIDC, RFC 8252 handoff).
const (
	CodeUnknownProvider    Code = "unknown_provider"     // not configured, or not offered in the region
	CodeInvalidRedirectURI Code = "invalid_redirect_uri" // only http://127.0.0.1:<port>/… or [::1]
	CodeInvalidState       Code = "invalid_state"        // unknown, used or expired state
	CodeInvalidGrant       Code = "invalid_grant"        // code unknown/used/expired, or PKCE mismatch
	CodeProviderFailed     Code = "provider_failed"      // the provider refused or answered nonsense
	CodePKCERequired       Code = "pkce_required"        // code_challenge with method S256 is mandatory
)

// Subscriptions.
const (
	CodeActivationCodeInvalid Code = "activation_code_invalid"
)

// Cloud vault store.
const (
	CodeVaultNotFound   Code = "vault_not_found"   // no header yet (or wiped): PUT one
	CodeVaultExists     Code = "vault_exists"      // PUT of a new header when one exists with another vault ID
	CodeConflict        Code = "conflict"          // stale push; Error.Conflicts has current versions
	CodeKeyEpochChanged Code = "key_epoch_changed" // vault replaced/reset elsewhere: pull from 0
	CodeItemTooLarge    Code = "item_too_large"    // one sealed item over Limits.MaxItemBytes
	CodeVaultTooLarge   Code = "vault_too_large"   // the vault would exceed Limits.MaxVaultBytes
	CodeTooManyItems    Code = "too_many_items"    // one push with more than Limits.MaxPushItems
	CodeInvalidItem     Code = "invalid_item"      // empty or over-long item ID, duplicate in a push
	CodeInvalidHeader   Code = "invalid_header"    // header missing vault_id or wrapped_key, or not a version-1 header
	// CodeKDFOutOfBounds: the header's Argon2id settings are below the floor or above
	// the caps that the vault itself enforces (KDFMin…, KDFMax…).
	CodeKDFOutOfBounds Code = "kdf_out_of_bounds"
	// CodeKeyEpochLimit: the key epoch cannot grow any more (MaxKeyEpoch).
	CodeKeyEpochLimit Code = "key_epoch_limit"
	// CodeEntryLimit: the push would keep more live entries than the plan allows
	// (Error.MaxEntries). Entries over the limit stay on the device, read-only.
	CodeEntryLimit Code = "entry_limit"
)

// Error is the body of every non-2xx response: {"error": {...}}.
type Error struct {
	Code    Code   `json:"code"`
	Message string `json:"message"`
	// BrokenRules lists every broken password rule (the first one is also Code).
	BrokenRules []Code `json:"broken_rules,omitempty"`
	// RetryAfter is the number of seconds to wait (rate limits, SMS resend).
	RetryAfter int `json:"retry_after,omitempty"`
	// Captcha is a fresh challenge when Code is captcha_required or captcha_wrong.
	Captcha *Captcha `json:"captcha,omitempty"`
	// Conflicts holds the server's current versions when Code is conflict.
	Conflicts []VaultItem `json:"conflicts,omitempty"`
	// KeyEpoch is the server's key epoch when Code is key_epoch_changed.
	KeyEpoch uint64 `json:"key_epoch,omitempty"`
	// Statement is the region's data-provision statement when Code is data_provision_required.
	Statement *Statement `json:"statement,omitempty"`
	// TriesLeft counts remaining verification tries when Code is code_wrong.
	TriesLeft int `json:"tries_left,omitempty"`
	// MaxEntries is the plan's entry limit when Code is entry_limit.
	MaxEntries int `json:"max_entries,omitempty"`
	// MaxAttachmentBytes is the plan's bound when Code is attachment_limit.
	MaxAttachmentBytes int64 `json:"max_attachment_bytes,omitempty"`
}

// ErrorBody wraps Error as it appears on the wire.
type ErrorBody struct {
	Error Error `json:"error"`
}

// Error lets clients return a decoded *Error as a Go error.
func (e *Error) Error() string { return string(e.Code) + ": " + e.Message }
