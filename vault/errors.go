package vault

import "errors"

// Sentinel errors callers act on. Functions wrap them with %w and context; test with
// errors.Is. Their texts are sentences a person can read, so a UI may show them as is.
var (
	// ErrWrongPassword means the master password does not open the vault key.
	ErrWrongPassword = errors.New("the master password is incorrect")
	// ErrLocked means the operation needs an unlocked vault.
	ErrLocked = errors.New("the vault is locked")
	// ErrCorrupt means stored data failed an integrity check: the file was damaged or
	// tampered with. Nothing from the damaged record is returned.
	ErrCorrupt = errors.New("the vault data is damaged or has been tampered with")
	// ErrExists means a vault already exists where a new one was to be created.
	ErrExists = errors.New("a vault already exists here")
	// ErrNoVault means there is no vault at the given path yet.
	ErrNoVault = errors.New("there is no vault here yet")
	// ErrNotFound means no item has the given ID.
	ErrNotFound = errors.New("no such item")
	// ErrAmbiguous means an ID prefix matches more than one item.
	ErrAmbiguous = errors.New("that ID prefix matches more than one item")
	// ErrKDFParams means KDF parameters are below the security floor (a downgrade) or
	// above the caps (a denial of service by header).
	ErrKDFParams = errors.New("the key derivation settings are out of the allowed range")
	// ErrInUse means another Valv process has the vault open.
	ErrInUse = errors.New("the vault is in use by another Valv window or command")
	// ErrNewerFormat means the data was written by a newer version of Valv.
	ErrNewerFormat = errors.New("the vault was written by a newer version of Valv; please update")
	// ErrInvalidItem means an item failed validation; the wrapping error says which field.
	ErrInvalidItem = errors.New("the item is not valid")
)

// FieldError says which field of an item is invalid and why. It wraps ErrInvalidItem.
type FieldError struct {
	Field  string    // field name as in the CLI flag and JSON ("number", "title", …)
	Reason string    // a sentence fragment in English: "is not a valid card number"
	Code   FieldCode // the reason, stable, for translation
}

// FieldCode names why a field is invalid; front ends translate it.
type FieldCode string

// The reasons an item can fail Validate.
const (
	FieldEmpty         FieldCode = "empty"
	FieldUnknownType   FieldCode = "unknown-type"
	FieldNotApplicable FieldCode = "not-applicable" // the field does not belong to this type
	FieldTooLong       FieldCode = "too-long"
	FieldNotUTF8       FieldCode = "not-utf8"
	FieldCardNumber    FieldCode = "card-number" // fails the Luhn check or has the wrong length
	FieldExpiry        FieldCode = "expiry"      // not a month and year
	FieldTOTP          FieldCode = "totp"        // not an authenticator secret or otpauth:// URI
	FieldAttachment    FieldCode = "attachment"  // a file's name, size or content is not valid
)

func (e *FieldError) Error() string { return e.Field + " " + e.Reason }

// Unwrap makes errors.Is(err, ErrInvalidItem) true.
func (e *FieldError) Unwrap() error { return ErrInvalidItem }
