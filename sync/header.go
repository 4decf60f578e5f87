package cloudsync

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/valvpm/valv/cloud/api"
	"github.com/valvpm/valv/vault"
)

// ErrBadHeader means the cloud's header is not a Valv vault header this version reads.
var ErrBadHeader = errors.New("the cloud vault's header cannot be read")

// kdfJSON is what goes in api.VaultHeader.KDF, which the server stores opaquely: the
// whole local header, so every field the wrapped key is bound to travels with it.
type kdfJSON struct {
	Format int    `json:"format"` // 1
	Header []byte `json:"header"` // vault.Header bytes (base64 in JSON)
}

// toAPI describes the vault's header for the cloud.
func toAPI(hb []byte) (api.VaultHeader, error) {
	h, err := vault.ParseHeader(hb)
	if err != nil {
		return api.VaultHeader{}, err
	}
	kdf, err := json.Marshal(kdfJSON{Format: 1, Header: hb})
	if err != nil {
		return api.VaultHeader{}, err
	}
	return api.VaultHeader{VaultID: h.VaultID.String(), KeyEpoch: uint64(h.Epoch), KDF: kdf, WrappedKey: h.WrappedKey}, nil
}

// fromAPI extracts and checks the header bytes the cloud sent: parsed with the vault's
// own checks (KDF bounds included) and consistent with the fields the server shows.
func fromAPI(ah *api.VaultHeader) ([]byte, *vault.Header, error) {
	var k kdfJSON
	if err := json.Unmarshal(ah.KDF, &k); err != nil || k.Format != 1 {
		return nil, nil, ErrBadHeader
	}
	h, err := vault.ParseHeader(k.Header)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %w", ErrBadHeader, err)
	}
	if h.VaultID.String() != ah.VaultID || uint64(h.Epoch) != ah.KeyEpoch || string(h.WrappedKey) != string(ah.WrappedKey) {
		return nil, nil, fmt.Errorf("%w: its fields disagree", ErrBadHeader)
	}
	return k.Header, h, nil
}

// parseItemID reads a cloud item ID (the hex form of vault.ID).
func parseItemID(s string) (vault.ID, error) {
	var id vault.ID
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != len(id) {
		return id, fmt.Errorf("%w: an item has a malformed ID", vault.ErrRemoteCorrupt)
	}
	copy(id[:], b)
	return id, nil
}
