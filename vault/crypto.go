package vault

import (
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"slices"

	"golang.org/x/crypto/chacha20poly1305"
)

// The cryptographic primitives, in one place. Every nonce is random: XChaCha20's
// 24-byte nonce makes random nonces safe for far more messages than a vault will ever
// hold (2^80 before a collision is likely), so no counter state has to survive crashes.

// wrapLabel is the HKDF info that turns the master key into the key-wrapping key. A
// distinct label per use means the master key itself never encrypts anything.
const wrapLabel = "valv/wrap/v1"

// Associated-data prefixes: each ciphertext is bound to what it is and where it lives,
// so a record moved to another vault, ID or role fails to open.
const (
	adItem = "valv/item/v1"
)

// sealedOverhead is what sealing adds to a plaintext: the nonce and the Poly1305 tag.
const sealedOverhead = chacha20poly1305.NonceSizeX + chacha20poly1305.Overhead

// wrappingKey derives the key that encrypts the vault key from the master key.
func wrappingKey(masterKey []byte) ([]byte, error) {
	return subkey(masterKey, wrapLabel)
}

// subkey is HKDF-SHA256(masterKey, no salt, label), the same key as hkdf.Key. Its
// extract step is written out so that the master key does not stay behind in the
// standard library's HMAC: SHA-256 keeps the last partial block of its input, here the
// whole master key, in a state nobody clears. Writing as many zeros after a Reset
// overwrites that block. The pseudorandom key is wiped after the expand step.
func subkey(masterKey []byte, label string) ([]byte, error) {
	zeros := make([]byte, max(sha256.Size, len(masterKey)))
	mac := hmac.New(sha256.New, zeros[:sha256.Size]) // HKDF's salt when none is given
	mac.Write(masterKey)
	prk := mac.Sum(make([]byte, 0, sha256.Size))
	defer clear(prk)
	mac.Reset()
	mac.Write(zeros[:len(masterKey)])
	return hkdf.Expand(sha256.New, prk, label, KeySize)
}

// seal encrypts plaintext under key with a fresh random nonce, binding ad, and returns
// nonce || ciphertext || tag.
func seal(key, plaintext, ad []byte) []byte {
	return sealAppend(newAEAD(key), make([]byte, 0, len(plaintext)+sealedOverhead), plaintext, ad)
}

// newAEAD returns the XChaCha20-Poly1305 cipher for key.
func newAEAD(key []byte) cipher.AEAD {
	aead, err := chacha20poly1305.NewX(key)
	if err != nil {
		// Only a key of the wrong size fails here: a programming error, not user input.
		panic("vault: bad key size")
	}
	return aead
}

// sealAppend appends nonce || ciphertext || tag of plaintext to dst, with a fresh random
// nonce and ad bound.
func sealAppend(aead cipher.AEAD, dst, plaintext, ad []byte) []byte {
	n := len(dst)
	dst = slices.Grow(dst, len(plaintext)+sealedOverhead)[:n+chacha20poly1305.NonceSizeX]
	nonce := dst[n:]
	rand.Read(nonce)
	return aead.Seal(dst, nonce, plaintext, ad)
}

// open reverses seal. Any change to the nonce, ciphertext, tag or ad gives ErrCorrupt
// and no plaintext.
func open(dst, key, sealed, ad []byte) ([]byte, error) {
	if len(sealed) < sealedOverhead {
		return nil, fmt.Errorf("%w: sealed data too short", ErrCorrupt)
	}
	aead := newAEAD(key)
	nonce, ct := sealed[:chacha20poly1305.NonceSizeX], sealed[chacha20poly1305.NonceSizeX:]
	out, err := aead.Open(dst, nonce, ct, ad)
	if err != nil {
		return nil, ErrCorrupt
	}
	return out, nil
}

// itemAD binds a sealed item to its vault and its ID.
func itemAD(vaultID VaultID, itemID ID) []byte {
	return appendItemAD(make([]byte, 0, len(adItem)+32), vaultID, itemID)
}

// appendItemAD appends itemAD's bytes to b.
func appendItemAD(b []byte, vaultID VaultID, itemID ID) []byte {
	b = append(b, adItem...)
	b = append(b, vaultID[:]...)
	return append(b, itemID[:]...)
}
