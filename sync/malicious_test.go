package cloudsync

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"maps"
	"path/filepath"
	"testing"

	"github.com/valvpm/valv/cloud/api"
	"github.com/valvpm/valv/cloud/cloudtest"
	"github.com/valvpm/valv/vault"
)

// evil wraps the real remote and lets a test rewrite what the "server" answers.
type evil struct {
	Remote
	header func(*api.VaultHeader)
	pull   func(*api.PullResponse)
}

func (e *evil) VaultHeader(ctx context.Context) (*api.VaultHeader, error) {
	h, err := e.Remote.VaultHeader(ctx)
	if err == nil && e.header != nil {
		e.header(h)
	}
	return h, err
}

func (e *evil) Pull(ctx context.Context, since uint64, limit int) (*api.PullResponse, error) {
	p, err := e.Remote.Pull(ctx, since, limit)
	if err == nil && e.pull != nil {
		e.pull(p)
	}
	return p, err
}

// setHeader rewrites the header bytes inside an api.VaultHeader, fixing the checksum
// as a forger would.
func setHeader(t *testing.T, h *api.VaultHeader, edit func(b []byte)) {
	var k kdfJSON
	if err := json.Unmarshal(h.KDF, &k); err != nil {
		t.Fatal(err)
	}
	edit(k.Header)
	sum := sha256.Sum256(k.Header[:len(k.Header)-8])
	copy(k.Header[len(k.Header)-8:], sum[:8])
	h.KDF, _ = json.Marshal(k)
}

// maliciousSetup: device A uploads two items; B downloads; then A changes one, so B
// has something to pull through the evil server.
func maliciousSetup(t *testing.T) (*cloudtest.Env, *device, *device) {
	env := cloudtest.Start(t)
	a := firstDevice(t, env, "m@example.com",
		&vault.Item{Type: vault.TypeLogin, Title: "one", Password: "p1"},
		&vault.Item{Type: vault.TypeLogin, Title: "two", Password: "p2"})
	b := nextDevice(t, env, "m@example.com", "d2")
	items, _ := a.v.List(vault.Filter{})
	for _, it := range items {
		c := it.Clone()
		c.Password += "-new"
		a.v.Update(c)
	}
	a.sync(t)
	return env, a, b
}

// refused asserts that a sync through ev fails with want and leaves B's vault as it was.
func refused(t *testing.T, b *device, ev *evil, want error) {
	t.Helper()
	before := snapshot(t, b.v)
	stBefore, _ := b.v.SyncState()
	_, err := New(b.v, ev).SyncOnce(bg)
	if !errors.Is(err, want) {
		t.Fatalf("sync = %v, want %v", err, want)
	}
	if after := snapshot(t, b.v); !maps.Equal(before, after) {
		t.Error("the local vault changed")
	}
	if stAfter, _ := b.v.SyncState(); stAfter != stBefore {
		t.Errorf("sync state changed: %+v → %+v", stBefore, stAfter)
	}
}

func TestMaliciousDowngradedKDF(t *testing.T) {
	_, _, b := maliciousSetup(t)
	ev := &evil{Remote: b.c, header: func(h *api.VaultHeader) {
		setHeader(t, h, func(hb []byte) { binary.BigEndian.PutUint32(hb[30:], 8*1024) }) // 8 MiB
	}}
	refused(t, b, ev, vault.ErrKDFParams)
	// A new device is refused too, before any key derivation with the weak settings.
	_, _, err := Download(bg, ev, filepath.Join(t.TempDir(), "v.db"), masterPW, "", "")
	if !errors.Is(err, vault.ErrKDFParams) {
		t.Errorf("download with a downgraded header: %v", err)
	}
}

func TestMaliciousSwappedItems(t *testing.T) {
	_, _, b := maliciousSetup(t)
	ev := &evil{Remote: b.c, pull: func(p *api.PullResponse) {
		if len(p.Items) >= 2 {
			p.Items[0].Blob, p.Items[1].Blob = p.Items[1].Blob, p.Items[0].Blob
		}
	}}
	refused(t, b, ev, vault.ErrRemoteCorrupt)
	// A flipped byte is refused the same way.
	ev.pull = func(p *api.PullResponse) {
		if len(p.Items) > 0 {
			p.Items[0].Blob[30] ^= 1
		}
	}
	refused(t, b, ev, vault.ErrRemoteCorrupt)
}

func TestMaliciousRollback(t *testing.T) {
	_, a, b := maliciousSetup(t)
	b.sync(t) // B has now seen the latest change
	a.v.Add(&vault.Item{Type: vault.TypeNote, Title: "three"})
	a.sync(t)
	seen, _ := b.v.SyncState()
	// The server pretends to be an older copy of the vault.
	ev := &evil{Remote: b.c,
		header: func(h *api.VaultHeader) { h.LatestChange = seen.LatestSeen - 1 },
	}
	refused(t, b, ev, ErrRolledBack)
	ev = &evil{Remote: b.c, pull: func(p *api.PullResponse) { p.LatestChange = seen.LatestSeen - 1 }}
	refused(t, b, ev, ErrRolledBack)
	// An older key epoch is a rollback too.
	ev = &evil{Remote: b.c, pull: func(p *api.PullResponse) { p.KeyEpoch-- }}
	refused(t, b, ev, ErrRolledBack)
}

func TestMaliciousReplayedHeader(t *testing.T) {
	env, a, b := maliciousSetup(t)
	_ = env
	old := a.v.HeaderBytes()
	newPW := []byte("Changed-Master-2026")
	if err := a.v.ChangeMasterPassword(masterPW, newPW); err != nil {
		t.Fatal(err)
	}
	a.sync(t)
	b.sync(t)
	if err := b.e.AdoptPassword(bg, newPW); err != nil {
		t.Fatal(err)
	}
	// The server now replays the header from before the change.
	oldAPI, _ := toAPI(old)
	ev := &evil{Remote: b.c, header: func(h *api.VaultHeader) { *h = oldAPI }}
	if err := New(b.v, ev).AdoptPassword(bg, masterPW); !errors.Is(err, vault.ErrStaleHeader) {
		t.Errorf("adopting the replayed header: %v", err)
	}
	if b.v.Header().Generation != 1 {
		t.Error("B went back to the old header")
	}
	// The same generation with different bytes (a forged header) is refused.
	ev = &evil{Remote: b.c, header: func(h *api.VaultHeader) {
		setHeader(t, h, func(hb []byte) { hb[45] ^= 1 }) // a salt byte
	}}
	refused(t, b, ev, ErrRolledBack)
}
