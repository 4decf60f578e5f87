package cloudsync

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/valvpm/valv/cloud/api"
	"github.com/valvpm/valv/vault"
)

// Remote is the cloud vault store as the engine needs it; *account.Client implements
// it over HTTPS, tests may wrap it to misbehave.
type Remote interface {
	VaultHeader(ctx context.Context) (*api.VaultHeader, error)
	PutVaultHeader(ctx context.Context, h api.VaultHeader) (*api.VaultHeader, error)
	Pull(ctx context.Context, since uint64, limit int) (*api.PullResponse, error)
	Push(ctx context.Context, req api.PushRequest) (*api.PushResponse, error)
}

// Errors a sync can end with. Each leaves the local vault as it was.
var (
	// ErrNotLinked: this vault was never uploaded and the account has no cloud vault
	// yet; Upload links them.
	ErrNotLinked = errors.New("this vault is not linked to the account's cloud vault yet")
	// ErrOtherVault: the account's cloud vault is another vault; the person chooses
	// between merging, keeping the cloud vault or replacing it (linking case c).
	ErrOtherVault = errors.New("the account already has a different vault in the cloud")
	// ErrReplaced: the cloud vault was replaced or reset on another device (a new key
	// epoch); this device must download it (its own vault is kept as a backup).
	ErrReplaced = errors.New("the cloud vault was replaced or reset on another device")
	// ErrCloudWiped: the cloud vault this device synced with was cleared.
	ErrCloudWiped = errors.New("the cloud vault was cleared on another device")
	// ErrRolledBack: the server sent an older vault than this device has seen.
	ErrRolledBack = errors.New("the cloud sent an older version of the vault than this device has already seen; it was refused")
)

// apiCode returns the server's error code in err, if any.
func apiCode(err error) api.Code {
	var c interface{ APICode() api.Code }
	if errors.As(err, &c) {
		return c.APICode()
	}
	return ""
}

// CloudVaultExists reports whether the account behind r has a vault in the cloud, as
// a device with no vault asks after sign-in (download it, or create a new one?).
func CloudVaultExists(ctx context.Context, r Remote) (bool, error) {
	_, err := r.VaultHeader(ctx)
	if apiCode(err) == api.CodeVaultNotFound {
		return false, nil
	}
	return err == nil, err
}

// Engine syncs one vault with one account's cloud vault.
type Engine struct {
	v *vault.Vault
	r Remote
	// PageSize is how many items one pull asks for; PushBatch how many one push sends.
	PageSize, PushBatch int
	now                 func() time.Time

	hold       *hold       // the plan's entry limit refused new entries (limit.go)
	retryLimit atomic.Bool // RetryEntryLimit was called
	syncing    sync.Mutex  // held by SyncOnce, so Cursor can wait for it (cursor.go)
}

// New returns an engine for v and r.
func New(v *vault.Vault, r Remote) *Engine {
	return &Engine{v: v, r: r, PageSize: api.MaxPullLimit, PushBatch: 500, now: time.Now}
}

// Report says what one sync did.
type Report struct {
	Pulled, Pushed int
	Applied        vault.ApplyReport
	// PasswordChanged: the master password was changed on another device; ask for the
	// new one (AdoptPassword). Syncing goes on meanwhile: the vault key is the same.
	PasswordChanged bool
}

// SyncOnce pulls what changed in the cloud and pushes what changed here. The vault must
// be unlocked (pulled items are checked and merged in the clear).
func (e *Engine) SyncOnce(ctx context.Context) (Report, error) {
	e.syncing.Lock()
	defer e.syncing.Unlock()
	var rep Report
	st, err := e.v.SyncState()
	if err != nil {
		return rep, err
	}
	ah, err := e.r.VaultHeader(ctx)
	if apiCode(err) == api.CodeVaultNotFound {
		if st.Linked && st.LatestSeen > 0 {
			return rep, ErrCloudWiped
		}
		return rep, ErrNotLinked
	}
	if err != nil {
		return rep, err
	}
	hb, _, err := fromAPI(ah)
	if err != nil {
		return rep, err
	}
	local := e.v.Header()
	rel, err := e.v.CompareHeader(hb, st.Linked)
	switch {
	case errors.Is(err, vault.ErrOtherVault):
		return rep, ErrOtherVault
	case errors.Is(err, vault.ErrStaleHeader):
		return rep, ErrRolledBack
	case err != nil:
		return rep, err
	case rel == vault.HeaderReplaced:
		return rep, ErrReplaced
	case rel == vault.HeaderPasswordChangedHere:
		if ah, err = e.r.PutVaultHeader(ctx, mustAPI(e.v.HeaderBytes())); err != nil {
			return rep, err
		}
	case rel == vault.HeaderPasswordChanged:
		rep.PasswordChanged = true
	}
	if ah.LatestChange < st.LatestSeen {
		return rep, ErrRolledBack
	}
	if !st.Linked {
		st.Linked, st.Enabled = true, true
	}
	if err := e.pull(ctx, &st, uint64(local.Epoch), &rep); err != nil {
		return rep, err
	}
	limited := e.push(ctx, &st, uint64(local.Epoch), &rep)
	if limited != nil && !errors.Is(limited, ErrEntryLimit) {
		return rep, limited
	}
	// Held back for the plan's limit, the rest is synced: that counts as a sync.
	st.LastSync = e.now().UTC()
	if err := e.v.SetSyncState(st); err != nil {
		return rep, err
	}
	return rep, limited
}

func mustAPI(hb []byte) api.VaultHeader {
	h, err := toAPI(hb)
	if err != nil {
		panic("cloudsync: the local header does not parse: " + err.Error()) // it was written by this code
	}
	return h
}

// pull applies every change after the cursor, page by page; each page lands together
// with the cursor, so an interrupted pull resumes where it stopped.
func (e *Engine) pull(ctx context.Context, st *vault.SyncState, epoch uint64, rep *Report) error {
	for range 1 << 20 { // bounded: a server answering More forever cannot spin us
		since := st.Cursor
		pr, err := e.r.Pull(ctx, since, e.PageSize)
		switch code := apiCode(err); {
		case code == api.CodeVaultNotFound:
			return ErrCloudWiped
		case err != nil:
			return err
		}
		if pr.KeyEpoch != epoch {
			if pr.KeyEpoch < epoch {
				return ErrRolledBack
			}
			return ErrReplaced
		}
		if pr.LatestChange < st.LatestSeen || pr.Next < since || pr.Next > pr.LatestChange || (pr.More && pr.Next == since) {
			return ErrRolledBack
		}
		in := make([]vault.Incoming, 0, len(pr.Items))
		for _, it := range pr.Items {
			id, err := parseItemID(it.ID)
			if err != nil {
				return err
			}
			if it.Change <= since || it.Change > pr.LatestChange || it.Deleted == (len(it.Blob) > 0) {
				return fmt.Errorf("%w: an item's change number or content is inconsistent", vault.ErrRemoteCorrupt)
			}
			in = append(in, vault.Incoming{ID: id, Change: it.Change, Deleted: it.Deleted, Sealed: it.Blob})
		}
		st.Cursor = pr.Next
		st.LatestSeen = max(st.LatestSeen, pr.LatestChange)
		ar, err := e.v.ApplyRemote(in, *st)
		if err != nil {
			return err
		}
		rep.Pulled += len(in)
		rep.Applied.Added += ar.Added
		rep.Applied.Updated += ar.Updated
		rep.Applied.Deleted += ar.Deleted
		rep.Applied.Conflicts += ar.Conflicts
		rep.Applied.Copies = append(rep.Applied.Copies, ar.Copies...)
		if !pr.More {
			return nil
		}
	}
	return ErrRolledBack
}

// push sends pending changes in batches. A conflict (someone pushed first) means pull,
// merge, and push again; a few rounds settle any real interleaving. New entries the
// plan has no room for are held back (limit.go).
func (e *Engine) push(ctx context.Context, st *vault.SyncState, epoch uint64, rep *Report) error {
	e.keepHold(st.LatestSeen)
	first := true // no refusal for the entry limit yet since room was last made
	for round := 0; round < 20; round++ {
		out, err := e.outgoing()
		if err != nil {
			return err
		}
		if len(out) == 0 {
			break
		}
		req := api.PushRequest{KeyEpoch: epoch, Items: make([]api.PushItem, len(out))}
		for i, o := range out {
			req.Items[i] = api.PushItem{ID: o.ID.String(), BaseChange: o.Base, Deleted: o.Deleted, Blob: o.Sealed}
		}
		resp, err := e.r.Push(ctx, req)
		switch apiCode(err) {
		case "":
		case api.CodeConflict:
			if err := e.pull(ctx, st, epoch, rep); err != nil {
				return err
			}
			continue
		case api.CodeEntryLimit:
			if err := e.holdBack(err, first); err != nil {
				return err
			}
			first = false
			continue
		case api.CodeKeyEpochChanged:
			return ErrReplaced
		case api.CodeVaultNotFound:
			return ErrCloudWiped
		}
		if err != nil {
			return err
		}
		if resp.LatestChange < st.LatestSeen {
			return ErrRolledBack
		}
		st.LatestSeen = resp.LatestChange
		revs := make(map[string]uint64, len(out))
		for _, o := range out {
			revs[o.ID.String()] = o.Rev
		}
		st.Cursor = pastOwnPush(st.Cursor, resp, revs)
		acks := make([]vault.Ack, 0, len(resp.Items))
		for _, pr := range resp.Items {
			rev, ok := revs[pr.ID]
			if !ok {
				continue // not something we sent
			}
			id, _ := parseItemID(pr.ID)
			acks = append(acks, vault.Ack{ID: id, Rev: rev, Change: pr.Change})
		}
		if err := e.v.Acknowledge(acks, *st); err != nil {
			return err
		}
		rep.Pushed += len(acks)
		if e.hold != nil && freed(out) {
			e.hold, first = nil, true // a deletion made room: the new entries may fit now
		}
	}
	return e.limitResult(st.LatestSeen)
}

// Upload links this vault to an account with no cloud vault (linking case a): it puts
// the header, marking every item to push, and syncs. password is needed only when the
// account had a vault before (cleared or reset), whose higher key epoch the new one
// must exceed — the header is re-wrapped for it.
func (e *Engine) Upload(ctx context.Context, password []byte) (Report, error) {
	if _, err := e.r.VaultHeader(ctx); err == nil {
		return Report{}, ErrOtherVault
	} else if apiCode(err) != api.CodeVaultNotFound {
		return Report{}, err
	}
	if err := e.v.MarkAllPending(); err != nil {
		return Report{}, err
	}
	_, err := e.r.PutVaultHeader(ctx, mustAPI(e.v.HeaderBytes()))
	if apiCode(err) == api.CodeKeyEpochChanged {
		var cur uint64
		var ec interface{ KeyEpochNow() uint64 }
		if errors.As(err, &ec) {
			cur = ec.KeyEpochNow()
		}
		if cur == 0 || cur >= 1<<32-1 {
			return Report{}, err
		}
		if err := e.v.Rebind(password, uint32(cur)+1); err != nil {
			return Report{}, err
		}
		_, err = e.r.PutVaultHeader(ctx, mustAPI(e.v.HeaderBytes()))
	}
	if err != nil {
		return Report{}, err
	}
	st, err := e.v.SyncState()
	if err != nil {
		return Report{}, err
	}
	st.Linked, st.Enabled, st.Cursor, st.LatestSeen = true, true, 0, 0
	if err := e.v.SetSyncState(st); err != nil {
		return Report{}, err
	}
	return e.SyncOnce(ctx)
}

// Download creates the local vault at path from the account's cloud vault (linking
// case b) and pulls every item. password is the cloud vault's master password.
func Download(ctx context.Context, r Remote, path string, password []byte, server, email string) (*vault.Vault, Report, error) {
	ah, err := r.VaultHeader(ctx)
	if err != nil {
		return nil, Report{}, err
	}
	hb, _, err := fromAPI(ah)
	if err != nil {
		return nil, Report{}, err
	}
	v, err := vault.CreateFromHeader(path, hb, password)
	if err != nil {
		return nil, Report{}, err
	}
	if err := v.SetSyncState(vault.SyncState{Linked: true, Enabled: true, Server: server, Account: email}); err != nil {
		return nil, Report{}, errors.Join(err, v.Close())
	}
	rep, err := New(v, r).SyncOnce(ctx)
	if err != nil {
		// The vault file exists and holds what arrived; the next sync completes it.
		return v, rep, err
	}
	return v, rep, nil
}

// AdoptPassword takes the cloud's newer header after the master password was changed
// on another device; password is the new master password.
func (e *Engine) AdoptPassword(ctx context.Context, password []byte) error {
	ah, err := e.r.VaultHeader(ctx)
	if err != nil {
		return err
	}
	hb, _, err := fromAPI(ah)
	if err != nil {
		return err
	}
	return e.v.AdoptHeader(hb, password)
}

// CheckCloudPassword reports whether password opens the account's cloud vault
// (vault.ErrWrongPassword if not), downloading nothing but its header — for checking
// before a step that would otherwise close the local vault on a typo.
func CheckCloudPassword(ctx context.Context, r Remote, password []byte) error {
	ah, err := r.VaultHeader(ctx)
	if err != nil {
		return err
	}
	hb, _, err := fromAPI(ah)
	if err != nil {
		return err
	}
	return vault.CheckHeaderPassword(hb, password)
}
