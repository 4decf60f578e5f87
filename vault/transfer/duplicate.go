package transfer

import (
	"crypto/sha256"
	"encoding/binary"
	"hash"

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
	h := sha256.New()
	var n [8]byte
	put := func(s string) {
		binary.LittleEndian.PutUint64(n[:], uint64(len(s)))
		h.Write(n[:])
		h.Write([]byte(s))
	}
	h.Write([]byte{byte(it.Type)})
	for _, s := range []string{it.Title, it.Folder, it.Application, it.Username, it.Password,
		it.TOTP, it.Cardholder, it.Number, it.Expiry, it.CVC, it.PIN, it.Name, it.City,
		it.Region, it.Postcode, it.Country, it.Phone, it.Email, it.Notes} {
		put(s)
	}
	list(h, put, it.URLs)
	list(h, put, it.Street)
	binary.LittleEndian.PutUint64(n[:], uint64(len(it.Fields)))
	h.Write(n[:])
	for _, f := range it.Fields {
		put(f.Name)
		put(f.Value)
	}
	var k dupKey
	h.Sum(k[:0])
	return k
}

// list writes a count before the strings, so ["a","b"] in URLs and ["a"],["b"] in URLs
// and Street differ.
func list(h hash.Hash, put func(string), s []string) {
	var n [8]byte
	binary.LittleEndian.PutUint64(n[:], uint64(len(s)))
	h.Write(n[:])
	for _, v := range s {
		put(v)
	}
}
