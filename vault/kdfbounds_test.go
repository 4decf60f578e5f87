package vault

import (
	"encoding/binary"
	"testing"

	"github.com/valvpm/valv/cloud/api"
)

// TestBoundsMatchTheServer: valv-cloud refuses to store a header outside the bounds in
// cloud/api, and this package refuses to open one outside its own. The two sets must be
// the same numbers: vault may not import cloud/api (it depends on the standard library,
// x/crypto and bbolt only), so this test is what ties them together.
func TestBoundsMatchTheServer(t *testing.T) {
	for _, c := range []struct {
		name        string
		vault, wire int
	}{
		{"min memory", MinMemory, api.KDFMinMemoryKiB},
		{"min time", MinTime, api.KDFMinTime},
		{"min threads", MinThreads, api.KDFMinThreads},
		{"max memory", MaxMemory, api.KDFMaxMemoryKiB},
		{"max time", MaxTime, api.KDFMaxTime},
		{"max threads", MaxThreads, api.KDFMaxThreads},
		{"salt size", SaltSize, api.KDFSaltSize},
		{"header size", headerSize, api.VaultHeaderSize},
		{"wrapped key size", wrappedKeySize, api.VaultWrappedKeySize},
		{"format version", FormatVersion, api.VaultHeaderVersion},
	} {
		if c.vault != c.wire {
			t.Errorf("%s: vault has %d, cloud/api has %d", c.name, c.vault, c.wire)
		}
	}
}

// TestHeaderLayoutMatchesTheServer reads a real header at the offsets cloud/api
// publishes for the server's checks.
func TestHeaderLayoutMatchesTheServer(t *testing.T) {
	h := &Header{Epoch: 7, Generation: 2, KDF: KDFParams{Memory: 70000, Time: 5, Threads: 6, Salt: make([]byte, SaltSize)},
		WrappedKey: make([]byte, wrappedKeySize)}
	h.VaultID[0], h.VaultID[15] = 0xab, 0xcd
	b, err := h.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if string(b[:4]) != api.VaultHeaderMagic || b[4] != api.VaultHeaderVersion {
		t.Fatalf("magic and version: %q %d", b[:4], b[4])
	}
	if b[api.VaultHeaderIDAt] != 0xab || b[api.VaultHeaderIDAt+15] != 0xcd {
		t.Error("vault ID not at VaultHeaderIDAt")
	}
	if binary.BigEndian.Uint32(b[api.VaultHeaderEpochAt:]) != 7 {
		t.Error("epoch not at VaultHeaderEpochAt")
	}
	k := b[api.VaultHeaderKDFAt:]
	if k[0] != api.VaultKDFArgon2id || binary.BigEndian.Uint32(k[1:]) != 70000 || binary.BigEndian.Uint32(k[5:]) != 5 || k[9] != 6 || k[10] != api.KDFSaltSize {
		t.Errorf("KDF fields at VaultHeaderKDFAt: % x", k[:11])
	}
	if b[api.VaultHeaderWrappedAt] != api.VaultWrappedKeySize || api.VaultHeaderSumAt != api.VaultHeaderWrappedAt+1+api.VaultWrappedKeySize {
		t.Error("wrapped key not at VaultHeaderWrappedAt")
	}
}
