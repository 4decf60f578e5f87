package transfer

import (
	"crypto/sha256"
	"encoding/binary"

	"github.com/valvpm/valv/internal/secret"
	"github.com/valvpm/valv/vault"
)

// dupKey is a digest of everything a person typed into an item.
type dupKey [sha256.Size]byte

// duplicateKey defines an exact duplicate: the same type and the same text in every
// field — title, folder, URLs, application, user name, password, TOTP, card, address,
// notes and extra fields, in order. What is not typed is ignored: the ID, the times,
// the favourite mark and the password history, so importing a file twice, or an
// export of this very vault, adds nothing. Each string is length-prefixed so no two
// different items give the same byte stream.
func duplicateKey(it *vault.Item) dupKey {
	// One buffer hashed at once: feeding each string to the hash made a copy of it
	// on the heap (a large import spent a third of its duplicate test there).
	b := make([]byte, 0, 512)
	b = append(b, byte(it.Type))
	for _, s := range []string{it.Title, it.Folder, it.Application, it.Username, it.Password,
		it.TOTP, it.Cardholder, it.Number, it.Expiry, it.CVC, it.PIN, it.Name, it.City,
		it.Region, it.Postcode, it.Country, it.Phone, it.Email, it.Notes} {
		b = appendString(b, s)
	}
	b = appendList(b, it.URLs)
	b = appendList(b, it.Street)
	b = binary.LittleEndian.AppendUint64(b, uint64(len(it.Fields)))
	for _, f := range it.Fields {
		b = appendString(b, f.Name)
		b = appendString(b, f.Value)
	}
	k := dupKey(sha256.Sum256(b))
	secret.Wipe(b)
	return k
}

// appendString appends s after its length, so no two different items give the same
// byte stream.
func appendString(b []byte, s string) []byte {
	return append(binary.LittleEndian.AppendUint64(b, uint64(len(s))), s...)
}

// appendList appends a count before the strings, so ["a","b"] in URLs and ["a"],["b"]
// in URLs and Street differ.
func appendList(b []byte, s []string) []byte {
	b = binary.LittleEndian.AppendUint64(b, uint64(len(s)))
	for _, v := range s {
		b = appendString(b, v)
	}
	return b
}
