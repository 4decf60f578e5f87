package transfer

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/valvpm/valv/internal/argon2"
)

// KeePass 2 databases (.kdbx), format versions 3.1 and 4.x, opened with the database
// password (key files are not supported). The layout, from KeePass's documentation of
// the format:
//
//	signature 9AA2D903 B54BFB67, minor and major version (u16 each, little-endian)
//	header fields: id (u8), size (u16 in 3.1, u32 in 4), data; id 0 ends the header
//	3.1: AES-256-CBC (or ChaCha20) of [stream start bytes, hashed blocks of gzip'd XML]
//	4:   SHA-256 and HMAC-SHA-256 of the header, then HMAC'd blocks of the encrypted
//	     [inner header (stream cipher and binaries), gzip'd XML]
//
//	composite key = SHA-256(SHA-256(password))
//	transformed   = AES-KDF(composite) or Argon2d/Argon2id(composite)
//	cipher key    = SHA-256(master seed ‖ transformed)
//	HMAC key (4)  = SHA-512(master seed ‖ transformed ‖ 0x01)
//
// Protected values (passwords, fields marked protected) are XOR'd with a Salsa20 or
// ChaCha20 key stream in document order; kdbxstream.go undoes that while parsing.
// The KDF's cost is bounded before any work, as for Valv's own files: a crafted
// header cannot make an import run for hours or take all memory.

const (
	kdbxSig1 = 0x9AA2D903
	kdbxSig2 = 0xB54BFB67
)

// Caps on the work a database may ask for. KeePass's defaults are 60 000 AES rounds
// (3.1) and Argon2 with 64 MiB and 2 passes (4); KeePassXC calibrates to about a second.
// Each cap allows over a hundred times that, and bounds the worst case to about a
// minute on a desktop.
const (
	maxAESRounds     = 1 << 30
	maxArgonMemory   = 2 << 30 // bytes
	maxArgonPasses   = 10_000
	maxArgonWork     = 64 << 30 // memory × passes, in bytes
	maxArgonLanes    = 64
	kdbxMaxFieldSize = 1 << 20
)

// Errors callers act on.
var (
	// ErrNeedDatabasePassword means a KeePass database was given without a way to ask
	// for its password. It is also ErrNeedPassword, so a front end that asks for an
	// encrypted export's password asks for this one the same way.
	ErrNeedDatabasePassword = fmt.Errorf("the file is a KeePass database; its password is needed (%w)", ErrNeedPassword)
	// ErrWrongDatabasePassword means the password does not open the database. It is
	// also ErrWrongPassword.
	ErrWrongDatabasePassword = fmt.Errorf("the KeePass database password is incorrect, the database needs a key file, or the file was changed (%w)", ErrWrongPassword)
)

var (
	kdbxCipherAES     = uuid("31c1f2e6bf714350be5805216afc5aff")
	kdbxCipherChaCha  = uuid("d6038a2b8b6f4cb5a524339a31dbb59a")
	kdbxCipherTwofish = uuid("ad68f29f576f4bb9a36ad47af965346c")
	kdbxKDFAES3       = uuid("c9d9f39a628a4460bf740d08c18a4fea")
	kdbxKDFAES4       = uuid("7c02bb8279a74ac0927d114a00648238")
	kdbxKDFArgon2d    = uuid("ef636ddf8c29444b91f7a9a403e30a0c")
	kdbxKDFArgon2id   = uuid("9e298b1956db4773b23dfc3ec6f0a1e6")
)

func uuid(h string) string {
	b := make([]byte, 16)
	for i := range b {
		b[i] = unhex(h[2*i])<<4 | unhex(h[2*i+1])
	}
	return string(b)
}

func unhex(c byte) byte {
	if c >= 'a' {
		return c - 'a' + 10
	}
	return c - '0'
}

// isKDBX says whether data starts with a KeePass 2 database's signature.
func isKDBX(data []byte) bool {
	return len(data) >= 12 && binary.LittleEndian.Uint32(data) == kdbxSig1 && binary.LittleEndian.Uint32(data[4:]) == kdbxSig2
}

// kdbxHeader is what the outer header says.
type kdbxHeader struct {
	major          uint16
	cipher         string
	gzip           bool
	masterSeed     []byte
	iv             []byte
	kdf            kdbxKDF
	streamStart    []byte // 3.1
	innerStreamID  uint32 // 3.1 (in 4 it is in the inner header)
	innerStreamKey []byte // 3.1
	end            int    // offset of the first byte after the header
}

// kdbxKDF is a key derivation and its parameters.
type kdbxKDF struct {
	id                string
	seed              []byte // AES: transform seed; Argon2: salt
	rounds            uint64 // AES
	memory, passes    uint64 // Argon2: bytes, iterations
	lanes             uint32
	version           uint32
	secret, assocData []byte
}

func parseKDBXHeader(data []byte) (*kdbxHeader, error) {
	if !isKDBX(data) {
		return nil, errors.New("the file is not a KeePass 2 database")
	}
	minor, major := binary.LittleEndian.Uint16(data[8:]), binary.LittleEndian.Uint16(data[10:])
	if major != 3 && major != 4 {
		return nil, fmt.Errorf("the KeePass database is format version %d.%d; Valv reads 3.1 and 4", major, minor)
	}
	h := &kdbxHeader{major: major}
	p := 12
	for {
		sizeLen := 2
		if major == 4 {
			sizeLen = 4
		}
		if len(data) < p+1+sizeLen {
			return nil, errKDBXShort
		}
		id := data[p]
		var size int
		if major == 4 {
			size = int(binary.LittleEndian.Uint32(data[p+1:]))
		} else {
			size = int(binary.LittleEndian.Uint16(data[p+1:]))
		}
		p += 1 + sizeLen
		if size < 0 || size > kdbxMaxFieldSize || len(data) < p+size {
			return nil, errKDBXShort
		}
		v := data[p : p+size]
		p += size
		if id == 0 {
			break
		}
		if err := h.set(id, v); err != nil {
			return nil, err
		}
	}
	h.end = p
	return h, h.check()
}

var errKDBXShort = errors.New("the KeePass database is damaged or cut short")

func (h *kdbxHeader) set(id byte, v []byte) error {
	switch id {
	case 2:
		h.cipher = string(v)
	case 3:
		if len(v) != 4 || binary.LittleEndian.Uint32(v) > 1 {
			return errors.New("the KeePass database uses a compression Valv does not know")
		}
		h.gzip = binary.LittleEndian.Uint32(v) == 1
	case 4:
		h.masterSeed = v
	case 5:
		h.kdf.id, h.kdf.seed = kdbxKDFAES3, v
	case 6:
		if len(v) != 8 {
			return errKDBXShort
		}
		h.kdf.rounds = binary.LittleEndian.Uint64(v)
	case 7:
		h.iv = v
	case 8:
		h.innerStreamKey = v
	case 9:
		h.streamStart = v
	case 10:
		if len(v) != 4 {
			return errKDBXShort
		}
		h.innerStreamID = binary.LittleEndian.Uint32(v)
	case 11:
		return h.kdf.parseVariant(v)
	}
	return nil // comments and public custom data carry nothing to import
}

func (h *kdbxHeader) check() error {
	switch h.cipher {
	case kdbxCipherAES, kdbxCipherChaCha:
	case kdbxCipherTwofish:
		return errors.New("the KeePass database is encrypted with Twofish, which Valv does not read; in KeePass choose AES or ChaCha20 under Database → Database Settings → Security, save, and import again")
	default:
		return errors.New("the KeePass database uses a cipher Valv does not know")
	}
	if len(h.masterSeed) != 32 {
		return errKDBXShort
	}
	if h.major == 3 && (len(h.streamStart) != 32 || h.kdf.id != kdbxKDFAES3) {
		return errKDBXShort
	}
	return h.kdf.check()
}

func (k *kdbxKDF) check() error {
	switch k.id {
	case kdbxKDFAES3, kdbxKDFAES4:
		if len(k.seed) != 32 {
			return errKDBXShort
		}
		if k.rounds > maxAESRounds {
			return fmt.Errorf("the KeePass database asks for %d AES-KDF rounds, more than Valv allows (%d)", k.rounds, uint64(maxAESRounds))
		}
	case kdbxKDFArgon2d, kdbxKDFArgon2id:
		if k.version != 0x10 && k.version != 0x13 {
			return errors.New("the KeePass database uses an Argon2 version Valv does not know")
		}
		if k.version == 0x10 {
			return errors.New("the KeePass database uses Argon2 version 1.0, which Valv does not read; change its key settings in KeePass and import again")
		}
		if k.lanes < 1 || k.lanes > maxArgonLanes || k.passes < 1 || k.memory < 8<<10 || len(k.seed) < 8 {
			return errors.New("the KeePass database's Argon2 settings are not valid")
		}
		if k.memory > maxArgonMemory || k.passes > maxArgonPasses || k.memory/1024*k.passes > maxArgonWork/1024 {
			return fmt.Errorf("the KeePass database asks for more key derivation work (%d MiB, %d passes) than Valv allows", k.memory>>20, k.passes)
		}
	default:
		return errors.New("the KeePass database uses a key derivation Valv does not know")
	}
	return nil
}

// parseVariant reads KDBX 4's VariantDictionary of KDF parameters: version u16, then
// entries of type (u8), name (u32 length + bytes), value (u32 length + bytes).
func (k *kdbxKDF) parseVariant(v []byte) error {
	if len(v) < 2 || v[1] != 1 {
		return errors.New("the KeePass database's key settings are in a version Valv does not know")
	}
	p := 2
	for {
		if p >= len(v) {
			return errKDBXShort
		}
		typ := v[p]
		p++
		if typ == 0 {
			return nil
		}
		name, rest, ok := lenPrefixed(v[p:])
		if !ok {
			return errKDBXShort
		}
		val, rest, ok := lenPrefixed(rest)
		if !ok {
			return errKDBXShort
		}
		p = len(v) - len(rest)
		k.setVariant(string(name), val)
	}
}

func lenPrefixed(b []byte) (v, rest []byte, ok bool) {
	if len(b) < 4 {
		return nil, nil, false
	}
	n := binary.LittleEndian.Uint32(b)
	if uint64(n) > uint64(len(b)-4) {
		return nil, nil, false
	}
	return b[4 : 4+n], b[4+n:], true
}

func (k *kdbxKDF) setVariant(name string, val []byte) {
	u64 := func() uint64 {
		switch len(val) {
		case 8:
			return binary.LittleEndian.Uint64(val)
		case 4:
			return uint64(binary.LittleEndian.Uint32(val))
		}
		return 0
	}
	switch name {
	case "$UUID":
		k.id = string(val)
	case "S":
		k.seed = val
	case "R":
		k.rounds = u64()
	case "M":
		k.memory = u64()
	case "I":
		k.passes = u64()
	case "P":
		k.lanes = uint32(u64())
	case "V":
		k.version = uint32(u64())
	case "K":
		k.secret = val
	case "A":
		k.assocData = val
	}
}

// transform derives the transformed key from the composite key.
func (k *kdbxKDF) transform(composite []byte) ([]byte, error) {
	switch k.id {
	case kdbxKDFAES3, kdbxKDFAES4:
		return aesKDF(composite, k.seed, k.rounds)
	case kdbxKDFArgon2id:
		return argon2.Key(argon2.ID, composite, k.seed, k.secret, k.assocData, uint32(k.passes), uint32(k.memory/1024), uint8(k.lanes), 32), nil
	}
	return argon2.Key(argon2.D, composite, k.seed, k.secret, k.assocData, uint32(k.passes), uint32(k.memory/1024), uint8(k.lanes), 32), nil
}

// compositeKey is SHA-256 over the hashes of the key's parts; a password is the only part.
func compositeKey(password []byte) []byte {
	pw := sha256.Sum256(password)
	c := sha256.Sum256(pw[:])
	clear(pw[:])
	return c[:]
}

// kdbxKeys derives the cipher key and (for 4) the HMAC base key.
func kdbxKeys(h *kdbxHeader, password []byte) (cipherKey, hmacKey []byte, err error) {
	composite := compositeKey(password)
	defer clear(composite)
	transformed, err := h.kdf.transform(composite)
	if err != nil {
		return nil, nil, err
	}
	defer clear(transformed)
	return kdbxKeysFromTransformed(h, transformed)
}

func kdbxKeysFromTransformed(h *kdbxHeader, transformed []byte) (cipherKey, hmacKey []byte, err error) {
	ck := sha256.Sum256(bytes.Join([][]byte{h.masterSeed, transformed}, nil))
	hk := sha512Sum(h.masterSeed, transformed, []byte{1})
	return ck[:], hk, nil
}
