package cloud

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"net/http"

	"github.com/valvpm/valv/cloud/api"
)

var (
	errBadHeader = errf(http.StatusBadRequest, api.CodeInvalidHeader,
		"The vault header is not a Valv vault header, or it disagrees with the vault ID, key epoch or wrapped key sent with it.")
	errKDFBounds = errf(http.StatusBadRequest, api.CodeKDFOutOfBounds,
		"The vault's key settings are outside what Valv allows: at least %d MiB, %d passes and %d lanes; at most %d MiB, %d passes and %d lanes.",
		api.KDFMinMemoryKiB/1024, api.KDFMinTime, api.KDFMinThreads, api.KDFMaxMemoryKiB/1024, api.KDFMaxTime, api.KDFMaxThreads)
)

// checkVaultHeader is what the server can check of a header before storing it: that
// the KDF JSON holds a well-formed version-1 vault header (docs/vault-format.md) with
// Argon2id settings within the bounds the vault itself enforces, and that its vault
// ID, key epoch and wrapped key are the ones sent beside it. A session alone then
// cannot store a header that every device would refuse — a downgraded KDF, a junk key —
// and so lock them out. Whether the wrapped key opens, only a master password can tell.
func checkVaultHeader(h api.VaultHeader) error {
	var k api.VaultKDF
	dec := json.NewDecoder(bytes.NewReader(h.KDF))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&k); err != nil || dec.More() || k.Format != api.VaultKDFFormat {
		return errBadHeader
	}
	b := k.Header
	if len(b) != api.VaultHeaderSize || string(b[:4]) != api.VaultHeaderMagic || b[4] != api.VaultHeaderVersion {
		return errBadHeader
	}
	sum := sha256.Sum256(b[:api.VaultHeaderSumAt])
	if !bytes.Equal(sum[:api.VaultHeaderSize-api.VaultHeaderSumAt], b[api.VaultHeaderSumAt:]) {
		return errBadHeader
	}
	kdf := b[api.VaultHeaderKDFAt:]
	if kdf[0] != api.VaultKDFArgon2id || kdf[10] != api.KDFSaltSize || b[api.VaultHeaderWrappedAt] != api.VaultWrappedKeySize {
		return errBadHeader
	}
	id := b[api.VaultHeaderIDAt : api.VaultHeaderIDAt+16]
	wrapped := b[api.VaultHeaderWrappedAt+1 : api.VaultHeaderSumAt]
	if h.VaultID != hex.EncodeToString(id) || h.KeyEpoch != uint64(binary.BigEndian.Uint32(b[api.VaultHeaderEpochAt:])) || !bytes.Equal(h.WrappedKey, wrapped) {
		return errBadHeader
	}
	m, t, p := binary.BigEndian.Uint32(kdf[1:]), binary.BigEndian.Uint32(kdf[5:]), kdf[9]
	if m < api.KDFMinMemoryKiB || t < api.KDFMinTime || p < api.KDFMinThreads || m > api.KDFMaxMemoryKiB || t > api.KDFMaxTime || p > api.KDFMaxThreads {
		return errKDFBounds
	}
	return nil
}
