package appcore

import (
	"context"
	"errors"

	"github.com/valvpm/valv/account"
	"github.com/valvpm/valv/cloud/api"
	cloudsync "github.com/valvpm/valv/sync"
	"github.com/valvpm/valv/vault"
)

// The dangerous actions of PRODUCT.md §4: reset the master password, replace the cloud
// vault with this one, clear the vault. Each is confirmed the way the product says — an
// e-mailed code when the vault syncs with a Valv Account; the account password (+ SMS
// code) when sync is off; the master password when no account is linked — and each
// writes an encrypted backup first, whose path the result names (the product has no
// undo; the backup is ours).

// DangerKind is one of the dangerous actions.
type DangerKind int

// The dangerous actions.
const (
	DangerReset   DangerKind = iota // forgotten master password: a new, empty vault everywhere
	DangerReplace                   // the cloud vault becomes this one
	DangerClear                     // every item deleted
)

// ConfirmMode is how an action is confirmed.
type ConfirmMode int

// The ways an action is confirmed.
const (
	ByEmail           ConfirmMode = iota // a code e-mailed to the account
	ByAccountPassword                    // the account password (+ SMS code): sync is off
	ByMasterPassword                     // no account: this vault's master password
	ByConsent                            // no account and no password to give: reset only
)

// Action is the server's name of the action a token is for.
func (k DangerKind) Action() api.Action {
	switch k {
	case DangerReset:
		return api.ActionResetMasterPassword
	case DangerReplace:
		return api.ActionReplaceCloudVault
	}
	return api.ActionClearVault
}

// Key is the kind's part of its translation keys.
func (k DangerKind) Key() string {
	switch k {
	case DangerReset:
		return "reset"
	case DangerReplace:
		return "replace"
	}
	return "clear"
}

// syncStateAny reads the vault's sync state, locked or not (a forgotten master password
// must still know whether the vault is linked).
func (c *Controller) syncStateAny() (vault.SyncState, bool) {
	v := c.vault()
	if v == nil {
		return vault.SyncState{}, false
	}
	st, err := v.SyncState()
	return st, err == nil
}

// ConfirmModeFor decides how kind is confirmed here, and with which client; an error
// says why it cannot be done now (linked, but not signed in).
func (c *Controller) ConfirmModeFor(kind DangerKind) (ConfirmMode, *account.Client, error) {
	st, _ := c.syncStateAny()
	cl := c.SignedInClient()
	switch {
	case kind == DangerReplace && cl == nil:
		return 0, nil, account.ErrNotSignedIn
	case kind == DangerReplace:
		return ByEmail, cl, nil
	case st.Linked && cl == nil:
		// The cloud holds this vault too; acting on it needs the account.
		return 0, nil, account.ErrNotSignedIn
	case st.Linked && (st.Enabled || kind == DangerReset):
		return ByEmail, cl, nil
	case st.Linked:
		return ByAccountPassword, cl, nil
	case kind == DangerReset:
		return ByConsent, nil, nil
	}
	return ByMasterPassword, nil, nil
}

// DangerResult is what an action did, for its result message.
type DangerResult struct {
	Backup string
	NV     *vault.Vault // reset: the new vault
}

// RunDanger performs kind once confirmed (token from the code or the account password;
// master is this vault's master password where the action re-protects the key, newPW
// the new one of a reset). It runs in the background; sync is stopped meanwhile so the
// runner does not push into a vault being cleared.
func (c *Controller) RunDanger(ctx context.Context, kind DangerKind, mode ConfirmMode, cl *account.Client, token string, master, newPW []byte) (DangerResult, error) {
	var r cloudsync.ActionRemote
	if mode == ByEmail {
		r = cl // only the e-mailed code's token acts on the cloud; nil otherwise
	}
	dir, err := vault.BackupDir()
	if err != nil {
		return DangerResult{}, err
	}
	v := c.vault()
	if v == nil {
		return DangerResult{}, vault.ErrNoVault
	}
	var res DangerResult
	switch kind {
	case DangerReset:
		res.NV, res.Backup, err = cloudsync.ResetMasterPassword(ctx, v, r, token, newPW, dir, c.kdf)
		if err == nil && r != nil {
			err = RememberAccount(res.NV, cl)
		}
	case DangerReplace:
		if err = cloudsync.ReplaceCloud(ctx, v, r, token, master); err == nil {
			err = RememberAccount(v, cl)
		}
	case DangerClear:
		res.Backup, err = cloudsync.ClearVault(ctx, v, r, token, master, dir)
	}
	return res, err
}

// ConfirmOutcome is what a confirmation and the action gave.
type ConfirmOutcome struct {
	Token        string
	SMS          *api.SMSChallenge // the account password was right; the SMS code is next
	ProviderOnly bool              // the account has no password to give
	Res          DangerResult
	Err          error
}

// ConfirmAction turns what the person typed into the action's token (ByEmail,
// ByAccountPassword) or checks the master password (ByMasterPassword). It runs in the
// background.
func (c *Controller) ConfirmAction(ctx context.Context, kind DangerKind, mode ConfirmMode, cl *account.Client, token, code string, accountPW []byte, challenge, smsCode string, master []byte) ConfirmOutcome {
	out := ConfirmOutcome{Token: token}
	switch {
	case mode == ByEmail && token == "":
		out.Token, out.Err = cl.ActionToken(ctx, kind.Action(), code)
	case mode == ByAccountPassword && challenge != "":
		var r *api.ActionTokenResponse
		if r, out.Err = cl.Reauth(ctx, api.ReauthRequest{Action: kind.Action(), ChallengeID: challenge, SMSCode: smsCode}); out.Err == nil {
			out.Token = r.ActionToken
		}
	case mode == ByAccountPassword:
		r, err := cl.Reauth(ctx, api.ReauthRequest{Action: kind.Action(), Password: string(accountPW)})
		switch {
		case errors.Is(err, account.ErrPasswordNotSet):
			out.ProviderOnly, out.Err = true, err
		case errors.Is(err, account.ErrWrongPassword):
			// A provider-only account gets "The password is incorrect" too (PRODUCT.md
			// §4): ask the account which it is, so the person learns why.
			if a, aerr := cl.Account(ctx); aerr == nil && !a.HasPassword {
				out.ProviderOnly = true
			}
			out.Err = err
		case err != nil:
			out.Err = err
		case r.SMS != nil:
			out.SMS = r.SMS
		default:
			out.Token = r.ActionToken
		}
	}
	if out.Err != nil || out.SMS != nil || master == nil {
		return out
	}
	v := c.vault()
	if v == nil {
		out.Err = vault.ErrNoVault
		return out
	}
	// Checked before anything is deleted: clearing the cloud uploads the empty vault
	// again with it, and a typo there would leave the cloud empty.
	out.Err = v.CheckPassword(master)
	return out
}
