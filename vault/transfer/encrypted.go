package transfer

import (
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/valvpm/valv/vault"
	"golang.org/x/crypto/chacha20poly1305"
)

// The encrypted export (docs/encrypted-export.md): Valv's JSON export sealed under a
// key derived from an export password of its own, so the file can travel (a USB stick,
// an e-mail to oneself) without the vault's master password.
//
//	offset  size  field
//	0       7     magic "VALVEXP"
//	7       1     version (1)
//	8       4     Argon2id memory in KiB, big-endian
//	12      4     Argon2id passes, big-endian
//	16      1     Argon2id lanes
//	17      16    salt (random per file)
//	33      24    nonce (random per file)
//	57      …     XChaCha20-Poly1305 ciphertext of the JSON export, then the 16-byte tag
//
// The 57 header bytes are the associated data, so changing any of them — lowering
// the KDF cost, swapping the salt — makes decryption fail rather than silently
// deriving another key. The KDF parameters must pass vault.KDFParams.Check before any
// key is derived: the same floor and caps as the vault, so a crafted file can neither
// be cheap to brute-force once re-encrypted by us nor demand gigabytes to open.
//
//	key = HKDF-SHA256(Argon2id(NFC(password), salt, passes, memory, lanes, 32), info "valv/export/v1")
//
// The HKDF label keeps the Argon2id output from ever being a cipher key itself and
// separates this use from the vault's "valv/wrap/v1".

const (
	encMagic      = "VALVEXP"
	encVersion    = 1
	encHeaderSize = len(encMagic) + 1 + 4 + 4 + 1 + vault.SaltSize + chacha20poly1305.NonceSizeX
	encLabel      = "valv/export/v1"
	// maxEncrypted caps the sealed payload; it is the import cap, less the header.
	maxEncrypted = MaxFileSize
)

// ErrNewerExport means the encrypted export was written by a newer version of Valv.
var ErrNewerExport = errors.New("the export was written by a newer version of Valv; please update")

// Encrypt seals plaintext (Valv's JSON export) under password with the Argon2id cost
// of kdf; kdf's salt is ignored and a fresh random one used, since a salt must never
// be reused. kdf must pass Check: use the vault's own header parameters so exporting
// costs what unlocking does, or vault.FloorKDF.
func Encrypt(plaintext, password []byte, kdf vault.KDFParams) ([]byte, error) {
	if len(password) == 0 {
		return nil, errors.New("the export password must not be empty")
	}
	kdf.Salt = make([]byte, vault.SaltSize)
	rand.Read(kdf.Salt) // crypto/rand.Read never fails (it crashes the program instead)
	if err := kdf.Check(); err != nil {
		return nil, err
	}
	out := make([]byte, encHeaderSize, encHeaderSize+len(plaintext)+chacha20poly1305.Overhead)
	copy(out, encMagic)
	out[7] = encVersion
	binary.BigEndian.PutUint32(out[8:], kdf.Memory)
	binary.BigEndian.PutUint32(out[12:], kdf.Time)
	out[16] = kdf.Threads
	copy(out[17:], kdf.Salt)
	nonce := out[17+vault.SaltSize : encHeaderSize]
	rand.Read(nonce)
	key, err := exportKey(password, kdf)
	if err != nil {
		return nil, err
	}
	defer clear(key)
	aead, err := chacha20poly1305.NewX(key)
	if err != nil {
		return nil, err
	}
	return aead.Seal(out, nonce, plaintext, out[:encHeaderSize]), nil
}

// Decrypt opens an encrypted export. A wrong password and a changed file both give
// ErrWrongPassword: the cipher cannot tell them apart, and saying which would help an
// attacker.
func Decrypt(data, password []byte) ([]byte, error) {
	kdf, err := parseEncHeader(data)
	if err != nil {
		return nil, err
	}
	key, err := exportKey(password, kdf)
	if err != nil {
		return nil, err
	}
	defer clear(key)
	return openSealed(data, key)
}

// openSealed decrypts a checked export with its derived key. It is apart from Decrypt
// so the fuzz test can exercise the cipher and header handling without Argon2id's
// 64 MiB per input.
func openSealed(data, key []byte) ([]byte, error) {
	aead, err := chacha20poly1305.NewX(key)
	if err != nil {
		return nil, err
	}
	nonce := data[17+vault.SaltSize : encHeaderSize]
	plain, err := aead.Open(nil, nonce, data[encHeaderSize:], data[:encHeaderSize])
	if err != nil {
		return nil, ErrWrongPassword
	}
	return plain, nil
}

// parseEncHeader checks the header before any work: magic, version, size and the KDF
// bounds, so a crafted file is refused without running Argon2id.
func parseEncHeader(data []byte) (vault.KDFParams, error) {
	var p vault.KDFParams
	if len(data) < len(encMagic)+1 || string(data[:len(encMagic)]) != encMagic {
		return p, errors.New("the file is not an encrypted Valv export")
	}
	if data[7] > encVersion {
		return p, ErrNewerExport
	}
	if data[7] != encVersion || len(data) < encHeaderSize+chacha20poly1305.Overhead {
		return p, errors.New("the encrypted export is damaged or cut short")
	}
	if len(data) > encHeaderSize+maxEncrypted {
		return p, ErrTooLarge
	}
	p.Memory = binary.BigEndian.Uint32(data[8:])
	p.Time = binary.BigEndian.Uint32(data[12:])
	p.Threads = data[16]
	p.Salt = data[17 : 17+vault.SaltSize]
	if err := p.Check(); err != nil {
		return p, fmt.Errorf("the encrypted export asks for key settings Valv does not accept: %w", err)
	}
	return p, nil
}

// exportKey derives the export's key: Argon2id, then HKDF with the export's own label.
func exportKey(password []byte, p vault.KDFParams) ([]byte, error) {
	return vault.DeriveKey(password, p, encLabel)
}

// readEncrypted asks for the export password, opens the file and reads the Valv JSON
// inside.
func readEncrypted(data []byte, password func() ([]byte, error), r *reader) error {
	if _, err := parseEncHeader(data); err != nil {
		return err
	}
	if password == nil {
		return ErrNeedPassword
	}
	pw, err := password()
	if err != nil {
		return err
	}
	defer clear(pw)
	plain, err := Decrypt(data, pw)
	if err != nil {
		return err
	}
	defer clear(plain)
	return readValvJSON(plain, r)
}
