package api

import (
	"encoding/json"
	"time"
)

// Health is the body of GET /healthz.
type Health struct {
	Status  string `json:"status"` // "ok"
	Version string `json:"version"`
	Dev     bool   `json:"dev,omitempty"`
}

// Statement names a version of a text the user accepts (the Web Portal Statement, or a
// region's data-provision statement) and where to read it.
type Statement struct {
	Version string `json:"version"`
	Title   string `json:"title"`
	URL     string `json:"url"`
}

// Region is one entry of GET /v1/regions. The server decides which quick sign-in
// providers a region offers and whether it needs the data-provision statement.
type Region struct {
	Code          string     `json:"code"`
	Name          string     `json:"name"`
	Providers     []string   `json:"providers"`
	DataProvision *Statement `json:"data_provision,omitempty"` // nil: not needed
}

// RegionsResponse is the body of GET /v1/regions.
type RegionsResponse struct {
	Regions []Region  `json:"regions"`
	Terms   Statement `json:"terms"` // the current Web Portal Statement
}

// CreateAccountRequest is the body of POST /v1/accounts.
type CreateAccountRequest struct {
	Email            string `json:"email"`
	Password         string `json:"password"`
	MarketingConsent bool   `json:"marketing_consent"`
	AcceptTerms      bool   `json:"accept_terms"`  // must be true: creating accepts the statement
	TermsVersion     string `json:"terms_version"` // empty: the current one
	Region           string `json:"region"`
	// AcceptDataProvision must be true where the region demands "Accept and connect".
	AcceptDataProvision bool   `json:"accept_data_provision,omitempty"`
	ClientName          string `json:"client_name,omitempty"` // shown in the session list
}

// SignInRequest is the body of POST /v1/sessions.
type SignInRequest struct {
	Email               string `json:"email"`
	Password            string `json:"password"`
	CaptchaID           string `json:"captcha_id,omitempty"`
	CaptchaAnswer       string `json:"captcha_answer,omitempty"`
	AcceptDataProvision bool   `json:"accept_data_provision,omitempty"`
	ClientName          string `json:"client_name,omitempty"`
}

// Captcha is an image challenge. ImagePNG is the picture itself (base64 in JSON); the
// same image is also served at ImageURL. It can be answered once, within two minutes.
type Captcha struct {
	ID        string    `json:"id"`
	ImageURL  string    `json:"image_url"`
	ImagePNG  []byte    `json:"image_png"`
	ExpiresAt time.Time `json:"expires_at"`
}

// Session is what a successful sign-in returns. The access token is short-lived and
// goes in "Authorization: Bearer"; the refresh token gets a new pair. Both are opaque.
type Session struct {
	SessionID        string    `json:"session_id"`
	AccessToken      string    `json:"access_token"`
	AccessExpiresAt  time.Time `json:"access_expires_at"`
	RefreshToken     string    `json:"refresh_token"`
	RefreshExpiresAt time.Time `json:"refresh_expires_at"`
	Account          Account   `json:"account"`
	// EmailCheck is set when the account's e-mail address is not proven yet (at
	// creation): a code was e-mailed; send it to PathEmailVerify.
	EmailCheck *EmailChallenge `json:"email_check,omitempty"`
}

// EmailChallenge says a 6-digit code was e-mailed to prove the account's address
// ("Enter the code we e-mailed"). It is valid EmailCodeTTL; a new one may be asked for
// at ResendAt (PathEmailResend), which replaces it.
type EmailChallenge struct {
	ChallengeID string    `json:"challenge_id"`
	SentTo      string    `json:"sent_to"` // masked: "an•••@example.com"
	ExpiresAt   time.Time `json:"expires_at"`
	ResendAt    time.Time `json:"resend_at"`
}

// EmailVerifyRequest is the body of POST /v1/account/email/verify.
type EmailVerifyRequest struct {
	ChallengeID string `json:"challenge_id"`
	Code        string `json:"code"`
	ClientName  string `json:"client_name,omitempty"`
}

// EmailVerifyResponse answers a right code: the account, now proven. A challenge that
// came from a password sign-in also finishes that sign-in: Session, or (two-step
// verification on) SMS to continue with POST /v1/sessions/sms.
type EmailVerifyResponse struct {
	Account Account       `json:"account"`
	Session *Session      `json:"session,omitempty"`
	SMS     *SMSChallenge `json:"sms,omitempty"`
}

// SMSChallenge says a code was sent by SMS and how to finish signing in.
type SMSChallenge struct {
	ChallengeID string    `json:"challenge_id"`
	PhoneHint   string    `json:"phone_hint"` // e.g. "+46 •• ••• ••12"
	ExpiresAt   time.Time `json:"expires_at"` // 5 minutes after sending
	ResendAt    time.Time `json:"resend_at"`  // 30 seconds after sending
}

// SignInResponse is the body of a successful POST /v1/sessions: either a session, or
// (two-step verification on) an SMS challenge to finish with POST /v1/sessions/sms.
type SignInResponse struct {
	Session *Session      `json:"session,omitempty"`
	SMS     *SMSChallenge `json:"sms,omitempty"`
	// EmailCheck: the password was right but the account's e-mail address was never
	// proven, so the password alone does not sign in; finish with the e-mailed code.
	EmailCheck *EmailChallenge `json:"email_check,omitempty"`
}

// SMSCodeRequest is the body of POST /v1/sessions/sms, /v1/account/two-step/confirm and
// (second step) /v1/actions/reauth.
type SMSCodeRequest struct {
	ChallengeID string `json:"challenge_id"`
	Code        string `json:"code"`
	ClientName  string `json:"client_name,omitempty"`
}

// ResendRequest is the body of POST /v1/sessions/sms/resend.
type ResendRequest struct {
	ChallengeID string `json:"challenge_id"`
}

// RefreshRequest is the body of POST /v1/sessions/refresh. The refresh token rotates:
// the response carries a new one and the old one stops working.
type RefreshRequest struct {
	RefreshToken string `json:"refresh_token"`
}

// SessionInfo describes one session in GET /v1/sessions.
type SessionInfo struct {
	ID        string    `json:"id"`
	Client    string    `json:"client"`
	IP        string    `json:"ip"`
	CreatedAt time.Time `json:"created_at"`
	LastUsed  time.Time `json:"last_used"`
	Current   bool      `json:"current"`
}

// SessionsResponse is the body of GET /v1/sessions.
type SessionsResponse struct {
	Sessions []SessionInfo `json:"sessions"`
}

// Account is the account as its owner sees it (GET /v1/account).
type Account struct {
	ID                    string       `json:"id"`
	Email                 string       `json:"email"`
	Region                string       `json:"region"`
	HasPassword           bool         `json:"has_password"` // false: provider-only
	EmailVerified         bool         `json:"email_verified"`
	Providers             []string     `json:"providers,omitempty"`
	MarketingConsent      bool         `json:"marketing_consent"`
	MarketingConsentAt    *time.Time   `json:"marketing_consent_at,omitempty"`
	TermsVersion          string       `json:"terms_version"`
	TermsAcceptedAt       *time.Time   `json:"terms_accepted_at,omitempty"`
	DataProvisionAccepted bool         `json:"data_provision_accepted,omitempty"`
	TwoStep               bool         `json:"two_step"`
	PhoneHint             string       `json:"phone_hint,omitempty"`
	CreatedAt             time.Time    `json:"created_at"`
	Entitlements          Entitlements `json:"entitlements"`
}

// SettingsRequest is the body of POST /v1/account/settings. Nil fields stay unchanged.
type SettingsRequest struct {
	MarketingConsent    *bool   `json:"marketing_consent,omitempty"`
	Region              *string `json:"region,omitempty"`
	AcceptTerms         bool    `json:"accept_terms,omitempty"`
	AcceptDataProvision bool    `json:"accept_data_provision,omitempty"`
}

// PasswordRequest is the body of POST /v1/account/password. CurrentPassword is needed
// when the account already has a password; a provider-only account sets its first one.
type PasswordRequest struct {
	CurrentPassword string `json:"current_password,omitempty"`
	NewPassword     string `json:"new_password"`
}

// ForgotRequest is the body of POST /v1/password/forgot. The answer is the same whether
// or not the e-mail has an account.
type ForgotRequest struct {
	Email string `json:"email"`
}

// ResetRequest is the body of POST /v1/password/reset (token from the e-mailed link).
type ResetRequest struct {
	Token       string `json:"token"`
	NewPassword string `json:"new_password"`
}

// TwoStepRequest is the body of POST /v1/account/two-step (start setup or move to
// another phone). It needs the account password, or an action token for
// ActionChangeTwoStep in HeaderActionToken (from an e-mailed code).
type TwoStepRequest struct {
	Phone    string `json:"phone"` // E.164, e.g. +46701234567
	Password string `json:"password,omitempty"`
}

// DeleteAccountRequest is the body of DELETE /v1/account and DELETE
// /v1/account/two-step: the account password, or an action token (ActionDeleteAccount,
// ActionChangeTwoStep) in HeaderActionToken from an e-mailed code, which is what an
// account without a password, or with one chosen less than a day ago, must use.
type DeleteAccountRequest struct {
	Password string `json:"password,omitempty"`
}

// Action names a dangerous action (PRODUCT.md §4) an action token is bound to.
type Action string

// The dangerous actions.
const (
	ActionResetMasterPassword Action = "reset_master_password"
	ActionReplaceCloudVault   Action = "replace_cloud_vault"
	ActionClearVault          Action = "clear_vault"
	// ActionChangeTwoStep sets up, moves or turns off two-step verification.
	ActionChangeTwoStep Action = "change_two_step"
	// ActionDeleteAccount deletes the account with its cloud vault.
	ActionDeleteAccount Action = "delete_account"
)

// ActionCodeRequest is the body of POST /v1/actions/codes.
type ActionCodeRequest struct {
	Action Action `json:"action"`
}

// ActionCodeResponse says a 6-digit code was e-mailed; it is valid 10 minutes, once.
type ActionCodeResponse struct {
	SentTo    string    `json:"sent_to"` // masked e-mail
	ExpiresAt time.Time `json:"expires_at"`
}

// ActionTokenRequest is the body of POST /v1/actions/tokens.
type ActionTokenRequest struct {
	Action Action `json:"action"`
	Code   string `json:"code"`
}

// ReauthRequest is the body of POST /v1/actions/reauth. With two-step verification on,
// the first call (password) answers with SMS set; the second sends ChallengeID and
// SMSCode.
type ReauthRequest struct {
	Action      Action `json:"action"`
	Password    string `json:"password,omitempty"`
	ChallengeID string `json:"challenge_id,omitempty"`
	SMSCode     string `json:"sms_code,omitempty"`
}

// ActionTokenResponse carries a one-time token bound to one action of one account.
// Send it in HeaderActionToken to the endpoint that performs the action.
type ActionTokenResponse struct {
	ActionToken string        `json:"action_token,omitempty"`
	Action      Action        `json:"action,omitempty"`
	ExpiresAt   time.Time     `json:"expires_at,omitempty"`
	SMS         *SMSChallenge `json:"sms,omitempty"` // reauth: SMS code needed first
}

// OAuthTokenRequest is the body of POST /v1/oauth/token: the app exchanges the
// one-time code it received on its loopback redirect, proving it started the flow.
type OAuthTokenRequest struct {
	Code         string `json:"code"`
	CodeVerifier string `json:"code_verifier"`
	RedirectURI  string `json:"redirect_uri"`
	ClientName   string `json:"client_name,omitempty"`
}

// Plan status values.
const (
	StatusActive    = "active"
	StatusExpired   = "expired"
	StatusSuspended = "suspended"
	StatusBlocked   = "blocked"
)

// Entitlements is what a plan allows, set by the operator. Zero means unlimited.
type Entitlements struct {
	Plan       string `json:"plan"`
	MaxEntries int    `json:"max_entries"` // over-limit entries become read-only, never deleted
	MaxDevices int    `json:"max_devices"`
	Sync       bool   `json:"sync"`
	// MaxAttachmentBytes bounds the sealed bytes of attached files the cloud keeps
	// for the account (each chunk counting ChunkOverheadBytes more); 0 = unlimited.
	MaxAttachmentBytes int64 `json:"max_attachment_bytes"`
}

// Plan is one entry of GET /v1/plans.
type Plan struct {
	ID                      string       `json:"id"`
	Name                    string       `json:"name"`
	IncludesPasswordManager bool         `json:"includes_password_manager"`
	Entitlements            Entitlements `json:"entitlements"`
}

// Licence is one subscription of an account.
type Licence struct {
	ID                      string       `json:"id"`
	Plan                    string       `json:"plan"`
	PlanName                string       `json:"plan_name"`
	Status                  string       `json:"status"`
	IncludesPasswordManager bool         `json:"includes_password_manager"`
	ExpiresAt               time.Time    `json:"expires_at"`
	Entitlements            Entitlements `json:"entitlements"`
}

// SubscriptionsResponse is the body of GET /v1/subscriptions. Effective is what the app
// runs on when the user picks nothing: the single active licence including the password
// manager, or Free.
type SubscriptionsResponse struct {
	Licences  []Licence    `json:"licences"`
	Effective Entitlements `json:"effective"`
}

// ActivateRequest is the body of POST /v1/subscriptions/activate.
type ActivateRequest struct {
	Code string `json:"code"`
}

// IncludedRequest is the body of POST /v1/subscriptions/included: a client holding the
// family-wide sign-in (refresh) token of another Valv app asks about that account
// without creating a session.
type IncludedRequest struct {
	SignInToken string `json:"sign_in_token"`
}

// IncludedResponse tells whether any licence of the account includes the password
// manager, whatever its status (the mark shows even when expired, suspended, blocked).
type IncludedResponse struct {
	Email                  string `json:"email"`
	IncludedInSubscription bool   `json:"included_in_subscription"`
	Status                 string `json:"status,omitempty"` // of that licence
}

// VaultHeader is the cloud vault's header. KDF is the JSON of VaultKDF: the vault's
// whole version-1 header, which the server checks (layout, checksum, KDF bounds, and
// that it agrees with VaultID, KeyEpoch and WrappedKey) and then stores and returns byte
// for byte. It cannot check that the wrapped key opens: only a master password can.
type VaultHeader struct {
	VaultID      string          `json:"vault_id"`
	KeyEpoch     uint64          `json:"key_epoch"`
	KDF          json.RawMessage `json:"kdf"`
	WrappedKey   []byte          `json:"wrapped_key"`
	LatestChange uint64          `json:"latest_change"` // set by the server
}

// PutHeaderRequest is the body of PUT /v1/vault: creates the header when there is none
// or (same vault ID and key epoch) updates the KDF parameters and wrapped key, as a
// master-password change does. It never changes the key epoch.
type PutHeaderRequest struct {
	Header VaultHeader `json:"header"`
}

// VaultItem is one sealed item as stored: Change is the server-assigned change number
// of its latest version; Deleted items keep their ID (a tombstone) with no blob.
type VaultItem struct {
	ID      string `json:"id"`
	Change  uint64 `json:"change"`
	Deleted bool   `json:"deleted,omitempty"`
	Blob    []byte `json:"blob,omitempty"`
}

// PushItem is one edit: BaseChange is the change number of the version the client
// edited (0 for a new item). If the server holds a newer version the push conflicts.
type PushItem struct {
	ID         string `json:"id"`
	BaseChange uint64 `json:"base_change"`
	Deleted    bool   `json:"deleted,omitempty"`
	Blob       []byte `json:"blob,omitempty"`
}

// PushRequest is the body of POST /v1/vault/push. It is applied all or nothing.
type PushRequest struct {
	KeyEpoch uint64     `json:"key_epoch"`
	Items    []PushItem `json:"items"`
}

// PushResult gives an accepted item's new change number.
type PushResult struct {
	ID     string `json:"id"`
	Change uint64 `json:"change"`
}

// PushResponse is the body of a successful push.
type PushResponse struct {
	Items        []PushResult `json:"items"`
	LatestChange uint64       `json:"latest_change"`
}

// PullResponse is the body of GET /v1/vault/changes?since=N&limit=M: the latest version
// of every item changed after N, oldest change first. When More is true, ask again with
// since=Next.
type PullResponse struct {
	KeyEpoch     uint64      `json:"key_epoch"`
	Items        []VaultItem `json:"items"`
	Next         uint64      `json:"next"`
	More         bool        `json:"more"`
	LatestChange uint64      `json:"latest_change"`
}

// ReplaceRequest is the body of POST /v1/vault/replace (action token required): the
// whole cloud vault becomes this header and these items, under a new key epoch.
type ReplaceRequest struct {
	Header VaultHeader `json:"header"`
	Items  []PushItem  `json:"items"` // BaseChange is ignored
}

// ReplaceResponse is the body of a successful replace or wipe.
type ReplaceResponse struct {
	KeyEpoch     uint64 `json:"key_epoch"`
	LatestChange uint64 `json:"latest_change"`
}

// OutboxMessage is one e-mail or SMS in the dev outbox (GET /dev/outbox as JSON).
type OutboxMessage struct {
	ID      int       `json:"id"`
	Kind    string    `json:"kind"` // "email" or "sms"
	To      string    `json:"to"`
	Subject string    `json:"subject,omitempty"`
	Body    string    `json:"body"`
	Code    string    `json:"code,omitempty"` // the verification code in it, for tests and demos
	Link    string    `json:"link,omitempty"` // the link in it, if any
	SentAt  time.Time `json:"sent_at"`
}

// OutboxResponse is the JSON body of GET /dev/outbox, newest message last.
type OutboxResponse struct {
	Messages []OutboxMessage `json:"messages"`
}
