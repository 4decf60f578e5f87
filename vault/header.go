package vault

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"

	"github.com/valvpm/valv/internal/secret"
)

// FormatVersion is the vault format this code writes. Readers refuse newer versions
// with ErrNewerFormat rather than guess.
const FormatVersion = 1

// headerMagic opens every header so a stray file is not mistaken for a vault.
var headerMagic = [4]byte{'V', 'A', 'L', 'V'}

const (
	kdfArgon2id    = 1
	wrappedKeySize = KeySize + sealedOverhead // 72: nonce, vault key, tag
	checksumSize   = 8
	// headerSize is fixed in version 1:
	//
	//	magic(4) version(1) vaultID(16) epoch(4) generation(4)
	//	kdf-alg(1) memory(4) time(4) threads(1) salt-len(1) salt(16)
	//	wrapped-len(1) wrapped(72) checksum(8)
	headerSize   = 4 + 1 + 16 + 4 + 4 + 1 + 4 + 4 + 1 + 1 + SaltSize + 1 + wrappedKeySize + checksumSize
	headerADSize = headerSize - wrappedKeySize - checksumSize // bytes bound to the wrapped key
)

// VaultID identifies a vault across devices; it is random, not secret.
type VaultID [16]byte

func (id VaultID) String() string { return hex.EncodeToString(id[:]) }

// Header is a vault's clear metadata: what is needed to turn a master password into
// the vault key. It is the same on every device of a synced vault.
type Header struct {
	VaultID VaultID
	Epoch   uint32 // bumped by dangerous actions (reset, replace) so devices notice
	// Generation counts master-password changes within an epoch. It is bound to the
	// wrapped key, so a device can tell a newer header (the password was changed on
	// another device) from an old one replayed by a malicious server.
	Generation uint32
	KDF        KDFParams
	WrappedKey []byte // the vault key sealed under the wrapping key
}

// MarshalBinary encodes h in the fixed version-1 layout, with a checksum so accidental
// damage reads as ErrCorrupt rather than as a wrong password.
func (h *Header) MarshalBinary() ([]byte, error) {
	if len(h.KDF.Salt) != SaltSize || len(h.WrappedKey) != wrappedKeySize {
		return nil, fmt.Errorf("vault: header fields have the wrong size")
	}
	b := make([]byte, 0, headerSize)
	b = append(b, h.adBytes()...)
	b = append(b, byte(len(h.WrappedKey)))
	b = append(b, h.WrappedKey...)
	sum := sha256.Sum256(b)
	return append(b, sum[:checksumSize]...), nil
}

// adBytes returns the header fields the wrapped key is bound to: format version, vault
// ID, key epoch, generation and every KDF parameter. Editing any of them makes
// unwrapping fail.
func (h *Header) adBytes() []byte {
	b := make([]byte, 0, headerADSize)
	b = append(b, headerMagic[:]...)
	b = append(b, FormatVersion)
	b = append(b, h.VaultID[:]...)
	b = binary.BigEndian.AppendUint32(b, h.Epoch)
	b = binary.BigEndian.AppendUint32(b, h.Generation)
	b = append(b, kdfArgon2id)
	b = binary.BigEndian.AppendUint32(b, h.KDF.Memory)
	b = binary.BigEndian.AppendUint32(b, h.KDF.Time)
	b = append(b, h.KDF.Threads, byte(len(h.KDF.Salt)))
	return append(b, h.KDF.Salt...)
}

// ParseHeader decodes and checks a header read from a file or the network. It returns
// ErrCorrupt for damage, ErrNewerFormat for a future version and ErrKDFParams for
// parameters outside the bounds (checked before any key derivation runs).
func ParseHeader(b []byte) (*Header, error) {
	if len(b) < 5 || !bytes.Equal(b[:4], headerMagic[:]) {
		return nil, fmt.Errorf("%w: not a Valv vault header", ErrCorrupt)
	}
	if b[4] > FormatVersion {
		return nil, ErrNewerFormat
	}
	if b[4] != FormatVersion || len(b) != headerSize {
		return nil, fmt.Errorf("%w: header has the wrong size or version", ErrCorrupt)
	}
	body, sum := b[:headerSize-checksumSize], b[headerSize-checksumSize:]
	want := sha256.Sum256(body)
	if !bytes.Equal(sum, want[:checksumSize]) {
		return nil, fmt.Errorf("%w: header checksum mismatch", ErrCorrupt)
	}
	h := &Header{}
	p := b[5:]
	copy(h.VaultID[:], p[:16])
	p = p[16:]
	h.Epoch = binary.BigEndian.Uint32(p)
	h.Generation = binary.BigEndian.Uint32(p[4:])
	p = p[8:]
	if p[0] != kdfArgon2id {
		return nil, fmt.Errorf("%w: unknown key derivation function", ErrCorrupt)
	}
	h.KDF.Memory = binary.BigEndian.Uint32(p[1:])
	h.KDF.Time = binary.BigEndian.Uint32(p[5:])
	h.KDF.Threads = p[9]
	if p[10] != SaltSize {
		return nil, fmt.Errorf("%w: bad salt length", ErrCorrupt)
	}
	h.KDF.Salt = bytes.Clone(p[11 : 11+SaltSize])
	p = p[11+SaltSize:]
	if p[0] != wrappedKeySize {
		return nil, fmt.Errorf("%w: bad wrapped key length", ErrCorrupt)
	}
	h.WrappedKey = bytes.Clone(p[1 : 1+wrappedKeySize])
	if err := h.KDF.Check(); err != nil {
		return nil, err
	}
	return h, nil
}

// unwrap derives the master key from password and opens the vault key. A wrong
// password and a tampered header both fail the AEAD; the checksum in ParseHeader has
// checkPassword reports whether password opens h (ErrWrongPassword if not), keeping
// no key.
func (h *Header) checkPassword(password []byte) error {
	key, err := h.unwrap(password)
	if err != nil {
		return err
	}
	secret.Wipe(key)
	return nil
}

// already turned plain damage into ErrCorrupt, so what is left is ErrWrongPassword.
func (h *Header) unwrap(password []byte) ([]byte, error) {
	mk, err := deriveMasterKey(password, h.KDF)
	if err != nil {
		return nil, err
	}
	defer secret.Wipe(mk)
	wk, err := wrappingKey(mk)
	if err != nil {
		return nil, err
	}
	defer secret.Wipe(wk)
	key, err := open(nil, wk, h.WrappedKey, h.adBytes())
	if err != nil {
		return nil, ErrWrongPassword
	}
	return key, nil
}

// wrap seals vaultKey for password under fresh KDF parameters kdf, filling WrappedKey.
func (h *Header) wrap(password, vaultKey []byte, kdf KDFParams) error {
	mk, err := deriveMasterKey(password, kdf)
	if err != nil {
		return err
	}
	defer secret.Wipe(mk)
	wk, err := wrappingKey(mk)
	if err != nil {
		return err
	}
	defer secret.Wipe(wk)
	h.KDF = kdf
	h.WrappedKey = seal(wk, vaultKey, h.adBytes())
	return nil
}
