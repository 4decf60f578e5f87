package browser

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"

	"golang.org/x/crypto/nacl/box"
)

const (
	keySize   = 32 // Curve25519 keys, as nacl/box uses them
	nonceSize = 24 // nacl/box's XSalsa20 nonce: long enough to pick at random for every message
	// sessionSize is the per-connection challenge. 16 random bytes never repeat, so a
	// request sealed for one connection cannot be replayed on another.
	sessionSize = 16
)

// ErrBadBox means a sealed message did not open: it was not sealed between the two
// keys of this connection, or it was changed on the way.
var ErrBadBox = errors.New("the browser message does not open with this browser's key")

// KeyPair is one side's nacl/box key pair.
type KeyPair struct {
	Public, Private [keySize]byte
}

// NewKeyPair makes a fresh key pair from crypto/rand.
func NewKeyPair() (KeyPair, error) {
	pub, priv, err := box.GenerateKey(rand.Reader)
	if err != nil {
		return KeyPair{}, fmt.Errorf("cannot make a key pair: %w", err)
	}
	return KeyPair{Public: *pub, Private: *priv}, nil
}

// seal encodes v as JSON and seals it from kp to peer under a fresh random nonce.
func seal(kp *KeyPair, peer *[keySize]byte, v any) (nonce, sealed []byte, err error) {
	plain, err := json.Marshal(v)
	if err != nil {
		return nil, nil, err
	}
	var n [nonceSize]byte
	if _, err := rand.Read(n[:]); err != nil {
		return nil, nil, err
	}
	return n[:], box.Seal(nil, plain, &n, peer, &kp.Private), nil
}

// open authenticates and decrypts a box sealed by peer to kp and decodes its JSON into v.
func open(kp *KeyPair, peer *[keySize]byte, nonce, sealed []byte, v any) error {
	if len(nonce) != nonceSize {
		return ErrBadBox
	}
	var n [nonceSize]byte
	copy(n[:], nonce)
	plain, ok := box.Open(nil, sealed, &n, peer, &kp.Private)
	if !ok {
		return ErrBadBox
	}
	if err := json.Unmarshal(plain, v); err != nil {
		return fmt.Errorf("%w: %v", ErrBadMessage, err)
	}
	return nil
}

// PairingCode is the six-digit code the app and the extension both show while a
// pairing waits, "123 456". It is a hash of both public keys and the connection's
// session, so a program that put itself between the two (with keys of its own) makes
// the two sides show different codes, which the person sees. Six digits leave such a
// program a one-in-a-million chance per attempt, and each attempt needs the person to
// approve a dialog.
func PairingCode(appKey, extKey, session []byte) string {
	h := sha256.New()
	h.Write([]byte("valv/browser-pairing/v1"))
	h.Write(appKey)
	h.Write(extKey)
	h.Write(session)
	n := binary.BigEndian.Uint64(h.Sum(nil)[:8]) % 1_000_000
	return fmt.Sprintf("%03d %03d", n/1000, n%1000)
}
