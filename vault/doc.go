// Package vault is Valv's encrypted local vault: the key hierarchy, the item model, the
// on-disk format in a bbolt file, search, and the password generator.
//
// Key hierarchy (DESIGN.md, "Vault: keys and format"):
//
//	master password ──NFC──► Argon2id(salt, m, t, p) ──► 32-byte master key
//	master key ──HKDF-SHA256("valv/wrap/v1")──► wrapping key
//	random 32-byte vault key ──XChaCha20-Poly1305(wrapping key)──► wrapped vault key
//	each item ──XChaCha20-Poly1305(vault key, random 24-byte nonce)──► sealed item
//
// The primitives are in crypto.go, the KDF and its bounds in kdf.go, the header format
// in header.go, the item encoding in codec.go and the stored record in record.go. A
// Vault (store.go) is opened locked; Unlock derives the keys, decrypts every item into
// memory and indexes it for search; Lock zeroes the keys and drops every decrypted item.
//
// Everything a person typed is inside the sealed items. In clear on disk are only IDs,
// sizes, the KDF parameters and sync bookkeeping (revisions, the pending set).
package vault
