package transfer

import (
	"bytes"
	"compress/gzip"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/chacha20"
	"golang.org/x/crypto/salsa20"
)

// The body of a KeePass database: block streams, the cipher, the inner header and
// the protected-value stream (the header and key derivation are in kdbx.go).

// readKDBX asks for the database password, opens the database and reads the XML
// inside with the KeePass XML reader, its protected values decrypted.
func readKDBX(data []byte, password func() ([]byte, error), r *reader) error {
	h, err := parseKDBXHeader(data)
	if err != nil {
		return err
	}
	if password == nil {
		return ErrNeedDatabasePassword
	}
	pw, err := password()
	if err != nil {
		return err
	}
	defer clear(pw)
	ck, hk, err := kdbxKeys(h, pw)
	if err != nil {
		return err
	}
	defer clear(ck)
	defer clear(hk)
	return readKDBXWithKeys(data, h, ck, hk, r)
}

// readKDBXWithKeys is readKDBX after the key derivation: apart, so tests and the fuzz
// target can reach everything after the KDF without paying for it per input.
func readKDBXWithKeys(data []byte, h *kdbxHeader, cipherKey, hmacKey []byte, r *reader) error {
	xmlData, stream, files, err := kdbxPayload(data, h, cipherKey, hmacKey)
	if err != nil {
		return err
	}
	defer clear(xmlData)
	root, err := parseXMLTree(xmlData, nil)
	if err != nil {
		return fmt.Errorf("the KeePass database's contents cannot be read, so nothing was imported: %w", err)
	}
	if err := unprotect(root, stream); err != nil {
		return err
	}
	return readKeePassTree(root, r, true, files)
}

// protectedValues lists the protected values of the tree in document order, which is
// the order the key stream runs in: a pre-order walk, since children are kept in the
// order they appear. Besides an entry's String values, a 3.1 database may protect an
// attachment in Meta's Binaries; it takes its share of the stream though Valv does
// not import it.
func protectedValues(n *xnode, out []*xnode) []*xnode {
	if len(n.kids) == 0 && strings.EqualFold(n.attr("Protected"), "true") {
		out = append(out, n)
	}
	for _, k := range n.kids {
		out = protectedValues(k, out)
	}
	return out
}

// unprotect decrypts every protected value of the tree with the inner stream.
func unprotect(root *xnode, stream innerKeyStream) error {
	values := protectedValues(root, nil)
	raws := make([][]byte, len(values))
	total := 0
	for i, n := range values {
		raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(n.text))
		if err != nil {
			return errors.New("a protected value of the KeePass database is damaged")
		}
		raws[i] = raw
		total += len(raw)
	}
	ks, err := stream(total)
	if err != nil {
		return err
	}
	defer clear(ks)
	for i, raw := range raws {
		subtle.XORBytes(raw, raw, ks[:len(raw)])
		ks = ks[len(raw):]
		values[i].text = string(raw)
		clear(raw)
	}
	return nil
}

// innerKeyStream returns the next n bytes of the protected values' key stream.
type innerKeyStream func(n int) ([]byte, error)

// kdbxPayload decrypts and unpacks the body: the XML and the key stream of its
// protected values, and a KDBX 4 database's attachments (its inner header's).
func kdbxPayload(data []byte, h *kdbxHeader, cipherKey, hmacKey []byte) ([]byte, innerKeyStream, [][]byte, error) {
	body := data[h.end:]
	var sealed []byte
	if h.major == 4 {
		if len(body) < 64 {
			return nil, nil, nil, errKDBXShort
		}
		sum := sha256.Sum256(data[:h.end])
		if subtle.ConstantTimeCompare(sum[:], body[:32]) != 1 {
			return nil, nil, nil, errors.New("the KeePass database's header is damaged")
		}
		if !hmac.Equal(body[32:64], blockHMAC(hmacKey, ^uint64(0), data[:h.end])) {
			return nil, nil, nil, ErrWrongDatabasePassword
		}
		var err error
		if sealed, err = hmacBlocks(body[64:], hmacKey); err != nil {
			return nil, nil, nil, err
		}
	} else {
		sealed = body
	}
	plain, err := kdbxDecrypt(h, cipherKey, sealed)
	if err != nil {
		return nil, nil, nil, err
	}
	if h.major == 3 {
		if len(plain) < 32 || subtle.ConstantTimeCompare(plain[:32], h.streamStart) != 1 {
			return nil, nil, nil, ErrWrongDatabasePassword
		}
		if plain, err = hashedBlocks(plain[32:]); err != nil {
			return nil, nil, nil, err
		}
	}
	if h.gzip {
		if plain, err = gunzip(plain); err != nil {
			return nil, nil, nil, err
		}
	}
	id, key := h.innerStreamID, h.innerStreamKey
	var files [][]byte
	if h.major == 4 {
		if id, key, files, plain, err = innerHeader(plain); err != nil {
			return nil, nil, nil, err
		}
	}
	stream, err := innerStream(id, key)
	if err != nil {
		return nil, nil, nil, err
	}
	return plain, stream, files, nil
}

func kdbxDecrypt(h *kdbxHeader, key, sealed []byte) ([]byte, error) {
	out := make([]byte, len(sealed))
	if h.cipher == kdbxCipherChaCha {
		if len(h.iv) != chacha20.NonceSize {
			return nil, errKDBXShort
		}
		c, err := chacha20.NewUnauthenticatedCipher(key, h.iv)
		if err != nil {
			return nil, err
		}
		c.XORKeyStream(out, sealed)
		return out, nil
	}
	if len(h.iv) != aes.BlockSize || len(sealed) == 0 || len(sealed)%aes.BlockSize != 0 {
		return nil, errKDBXShort
	}
	b, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	cipher.NewCBCDecrypter(b, h.iv).CryptBlocks(out, sealed)
	// PKCS#7 padding; a wrong key (3.1 has no MAC before this) shows up as bad padding.
	pad := int(out[len(out)-1])
	if pad < 1 || pad > aes.BlockSize || !bytes.Equal(out[len(out)-pad:], bytes.Repeat([]byte{byte(pad)}, pad)) {
		return nil, ErrWrongDatabasePassword
	}
	return out[:len(out)-pad], nil
}

// hashedBlocks reads 3.1's block stream: index (u32), SHA-256 (32), size (u32), data;
// a block of size 0 ends it.
func hashedBlocks(b []byte) ([]byte, error) {
	var out bytes.Buffer
	for i := uint32(0); ; i++ {
		if len(b) < 40 || binary.LittleEndian.Uint32(b) != i {
			return nil, errKDBXShort
		}
		size := binary.LittleEndian.Uint32(b[36:])
		if size == 0 {
			return out.Bytes(), nil
		}
		if uint64(size) > uint64(len(b)-40) {
			return nil, errKDBXShort
		}
		block := b[40 : 40+size]
		if sum := sha256.Sum256(block); !bytes.Equal(sum[:], b[4:36]) {
			return nil, errors.New("a block of the KeePass database is damaged")
		}
		out.Write(block)
		b = b[40+size:]
	}
}

// hmacBlocks reads 4's block stream: HMAC-SHA-256 (32), size (u32), data; each block's
// MAC covers its index, size and data, so blocks cannot be reordered or cut.
func hmacBlocks(b, hmacKey []byte) ([]byte, error) {
	var out bytes.Buffer
	for i := uint64(0); ; i++ {
		if len(b) < 36 {
			return nil, errKDBXShort
		}
		size := binary.LittleEndian.Uint32(b[32:])
		if uint64(size) > uint64(len(b)-36) {
			return nil, errKDBXShort
		}
		var pre [12]byte
		binary.LittleEndian.PutUint64(pre[:], i)
		binary.LittleEndian.PutUint32(pre[8:], size)
		if !hmac.Equal(b[:32], blockHMAC(hmacKey, i, pre[:], b[36:36+size])) {
			return nil, errors.New("a block of the KeePass database is damaged")
		}
		if size == 0 {
			return out.Bytes(), nil
		}
		out.Write(b[36 : 36+size])
		b = b[36+size:]
	}
}

// blockHMAC is HMAC-SHA-256 keyed with SHA-512(index ‖ HMAC base key).
func blockHMAC(hmacKey []byte, index uint64, parts ...[]byte) []byte {
	var idx [8]byte
	binary.LittleEndian.PutUint64(idx[:], index)
	k := sha512Sum(idx[:], hmacKey)
	defer clear(k)
	m := hmac.New(sha256.New, k)
	for _, p := range parts {
		m.Write(p)
	}
	return m.Sum(nil)
}

func sha512Sum(parts ...[]byte) []byte {
	h := sha512.New()
	for _, p := range parts {
		h.Write(p)
	}
	return h.Sum(nil)
}

// gunzip inflates at most maxUnpacked bytes, so a small file cannot expand without end.
func gunzip(b []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, errors.New("the KeePass database's contents are damaged (not gzip)")
	}
	out, err := readCapped(zr)
	if err != nil && !errors.Is(err, ErrTooLarge) {
		return nil, fmt.Errorf("the KeePass database's contents are damaged: %v", err)
	}
	return out, err
}

// innerHeader reads 4's inner header: id (u8), size (u32), data; 1 the stream cipher,
// 2 its key, 3 an attachment (a flags byte, then the file; entries refer to them by
// their order), 0 the end. The XML follows.
func innerHeader(b []byte) (id uint32, key []byte, files [][]byte, rest []byte, err error) {
	for {
		if len(b) < 5 {
			return 0, nil, nil, nil, errKDBXShort
		}
		fid, size := b[0], binary.LittleEndian.Uint32(b[1:])
		if uint64(size) > uint64(len(b)-5) {
			return 0, nil, nil, nil, errKDBXShort
		}
		v := b[5 : 5+size]
		b = b[5+size:]
		switch fid {
		case 0:
			return id, key, files, b, nil
		case 1:
			if len(v) != 4 {
				return 0, nil, nil, nil, errKDBXShort
			}
			id = binary.LittleEndian.Uint32(v)
		case 2:
			key = v
		case 3:
			if len(v) < 1 {
				return 0, nil, nil, nil, errKDBXShort
			}
			files = append(files, v[1:]) // the flag says whether KeePass kept it protected in memory
		}
	}
}

// innerStream is the key stream of protected values: 2 Salsa20 (key SHA-256(key), a
// fixed nonce), 3 ChaCha20 (key and nonce from SHA-512(key)). The whole stream is
// made at once, since x/crypto/salsa20 starts a stream again at each call.
func innerStream(id uint32, key []byte) (innerKeyStream, error) {
	switch id {
	case 2:
		k := sha256.Sum256(key)
		return func(n int) ([]byte, error) {
			ks := make([]byte, n)
			salsa20.XORKeyStream(ks, ks, kdbxSalsaNonce[:], &k)
			return ks, nil
		}, nil
	case 3:
		h := sha512.Sum512(key)
		return func(n int) ([]byte, error) {
			c, err := chacha20.NewUnauthenticatedCipher(h[:32], h[32:44])
			if err != nil {
				return nil, err
			}
			ks := make([]byte, n)
			c.XORKeyStream(ks, ks)
			return ks, nil
		}, nil
	}
	return nil, errors.New("the KeePass database protects its values with a cipher Valv does not know")
}

// kdbxSalsaNonce is the nonce KeePass uses for the protected-value stream.
var kdbxSalsaNonce = [8]byte{0xE8, 0x30, 0x09, 0x4B, 0x97, 0x20, 0x5D, 0x2A}

// aesKDF encrypts both halves of the key rounds times with AES-256 (ECB) under seed,
// then hashes them: KeePass's AES-KDF.
func aesKDF(composite, seed []byte, rounds uint64) ([]byte, error) {
	b, err := aes.NewCipher(seed)
	if err != nil {
		return nil, errKDBXShort
	}
	var buf [32]byte
	copy(buf[:], composite)
	for range rounds {
		b.Encrypt(buf[:16], buf[:16])
		b.Encrypt(buf[16:], buf[16:])
	}
	sum := sha256.Sum256(buf[:])
	clear(buf[:])
	return sum[:], nil
}
