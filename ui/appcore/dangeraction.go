package appcore

import (
	"context"

	"github.com/valvpm/valv/account"
	cloudsync "github.com/valvpm/valv/sync"
	"github.com/valvpm/valv/vault"
)

// dangerResult is what a dangerous action did.
type dangerResult struct {
	backup string       // the copy of the vault as it was
	nv     *vault.Vault // reset: the new vault, open
}

// runDanger performs kind once confirmed (token from the code or the account password;
// master is this vault's master password where the action re-protects the key, newPW
// the new one of a reset). It runs in the background, with sync stopped so the runner
// does not push into a vault being cleared.
func (c *Controller) runDanger(ctx context.Context, kind DangerKind, method account.ConfirmMethod, cl *account.Client, token string, master, newPW []byte) (dangerResult, error) {
	var r cloudsync.ActionRemote
	if method.ActsOnCloud() {
		r = cl // only the e-mailed code's token acts on the cloud; nil otherwise
	}
	dir, err := vault.BackupDir()
	if err != nil {
		return dangerResult{}, err
	}
	v := c.vault()
	if v == nil {
		return dangerResult{}, vault.ErrNoVault
	}
	var res dangerResult
	switch kind {
	case DangerReset:
		res.nv, res.backup, err = cloudsync.ResetMasterPassword(ctx, v, r, token, newPW, dir, c.kdf)
		if err == nil && r != nil {
			err = RememberAccount(res.nv, cl)
		}
	case DangerReplace:
		if res.backup, err = cloudsync.ReplaceCloud(ctx, v, r, token, master, dir); err == nil {
			err = RememberAccount(v, cl)
		}
	case DangerClear:
		res.backup, err = cloudsync.ClearVault(ctx, v, r, token, master, dir)
	}
	return res, err
}
