package cloudsync

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/valvpm/valv/cloud/api"
	"github.com/valvpm/valv/vault"
)

// The dangerous actions of PRODUCT.md §4. Each is confirmed first — an e-mailed code,
// or the account password (+ SMS) — which yields a one-time action token the server
// requires; each writes an encrypted backup of the local vault before it deletes
// anything, so it can be undone (the product we follow cannot).

// ActionRemote is what the dangerous actions need of the server beyond Remote.
type ActionRemote interface {
	Remote
	ReplaceVault(ctx context.Context, token string, req api.ReplaceRequest) (*api.ReplaceResponse, error)
	WipeVault(ctx context.Context, token string) (*api.ReplaceResponse, error)
}

// ReplaceCloud replaces the account's cloud vault with this one (the person chose the
// local vault in linking case c, or "Replace the cloud database with the local one").
// token must be for api.ActionReplaceCloudVault; password is this vault's master
// password (the header is re-wrapped for the new key epoch). Other devices see the new
// epoch and download the replacement.
//
// What can be lost is the cloud vault (this one stays), so before anything is deleted
// its header and every item are copied, still sealed, into backupDir; backup is that
// file's path ("" when the account had no cloud vault).
func ReplaceCloud(ctx context.Context, v *vault.Vault, r ActionRemote, token string, password []byte, backupDir string) (backup string, err error) {
	epoch := uint32(1)
	if ah, err := r.VaultHeader(ctx); err == nil {
		epoch = uint32(ah.KeyEpoch) + 1
		if backup, err = BackupCloud(ctx, r, ah, backupDir); err != nil {
			return "", err
		}
	} else if apiCode(err) != api.CodeVaultNotFound {
		return "", err
	}
	return backup, replaceCloud(ctx, v, r, token, password, epoch)
}

// replaceCloud uploads v as the cloud vault under a key epoch above epoch-1 and the
// local one.
func replaceCloud(ctx context.Context, v *vault.Vault, r ActionRemote, token string, password []byte, epoch uint32) error {
	if local := v.Header().Epoch; local >= epoch {
		epoch = local + 1
	}
	if err := v.Rebind(password, epoch); err != nil {
		return err
	}
	if err := v.MarkAllPending(); err != nil {
		return err
	}
	out, err := v.Outgoing(0)
	if err != nil {
		return err
	}
	req := api.ReplaceRequest{Header: mustAPI(v.HeaderBytes())}
	for _, o := range out {
		if !o.Deleted {
			req.Items = append(req.Items, api.PushItem{ID: o.ID.String(), Blob: o.Sealed})
		}
	}
	_, err = r.ReplaceVault(ctx, token, req)
	if apiCode(err) == api.CodeKeyEpochChanged {
		return fmt.Errorf("%w: try again", ErrReplaced) // another device replaced it meanwhile
	}
	if err != nil {
		return err
	}
	st, err := v.SyncState()
	if err != nil {
		return err
	}
	st.Linked, st.Enabled = true, true
	if err := v.ResetSyncBookkeeping(st); err != nil {
		return err
	}
	_, err = New(v, r).SyncOnce(ctx) // re-learns the change numbers
	return err
}

// BackupCloud copies the cloud vault whose header is ah, with every item still sealed,
// into a vault file in backupDir and returns its path: it opens with the cloud vault's
// master password, which this device need not know.
func BackupCloud(ctx context.Context, r Remote, ah *api.VaultHeader, backupDir string) (string, error) {
	hb, _, err := fromAPI(ah)
	if err != nil {
		return "", err
	}
	var items []vault.Incoming
	at := map[vault.ID]int{} // an item changed between two pages comes twice: keep the last
	var since uint64
	for range 1 << 20 { // bounded: a server answering More forever cannot spin us
		pr, err := r.Pull(ctx, since, api.MaxPullLimit)
		if err != nil {
			return "", err
		}
		if pr.KeyEpoch != ah.KeyEpoch {
			return "", fmt.Errorf("%w: try again", ErrReplaced) // replaced meanwhile
		}
		for _, it := range pr.Items {
			id, err := parseItemID(it.ID)
			if err != nil {
				return "", err
			}
			in := vault.Incoming{ID: id, Change: it.Change, Deleted: it.Deleted, Sealed: it.Blob}
			if i, ok := at[id]; ok {
				items[i] = in
				continue
			}
			at[id] = len(items)
			items = append(items, in)
		}
		if !pr.More {
			return vault.BackupSealed(backupDir, hb, items)
		}
		if pr.Next <= since {
			return "", ErrRolledBack
		}
		since = pr.Next
	}
	return "", ErrRolledBack
}

// ClearVault deletes every item of the vault after writing a backup into backupDir.
// With cloud (linked and sync on) the cloud vault is wiped too — token must be for
// api.ActionClearVault or api.ActionResetMasterPassword — and this now-empty vault is
// uploaded again under the new epoch (password re-wraps its header). Without cloud only
// the local vault is cleared (the caller confirmed with the account password or, for
// a vault not linked to any account, the master password).
func ClearVault(ctx context.Context, v *vault.Vault, r ActionRemote, token string, password []byte, backupDir string) (backup string, err error) {
	if backup, err = v.Backup(backupDir); err != nil {
		return "", err
	}
	if r != nil {
		if _, err := r.WipeVault(ctx, token); err != nil && apiCode(err) != api.CodeVaultNotFound {
			return backup, err
		}
	}
	if err := v.Clear(); err != nil {
		return backup, err
	}
	if r == nil {
		return backup, nil
	}
	st, err := v.SyncState()
	if err != nil {
		return backup, err
	}
	st.Cursor, st.LatestSeen = 0, 0
	if err := v.SetSyncState(st); err != nil {
		return backup, err
	}
	_, err = New(v, r).Upload(ctx, password)
	return backup, err
}

// ResetMasterPassword is the way out of a forgotten master password: the vault cannot
// be decrypted, so after a backup of the old file the cloud vault is wiped (on all
// devices) and a new, empty vault with newPassword takes its place here and in the
// cloud. token must be for api.ActionResetMasterPassword. v (locked or not) is closed;
// the new vault is returned unlocked. opts are the new vault's creation options. If the
// new vault cannot be created (a full disk), the old one is put back and returned locked
// with the error.
func ResetMasterPassword(ctx context.Context, v *vault.Vault, r ActionRemote, token string, newPassword []byte, backupDir string, opts vault.CreateOptions) (*vault.Vault, string, error) {
	path := v.Path()
	backup, err := v.Backup(backupDir)
	if err != nil {
		return nil, "", err
	}
	st, _ := v.SyncState()
	if r != nil {
		if _, err := r.WipeVault(ctx, token); err != nil && apiCode(err) != api.CodeVaultNotFound {
			return nil, backup, err
		}
	}
	if err := v.Close(); err != nil {
		return nil, backup, err
	}
	if err := os.Remove(path); err != nil {
		return nil, backup, fmt.Errorf("removing the old vault (a backup is at %s): %w", backup, err)
	}
	nv, err := vault.Create(path, newPassword, opts)
	if err != nil {
		// Put the old vault back (the backup is a full copy), locked, so the caller
		// still holds an open vault and nothing is lost.
		if cerr := copyFile(backup, path); cerr == nil {
			if old, oerr := vault.Open(path); oerr == nil {
				return old, backup, err
			}
		}
		return nil, backup, err
	}
	if r == nil {
		return nv, backup, nil
	}
	st.Cursor, st.LatestSeen, st.Linked = 0, 0, false
	if err := nv.SetSyncState(st); err != nil {
		return nv, backup, err
	}
	if _, err := New(nv, r).Upload(ctx, newPassword); err != nil {
		return nv, backup, err
	}
	return nv, backup, nil
}

// KeepCloud is linking case c's "keep the cloud vault": the local vault is moved aside
// as a backup (still encrypted, restorable) and the cloud vault is downloaded in its
// place. The same serves a device whose cloud vault was replaced elsewhere.
func KeepCloud(ctx context.Context, v *vault.Vault, r Remote, cloudPassword []byte, backupDir, server, email string) (*vault.Vault, string, error) {
	path := v.Path()
	backup, err := v.Backup(backupDir)
	if err != nil {
		return nil, "", err
	}
	if err := v.Close(); err != nil {
		return nil, backup, err
	}
	tmp := path + ".download"
	os.Remove(tmp)
	nv, _, err := Download(ctx, r, tmp, cloudPassword, server, email)
	if err != nil {
		if nv != nil {
			err = errors.Join(err, nv.Close())
		}
		os.Remove(tmp)
		// Reopen the local vault as it was: nothing is lost.
		if old, oerr := vault.Open(path); oerr == nil {
			return old, backup, err
		}
		return nil, backup, err
	}
	dlPath := nv.Path()
	if err := nv.Close(); err != nil {
		return nil, backup, err
	}
	if err := os.Rename(dlPath, path); err != nil {
		return nil, backup, err
	}
	nv, err = vault.Open(path)
	if err != nil {
		return nil, backup, err
	}
	return nv, backup, nv.Unlock(cloudPassword)
}

// Merge is linking case c's "merge": every item of the local vault (unlocked) is added
// to the cloud vault — downloaded here with cloudPassword, so both are open — skipping
// exact duplicates; the local vault file is kept as a backup. Returns the merged vault.
func Merge(ctx context.Context, local *vault.Vault, r Remote, cloudPassword []byte, backupDir, server, email string) (*vault.Vault, string, int, error) {
	items, err := local.List(vault.Filter{})
	if err != nil {
		return nil, "", 0, err
	}
	copies := make([]*vault.Item, len(items))
	for i, it := range items {
		copies[i] = it.Clone()
		if err := withContent(local, copies[i]); err != nil {
			return nil, "", 0, err
		}
	}
	nv, backup, err := KeepCloud(ctx, local, r, cloudPassword, backupDir, server, email)
	if err != nil {
		return nv, backup, 0, err
	}
	existing, err := nv.List(vault.Filter{})
	if err != nil {
		return nv, backup, 0, err
	}
	seen := map[string]bool{}
	for _, it := range existing {
		seen[contentKey(it)] = true
	}
	var add []*vault.Item
	for _, it := range copies {
		if !seen[contentKey(it)] {
			add = append(add, it)
		}
	}
	if len(add) > 0 {
		if _, err := nv.AddAll(add); err != nil {
			return nv, backup, 0, err
		}
	}
	_, err = New(nv, r).SyncOnce(ctx)
	return nv, backup, len(add), err
}

// withContent gives the copy it of a local item its files' contents, read from local,
// so that the merged vault stores them anew under its own key (a stored file's chunks
// are sealed to the vault and item they belong to). A file whose content never reached
// this device cannot come along and is left out.
func withContent(local *vault.Vault, it *vault.Item) error {
	var files []vault.Attachment
	for _, a := range it.Attachments {
		r, err := local.OpenAttachment(it.ID, a.ID)
		if errors.Is(err, vault.ErrAttachmentNotHere) {
			continue
		}
		if err != nil {
			return fmt.Errorf("%q of %q: %w", a.Name, it.Title, err)
		}
		data, err := io.ReadAll(r)
		if err = errors.Join(err, r.Close()); err != nil {
			return fmt.Errorf("%q of %q: %w", a.Name, it.Title, err)
		}
		files = append(files, vault.NewAttachment(a.Name, a.MediaType, data, a.Added))
	}
	it.Attachments = files
	return nil
}

// contentKey identifies an item by what a person typed (not its ID, times or history).
func contentKey(it *vault.Item) string {
	c := *it.Clone()
	c.ID, c.Created, c.Modified, c.History = vault.ID{}, time.Time{}, time.Time{}, nil
	return fmt.Sprintf("%#v", c)
}

// copyFile copies src to a new file dst (0600) and syncs it.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	err = writeNewFile(dst, in)
	if cerr := in.Close(); err == nil {
		err = cerr
	}
	return err
}

// writeNewFile writes r to a new file at path (0600) and syncs it to disk.
func writeNewFile(path string, r io.Reader) error {
	out, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, r)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return err
}
