package vault

import (
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"fmt"

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
	return hkdf.Key(sha256.New, masterKey, nil, wrapLabel, KeySize)
}

// seal encrypts plaintext under key with a fresh random nonce, binding ad, and returns
// nonce || ciphertext || tag.
func seal(key, plaintext, ad []byte) []byte {
	aead, err := chacha20poly1305.NewX(key)
	if err != nil {
		// Only a key of the wrong size fails here: a programming error, not user input.
		panic("vault: bad key size")
	}
	out := make([]byte, chacha20poly1305.NonceSizeX, len(plaintext)+sealedOverhead)
	rand.Read(out) // the nonce
	return aead.Seal(out, out, plaintext, ad)
}

// open reverses seal. Any change to the nonce, ciphertext, tag or ad gives ErrCorrupt
// and no plaintext.
func open(dst, key, sealed, ad []byte) ([]byte, error) {
	if len(sealed) < sealedOverhead {
		return nil, fmt.Errorf("%w: sealed data too short", ErrCorrupt)
	}
	aead, err := chacha20poly1305.NewX(key)
	if err != nil {
		panic("vault: bad key size")
	}
	nonce, ct := sealed[:chacha20poly1305.NonceSizeX], sealed[chacha20poly1305.NonceSizeX:]
	out, err := aead.Open(dst, nonce, ct, ad)
	if err != nil {
		return nil, ErrCorrupt
	}
	return out, nil
}

// itemAD binds a sealed item to its vault and its ID.
func itemAD(vaultID VaultID, itemID ID) []byte {
	ad := make([]byte, 0, len(adItem)+32)
	ad = append(ad, adItem...)
	ad = append(ad, vaultID[:]...)
	return append(ad, itemID[:]...)
}
