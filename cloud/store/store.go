// Package store is valv-cloud's storage: accounts, sessions, licences, short-lived
// records (captchas, codes, counters) and the cloud vaults, behind one interface.
//
// Handlers only see Store, so a PostgreSQL backend can follow the embedded bbolt one
// (Open) without touching them. Every method is one transaction: the vault operations
// (push, replace, wipe) check and apply in the same transaction so two devices pushing at
// once can never both win. Records are returned as copies the caller owns.
package store

import (
	"errors"
	"fmt"
	"time"

	"github.com/valvpm/valv/cloud/api"
)

// Sentinel errors the service maps to API error codes.
var (
	ErrNotFound      = errors.New("store: not found")
	ErrEmailTaken    = errors.New("store: e-mail already has an account")
	ErrIdentityTaken = errors.New("store: provider identity already linked to another account")
	ErrVaultNotFound = errors.New("store: account has no cloud vault")
	ErrVaultExists   = errors.New("store: account already has a cloud vault with another ID")
	ErrKeyEpoch      = errors.New("store: key epoch does not match the cloud vault")
	ErrItemTooLarge  = errors.New("store: sealed item over the size limit")
	ErrVaultTooLarge = errors.New("store: cloud vault would exceed its size limit")
	ErrTooManyItems  = errors.New("store: too many items in one request")
	ErrInvalidItem   = errors.New("store: invalid item ID")
	ErrInvalidHeader = errors.New("store: invalid vault header")
	ErrCodeUsed      = errors.New("store: activation code already used")
	ErrClosed        = errors.New("store: closed")
	ErrPushTooLarge  = errors.New("store: the blobs of one push are over the limit")
	ErrEpochLimit    = errors.New("store: the key epoch cannot grow any more")
	ErrSinceAhead    = errors.New("store: since is beyond the latest change")
	ErrInvalidChunk  = errors.New("store: invalid attachment ID or chunk index")
	ErrChunkTooLarge = errors.New("store: sealed chunk over the size limit")
)

// AttachmentLimitError is returned when storing a chunk would keep more attachment
// bytes than Limits.MaxAttachmentBytes; nothing was stored.
type AttachmentLimitError struct{ Max int64 }

func (e *AttachmentLimitError) Error() string {
	return fmt.Sprintf("store: the plan keeps up to %d bytes of attachments", e.Max)
}

// EntryLimitError is returned when a push or replace would keep more live items than
// Limits.MaxEntries; nothing was applied.
type EntryLimitError struct{ Max int }

func (e *EntryLimitError) Error() string {
	return fmt.Sprintf("store: the plan keeps up to %d entries", e.Max)
}

// ConflictError is returned by Push when an item's base change is stale. Items are the
// server's current versions of the conflicting items; nothing of the push was applied.
type ConflictError struct {
	Items []api.VaultItem
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("store: %d item(s) changed since the pushed base", len(e.Items))
}

// EpochError is returned when a request names another key epoch than the vault's.
// Current is the vault's epoch (or the last one, after a wipe).
type EpochError struct{ Current uint64 }

func (e *EpochError) Error() string { return fmt.Sprintf("store: key epoch is now %d", e.Current) }

// Unwrap makes errors.Is(err, ErrKeyEpoch) true.
func (e *EpochError) Unwrap() error { return ErrKeyEpoch }

// Identity links an account to a quick sign-in provider's user.
type Identity struct {
	Provider string `json:"provider"`
	Subject  string `json:"subject"`
}

// Account is the stored account. PasswordHash is a PHC-format Argon2id hash, empty for
// a provider-only account.
type Account struct {
	ID                   string    `json:"id"`
	Email                string    `json:"email"` // normalised
	PasswordHash         string    `json:"password_hash,omitempty"`
	Region               string    `json:"region"`
	MarketingConsent     bool      `json:"marketing_consent"`
	MarketingConsentAt   time.Time `json:"marketing_consent_at"` // last change of the consent
	TermsVersion         string    `json:"terms_version"`
	TermsAcceptedAt      time.Time `json:"terms_accepted_at"`
	DataProvisionVersion string    `json:"data_provision_version,omitempty"`
	DataProvisionAt      time.Time `json:"data_provision_at"`
	// EmailVerified: the owner of the address proved it (an e-mailed code, a reset
	// link, or a provider that vouches for it). Until then the password alone does not
	// sign in, and a provider that vouches for the address takes the account over.
	EmailVerified bool `json:"email_verified,omitempty"`
	// PasswordChosenAt is when a password was set without knowing the previous one
	// (a provider-only account's "Choose password"): such a password confirms no
	// dangerous action for api.PasswordSettleTime.
	PasswordChosenAt time.Time  `json:"password_chosen_at,omitzero"`
	Phone            string     `json:"phone,omitempty"`
	TwoStep          bool       `json:"two_step"`
	Identities       []Identity `json:"identities,omitempty"`
	Blocked          bool       `json:"blocked,omitempty"`
	CreatedAt        time.Time  `json:"created_at"`
}

// Session is one signed-in device or browser. Only hashes of its tokens are stored.
type Session struct {
	ID          string `json:"id"`
	AccountID   string `json:"account_id"`
	AccessHash  []byte `json:"access_hash"`
	RefreshHash []byte `json:"refresh_hash"`
	// PrevRefreshHash is the refresh token the last rotation replaced: presented again,
	// it means the token was copied, and the session is ended (OAuth 2.0 BCP).
	PrevRefreshHash []byte    `json:"prev_refresh_hash,omitempty"`
	AccessExpires   time.Time `json:"access_expires"`
	RefreshExpires  time.Time `json:"refresh_expires"`
	CreatedAt       time.Time `json:"created_at"`
	LastUsed        time.Time `json:"last_used"`
	Client          string    `json:"client"`
	IP              string    `json:"ip"`
}

// Licence is one subscription of an account.
type Licence struct {
	ID        string    `json:"id"`
	AccountID string    `json:"account_id"`
	Plan      string    `json:"plan"`
	Status    string    `json:"status"` // api.Status*; "active" past ExpiresAt reads as expired
	ExpiresAt time.Time `json:"expires_at"`
	CreatedAt time.Time `json:"created_at"`
}

// ActivationCode turns into a licence of Plan for Days days when redeemed.
type ActivationCode struct {
	Code   string    `json:"code"`
	Plan   string    `json:"plan"`
	Days   int       `json:"days"`
	UsedBy string    `json:"used_by,omitempty"`
	UsedAt time.Time `json:"used_at"`
}

// Limits bound what one account may store. Zero fields mean "no limit". Every item
// counts api.ItemOverheadBytes towards MaxVaultBytes on top of its blob.
type Limits struct {
	MaxItemBytes  int   // one sealed item
	MaxVaultBytes int64 // all sealed items of one vault
	MaxPushItems  int   // items in one push or replace
	MaxPushBytes  int64 // blobs of one push together
	MaxPullBytes  int   // blobs of one pull page (and of a conflict answer) together
	MaxEntries    int   // live items of the vault (from the plan)
	// MaxChunkBytes bounds one sealed attachment chunk; MaxAttachmentBytes (from the
	// plan) all chunks of the account together, each counting api.ChunkOverheadBytes
	// on top of its bytes. Attachments do not count towards MaxVaultBytes: a file may be
	// larger than a whole vault of items.
	MaxChunkBytes      int
	MaxAttachmentBytes int64
}

// MaxItemIDLen bounds item IDs (they are client-chosen random IDs, not content).
const MaxItemIDLen = 128

// TempFunc gets the current value of a short-lived record (nil when absent or expired)
// and returns the new value and its expiry; a nil value deletes the record. An error
// aborts the change and is returned from Temp.
type TempFunc func(val []byte) (newVal []byte, expires time.Time, err error)

// Store is everything valv-cloud keeps.
type Store interface {
	// CreateAccount stores a new account; ErrEmailTaken or ErrIdentityTaken on clashes.
	CreateAccount(a *Account) error
	// Account returns the account with this ID, or ErrNotFound.
	Account(id string) (*Account, error)
	// AccountByEmail looks up a normalised e-mail, or ErrNotFound.
	AccountByEmail(email string) (*Account, error)
	// AccountByIdentity looks up a provider's user, or ErrNotFound.
	AccountByIdentity(provider, subject string) (*Account, error)
	// UpdateAccount changes an account in one transaction, keeping the e-mail and
	// identity indexes right.
	UpdateAccount(id string, fn func(a *Account) error) (*Account, error)
	// DeleteAccount removes the account with its sessions, licences and vault.
	DeleteAccount(id string) error

	// PutSession creates or replaces a session.
	PutSession(s *Session) error
	// Session returns a session by ID, or ErrNotFound.
	Session(id string) (*Session, error)
	// SessionAccount returns a session by ID, or ErrNotFound, with its account read
	// at the same moment (nil when the account is gone): what every authenticated
	// request looks up, in one read.
	SessionAccount(id string) (*Session, *Account, error)
	// Sessions lists an account's sessions.
	Sessions(accountID string) ([]*Session, error)
	// DeleteSession removes one of accountID's sessions; ErrNotFound if it is not theirs.
	DeleteSession(accountID, id string) error
	// UpdateSession changes a session in one transaction (ErrNotFound if there is
	// none): what makes a refresh token's rotation single-use. fn returning keep=false
	// deletes the session instead; its error aborts the change and is returned.
	UpdateSession(id string, fn func(se *Session) (keep bool, err error)) (*Session, error)
	// DeleteSessions ends every session of the account but keep ("" ends all).
	DeleteSessions(accountID, keep string) error

	// Licences lists an account's licences.
	Licences(accountID string) ([]*Licence, error)
	// PutLicence creates or replaces a licence.
	PutLicence(l *Licence) error
	// PutActivationCode stores a new activation code.
	PutActivationCode(c *ActivationCode) error
	// RedeemActivationCode marks code used by accountID and stores the licence mk
	// returns, atomically; ErrNotFound or ErrCodeUsed.
	RedeemActivationCode(code, accountID string, now time.Time, mk func(c *ActivationCode) *Licence) (*Licence, error)

	// Temp reads and changes one short-lived record of a kind atomically; records past
	// their expiry read as absent.
	Temp(kind, key string, now time.Time, fn TempFunc) error
	// PurgeExpired deletes short-lived records expired before now.
	PurgeExpired(now time.Time) error

	// VaultHeader returns the account's vault header, or ErrVaultNotFound.
	VaultHeader(accountID string) (*api.VaultHeader, error)
	// PutVaultHeader creates the header (its key epoch must exceed any earlier one) or
	// updates KDF and wrapped key of the same vault ID and epoch.
	PutVaultHeader(accountID string, h api.VaultHeader) (*api.VaultHeader, error)
	// Push applies edits all or nothing; *ConflictError when any base is stale.
	Push(accountID string, req api.PushRequest, lim Limits) (*api.PushResponse, error)
	// Pull returns items changed after since: at most limit of them, and no more
	// blob bytes than lim.MaxPullBytes (but at least one item). ErrSinceAhead when
	// since is beyond the latest change.
	Pull(accountID string, since uint64, limit int, lim Limits) (*api.PullResponse, error)
	// Replace swaps the whole vault for h and items; h.KeyEpoch must exceed the current.
	Replace(accountID string, h api.VaultHeader, items []api.PushItem, lim Limits) (*api.ReplaceResponse, error)
	// Wipe deletes the vault and bumps the key epoch so a new vault needs a higher one;
	// ErrEpochLimit at api.MaxKeyEpoch.
	Wipe(accountID string) (*api.ReplaceResponse, error)

	// PutChunk stores chunk index of attachment att (replacing one stored before), in
	// the vault of key epoch epoch: ErrVaultNotFound without a vault, *EpochError for
	// another epoch, ErrInvalidChunk, ErrChunkTooLarge, *AttachmentLimitError. A chunk
	// is not a change of the vault: watchers are not told.
	PutChunk(accountID string, epoch uint64, att string, index int, data []byte, lim Limits) error
	// Chunk returns a stored chunk, or ErrNotFound.
	Chunk(accountID, att string, index int) ([]byte, error)
	// Chunks lists the stored chunks of att (empty when there are none).
	Chunks(accountID, att string) (*api.AttachmentInfo, error)
	// DeleteAttachment removes every chunk of att, freeing their bytes; removing one
	// that is not there is no error. Wipe, Replace and DeleteAccount free every chunk.
	DeleteAttachment(accountID, att string) error
	// AttachmentBytes is what the account's chunks count towards
	// Limits.MaxAttachmentBytes.
	AttachmentBytes(accountID string) (int64, error)

	// Watch tells of changes to the account's vault (push, replace, wipe, new header)
	// made through any process sharing the store: a value on changed, several changes
	// coalescing into one, until stop is called. A notice may also come without a
	// change (after the store lost touch with the others); the watcher then looks.
	Watch(accountID string) (changed <-chan struct{}, stop func())

	// Close releases the store; the error of the final flush is returned.
	Close() error
}
