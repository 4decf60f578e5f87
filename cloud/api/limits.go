package api

import "time"

// Argon2id bounds of a vault's key derivation, shared by the vault (which refuses a
// header outside them before deriving anything) and the server (which refuses to store
// one). The floor stops a downgrade that makes guessing the master password cheap; the
// caps stop a header from demanding gigabytes or minutes of work. A test in vault
// checks that its own constants are these.
const (
	KDFMinMemoryKiB = 64 * 1024       // 64 MiB
	KDFMinTime      = 3               // passes
	KDFMinThreads   = 4               // lanes
	KDFMaxMemoryKiB = 4 * 1024 * 1024 // 4 GiB
	KDFMaxTime      = 50
	KDFMaxThreads   = 64
	KDFSaltSize     = 16
)

// VaultKDF is the JSON in VaultHeader.KDF: {"format":1,"header":"<base64>"}.
type VaultKDF struct {
	Format int    `json:"format"` // VaultKDFFormat
	Header []byte `json:"header"` // the vault header, layout below
}

// The version-1 vault header (docs/vault-format.md): magic "VALV", version 1, vault ID
// (16), key epoch (u32 BE), generation (u32 BE), KDF algorithm (1 = Argon2id), memory
// KiB (u32 BE), passes (u32 BE), lanes (1), salt length (16), salt, wrapped key length
// (72), wrapped key, and the first 8 bytes of SHA-256 over everything before them.
const (
	VaultKDFFormat       = 1
	VaultHeaderSize      = 137
	VaultHeaderMagic     = "VALV"
	VaultHeaderVersion   = 1
	VaultHeaderIDAt      = 5   // offset of the vault ID
	VaultHeaderEpochAt   = 21  // offset of the key epoch
	VaultHeaderKDFAt     = 29  // offset of the KDF algorithm byte
	VaultHeaderWrappedAt = 56  // offset of the wrapped key's length byte
	VaultHeaderSumAt     = 129 // offset of the checksum
	VaultWrappedKeySize  = 72
	VaultKDFArgon2id     = 1
	MaxKeyEpoch          = 1<<32 - 1 // the header stores the epoch in 32 bits
)

// Limits of the cloud vault store (defaults; an operator may lower or raise the
// server's). Clients split their pushes to stay under them.
const (
	// ItemOverheadBytes is what every stored item counts towards the vault's size on
	// top of its blob, tombstones included: an empty blob is not free to keep.
	ItemOverheadBytes = 256
	// DefaultMaxPushBytes bounds the blobs of one push together.
	DefaultMaxPushBytes = 16 << 20
	// DefaultMaxPullBytes bounds the blobs of one pull page (at least one item is
	// always sent); continue with since=next while more is true.
	DefaultMaxPullBytes = 4 << 20
)

// Timings of e-mail verification and of dangerous-action confirmation.
const (
	EmailCodeTTL      = 30 * time.Minute // an e-mailed verification code
	EmailResendAfter  = 30 * time.Second // a new code, at the earliest
	EmailCodesPerHour = 5                // e-mailed codes per account and hour
	// CodeTriesPerHour is how many wrong e-mailed codes (verification, or one
	// dangerous action) an account may enter within an hour, whatever the number of
	// codes asked for.
	CodeTriesPerHour = 5
	// PasswordSettleTime: a password chosen without knowing the old one confirms no
	// dangerous action before this has passed.
	PasswordSettleTime = 24 * time.Hour
)
