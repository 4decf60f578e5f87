package appcore

import (
	"context"
	"errors"
	"time"

	"github.com/valvpm/valv/account"
	"github.com/valvpm/valv/internal/secret"
	cloudsync "github.com/valvpm/valv/sync"
	"github.com/valvpm/valv/vault"
)

// Linking a vault to the account's cloud vault (PRODUCT.md §3): upload to an empty
// cloud, download the account's vault to a device with none, and when both have one,
// merge into the cloud vault or keep it. Each runs through SyncWork, off the UI
// goroutine; each takes a password it wipes afterwards.

// linkRetry is how long a vault unlocked while offline waits before linking again (the
// runner has its own backoff once linked).
const linkRetry = time.Minute

// Link links the unlocked vault to the signed-in account: SyncOnce first (nothing to do
// if it is already the cloud's vault), else Upload to an empty cloud. password is
// needed only when the account had a vault before; without it Link reports
// ErrNeedMasterPassword. cloudsync.ErrOtherVault is reported for the person to choose.
func (c *Controller) Link(password []byte, done func(error)) {
	v, _ := c.Unlocked()
	cl := c.SignedInClient()
	if v == nil || cl == nil {
		secret.Wipe(password)
		done(account.ErrNotSignedIn)
		return
	}
	c.setSyncStatus(c.syncGen(), func(s *cloudsync.Status) { s.State, s.Err = cloudsync.StateSyncing, nil })
	c.SyncWork(func(ctx context.Context) error {
		defer secret.Wipe(password)
		e := cloudsync.New(v, cl)
		_, err := e.SyncOnce(ctx)
		if errors.Is(err, cloudsync.ErrNotLinked) {
			_, err = e.Upload(ctx, password)
			if errors.Is(err, vault.ErrWrongPassword) && len(password) == 0 {
				err = ErrNeedMasterPassword
			}
		}
		if err != nil {
			return err
		}
		return RememberAccount(v, cl)
	}, func(err error) {
		switch {
		case err == nil:
			c.runSync(v, cl)
		case IsOffline(err):
			c.syncFailed(err)
			c.retryLink()
		default:
			c.syncFailed(err)
		}
		done(err)
	})
}

// retryLink tries linking again after linkRetry, unless sync was stopped or started
// meanwhile (a lock, sign-out or Sync now).
func (c *Controller) retryLink() {
	gen := c.syncGen()
	c.clock.AfterFunc(linkRetry, func() {
		c.run.OnUI(func() {
			c.cloud.mu.Lock()
			same := c.cloud.gen == gen && c.cloud.runner == nil
			c.cloud.mu.Unlock()
			if same {
				c.StartSync()
			}
		})
	})
}

// AfterConnect continues after signing in: an unlocked vault links now (upload to an
// empty cloud, or ask when the cloud has another); with no vault on this device,
// offerDownload is called when the account has one in the cloud — once per run, since
// declining means a new vault here. A locked vault links when it is unlocked.
func (c *Controller) AfterConnect(offerDownload func()) {
	switch c.Stage() {
	case StageUnlocked:
		c.StartSync()
	case StageNoVault:
		c.mu.Lock()
		offered := c.downloadOffered
		c.downloadOffered = true
		c.mu.Unlock()
		if offered {
			return
		}
		c.CloudVaultExists(func(exists bool, err error) {
			if err == nil && exists {
				offerDownload()
			}
		})
	}
}

// RememberAccount notes which account and server the vault syncs with, for the status
// line and for noticing a different account later.
func RememberAccount(v *vault.Vault, cl *account.Client) error {
	st, err := v.SyncState()
	if err != nil {
		return err
	}
	st.Server, st.Account = cl.BaseURL(), cl.Email()
	return v.SetSyncState(st)
}

// SwapVault puts nv in place of the vault a sync action closed (the cloud's vault was
// downloaded, merged into, or reset) and starts syncing it.
func (c *Controller) SwapVault(nv *vault.Vault) {
	c.mu.Lock()
	if c.cancel != nil {
		c.cancel()
		c.cancel = nil
	}
	c.v, c.openErr = nv, nil
	c.subscribe()
	c.mu.Unlock()
	if nv != nil && !nv.Locked() {
		c.afterUnlock()
	}
}

// CloudVaultExists reports, in the background, whether the signed-in account has a
// vault in the cloud (after sign-in on a device with no vault: download or create?).
func (c *Controller) CloudVaultExists(done func(bool, error)) {
	cl := c.SignedInClient()
	if cl == nil {
		done(false, account.ErrNotSignedIn)
		return
	}
	var exists bool
	var err error
	c.Background(func(ctx context.Context) {
		exists, err = cloudsync.CloudVaultExists(ctx, cl)
	}, func() { done(exists, err) })
}

// DownloadVault is for a device with no vault: the account's comes down and is
// unlocked with its master password (wiped afterwards).
func (c *Controller) DownloadVault(password []byte, done func(error)) {
	cl := c.SignedInClient()
	if cl == nil {
		secret.Wipe(password)
		done(account.ErrNotSignedIn)
		return
	}
	var nv *vault.Vault
	c.SyncWork(func(ctx context.Context) error {
		defer secret.Wipe(password)
		var err error
		// A vault that came down part way is kept: the next sync completes it.
		nv, _, err = cloudsync.Download(ctx, cl, c.path, password, cl.BaseURL(), cl.Email())
		if nv != nil && !IsOffline(err) {
			return nil
		}
		return err
	}, func(err error) {
		if nv != nil {
			c.SwapVault(nv)
		}
		done(err)
	})
}

// KeepCloud is "keep the cloud vault" when both have one, and the way on after the
// cloud vault was replaced or reset elsewhere: this vault becomes a backup, the cloud's
// comes down. done gets the backup's path.
func (c *Controller) KeepCloud(cloudPassword []byte, done func(backup string, err error)) {
	c.resolve(cloudPassword, func(ctx context.Context, v *vault.Vault, cl *account.Client, dir string) (*vault.Vault, string, error) {
		return cloudsync.KeepCloud(ctx, v, cl, cloudPassword, dir, cl.BaseURL(), cl.Email())
	}, done)
}

// Merge is "merge" when both have a vault: this vault's items go into the cloud vault,
// this vault is kept as a backup. done gets the backup's path and how many items were
// added.
func (c *Controller) Merge(cloudPassword []byte, done func(backup string, added int, err error)) {
	var added int
	c.resolve(cloudPassword, func(ctx context.Context, v *vault.Vault, cl *account.Client, dir string) (*vault.Vault, string, error) {
		nv, backup, n, err := cloudsync.Merge(ctx, v, cl, cloudPassword, dir, cl.BaseURL(), cl.Email())
		added = n
		return nv, backup, err
	}, func(backup string, err error) { done(backup, added, err) })
}

// resolve runs KeepCloud or Merge: the cloud password is checked first, so a typo
// changes nothing; the vault that comes back takes the old one's place.
func (c *Controller) resolve(cloudPassword []byte, act func(ctx context.Context, v *vault.Vault, cl *account.Client, dir string) (*vault.Vault, string, error), done func(string, error)) {
	v, _ := c.Unlocked()
	cl := c.SignedInClient()
	if v == nil || cl == nil {
		secret.Wipe(cloudPassword)
		done("", account.ErrNotSignedIn)
		return
	}
	c.StopSync()
	var nv *vault.Vault
	var backup string
	c.SyncWork(func(ctx context.Context) error {
		defer secret.Wipe(cloudPassword)
		if err := cloudsync.CheckCloudPassword(ctx, cl, cloudPassword); err != nil {
			return err
		}
		dir, err := vault.BackupDir()
		if err != nil {
			return err
		}
		nv, backup, err = act(ctx, v, cl, dir)
		return err
	}, func(err error) {
		if nv != nil {
			c.SwapVault(nv)
		} else if err != nil {
			c.StartSync() // nothing changed: the status line shows the problem again
		}
		done(backup, err)
	})
}

// AdoptPassword takes the master password changed on another device (wiped after).
func (c *Controller) AdoptPassword(password []byte, done func(error)) {
	v, _ := c.Unlocked()
	cl := c.SignedInClient()
	if v == nil || cl == nil {
		secret.Wipe(password)
		done(account.ErrNotSignedIn)
		return
	}
	c.SyncWork(func(ctx context.Context) error {
		defer secret.Wipe(password)
		return cloudsync.New(v, cl).AdoptPassword(ctx, password)
	}, func(err error) {
		if err == nil {
			c.StartSync()
		}
		done(err)
	})
}
