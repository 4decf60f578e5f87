package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/valvpm/valv/account"
	"github.com/valvpm/valv/cloud/api"
	"github.com/valvpm/valv/internal/secret"
	cloudsync "github.com/valvpm/valv/sync"
	"github.com/valvpm/valv/vault"
)

// The dangerous actions (PRODUCT.md §4) from the terminal. Each writes an encrypted
// backup of the vault first (its path is printed) and is confirmed the way the product
// says: an e-mailed code when the vault syncs with a Valv Account; the account password
// (+ SMS code) when sync is off; the master password when no account is linked. With
// --password-stdin the answers are the following lines of standard input, in the
// order the prompts would appear.

// confirmAction asks the person at the terminal what the Confirmation of action asks for,
// step by step, and returns it confirmed (Token set when the method earns one).
// linked and syncOn describe the vault; c is the signed-in client (nil for a vault with
// no account).
func (e *env) confirmAction(ctx context.Context, c *account.Client, action api.Action, linked, syncOn bool) (account.ConfirmState, error) {
	f, err := account.NewConfirmation(c, action, linked, syncOn)
	if err != nil {
		return account.ConfirmState{}, err
	}
	st := f.State()
	for err == nil && st.Step != account.ConfirmDone {
		st, err = e.confirmStep(ctx, f, st)
	}
	return st, err
}

// confirmStep answers the step st stands at.
func (e *env) confirmStep(ctx context.Context, f *account.Confirmation, st account.ConfirmState) (account.ConfirmState, error) {
	switch st.Step {
	case account.ConfirmEmailCode:
		if st.SentTo == "" {
			st, err := f.RequestCode(ctx)
			if err == nil {
				fmt.Fprintf(e.stderr, "A confirmation code was e-mailed to %s; it is valid for 10 minutes.\n", st.SentTo)
			}
			return st, err
		}
		code, err := e.readLine("Code from the e-mail: ")
		if err != nil {
			return st, err
		}
		return f.SubmitCode(ctx, code)
	case account.ConfirmAccountPassword:
		pw, err := e.readPassword("Valv Account password: ")
		if err != nil {
			return st, err
		}
		st, err = f.SubmitPassword(ctx, string(pw))
		secret.Wipe(pw)
		if st.Step == account.ConfirmProviderOnly {
			return st, fmt.Errorf("the password is incorrect: this account signs in with Google, Facebook, Apple, Yandex or VK and has no Valv Account password yet. "+
				"Set one with \"Forgot your password?\" (%s) or on the Valv Account website: sign in there with the same provider, choose a region and accept the terms if asked, click Choose password and save; then enter that password here", st.ForgotURL)
		}
		if err == nil && st.Step == account.ConfirmSMSCode {
			fmt.Fprintf(e.stderr, "A code was sent by SMS to %s.\n", st.SMS.PhoneHint)
		}
		return st, err
	case account.ConfirmSMSCode:
		code, err := e.readLine("SMS code: ")
		if err != nil {
			return st, err
		}
		return f.SubmitSMS(ctx, code)
	}
	return st, fmt.Errorf("cannot confirm at step %s", st.Step)
}

// linkedClient returns the signed-in client when the open vault syncs with an account.
func (e *env) linkedClient(af *accountFlags) (c *account.Client, syncOn bool, err error) {
	st, err := e.v.SyncState()
	if err != nil || !st.Linked {
		return nil, false, err
	}
	if af.server == "" {
		af.server = st.Server
	}
	c, err = e.accountClient(af)
	if err != nil {
		return nil, false, err
	}
	if !c.SignedIn() {
		return nil, false, fmt.Errorf("%w: this vault is linked to %s; sign in first (valv-cli login --email %s)", account.ErrNotSignedIn, st.Account, st.Account)
	}
	return c, st.Enabled, nil
}

// backupDir is the backups folder beside the vault the command works on.
func (e *env) backupDir() (string, error) {
	p, err := e.path()
	if err != nil {
		return "", err
	}
	return vault.BackupDirFor(p), nil
}

func init() {
	var cf accountFlags
	var yes, syncOff bool
	register(&command{
		name: "clear", args: "[--yes] [--password-stdin]", summary: "delete every item of the vault (a backup is written first)",
		needsVault: true, unlockFirst: true, keepsMaster: true,
		flags: func(fs *flag.FlagSet, e *env) {
			cf.declareServer(fs)
			fs.BoolVar(&yes, "yes", false, "do not ask again on a terminal (a vault with no account)")
			fs.BoolVar(&syncOff, "local-only", false, "sync is off: clear only this device, confirmed with the account password")
		},
		run: func(e *env, args []string) error {
			ctx, cancel := accountContext()
			defer cancel()
			c, syncOn, err := e.linkedClient(&cf)
			if err != nil {
				return err
			}
			st, err := e.confirmAction(ctx, c, api.ActionClearVault, c != nil, syncOn && !syncOff)
			if err != nil {
				return err
			}
			// No account: the master password just typed is the confirmation.
			if st.Method == account.ByMasterPassword && !yes && !e.passwordStdin && !e.confirm("Delete every item of this vault?") {
				return errors.New("nothing deleted")
			}
			dir, err := e.backupDir()
			if err != nil {
				return err
			}
			var backup string
			if st.Method.ActsOnCloud() {
				backup, err = cloudsync.ClearVault(ctx, e.v, c, st.Token, e.masterPW, dir)
			} else {
				backup, err = cloudsync.ClearVault(ctx, e.v, nil, "", nil, dir)
			}
			if backup != "" {
				fmt.Fprintf(e.stderr, "A backup of the vault as it was is at %s.\n", backup)
			}
			if err != nil {
				return err
			}
			fmt.Fprintln(e.stdout, "The vault is now empty.")
			return nil
		},
	})

	var rf accountFlags
	register(&command{
		name: "replace-cloud", args: "[--password-stdin]", summary: "replace the account's cloud vault with this one (confirmed by an e-mailed code)",
		needsVault: true, unlockFirst: true, keepsMaster: true,
		flags: func(fs *flag.FlagSet, e *env) { rf.declareServer(fs) },
		run: func(e *env, args []string) error {
			ctx, cancel := accountContext()
			defer cancel()
			c, err := e.accountClient(&rf)
			if err != nil {
				return err
			}
			cst, err := e.confirmAction(ctx, c, api.ActionReplaceCloudVault, false, false)
			if err != nil {
				return err
			}
			dir, err := e.backupDir()
			if err != nil {
				return err
			}
			backup, err := cloudsync.ReplaceCloud(ctx, e.v, c, cst.Token, e.masterPW, dir)
			if backup != "" {
				fmt.Fprintf(e.stderr, "A backup of the cloud vault as it was is at %s; it opens with that vault's master password.\n", backup)
			}
			if err != nil {
				return syncErr(err)
			}
			st, err := e.v.SyncState()
			if err != nil {
				return err
			}
			st.Server, st.Account = c.BaseURL(), c.Email()
			if err := e.v.SetSyncState(st); err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "The cloud vault of %s is now this vault; other devices will take it at their next sync.\n", c.Email())
			return nil
		},
	})

	var mf accountFlags
	register(&command{
		name: "reset-master-password", args: "[--password-stdin]", readsSecrets: true,
		summary: "forgot the master password: delete the vault everywhere and start a new one (a backup is kept)",
		flags:   func(fs *flag.FlagSet, e *env) { mf.declareServer(fs) },
		run: func(e *env, args []string) (err error) {
			if err := e.openVault(false); err != nil {
				return err
			}
			// The reset closes the vault itself once it has a backup; until then, and
			// when it put the old vault back, this closes it.
			v := e.v
			defer func() { err = closeAlso(err, v) }()
			return e.resetMasterPassword(&mf, v)
		},
	})
}

// resetMasterPassword confirms the reset of v and performs it.
func (e *env) resetMasterPassword(af *accountFlags, v *vault.Vault) (err error) {
	ctx, cancel := accountContext()
	defer cancel()
	c, _, err := e.linkedClient(af)
	if err != nil {
		return err
	}
	st, err := e.confirmAction(ctx, c, api.ActionResetMasterPassword, c != nil, true)
	if err != nil {
		return err
	}
	if st.Method == account.ByConsent && !e.passwordStdin && !e.confirm("Delete every item of this vault and start a new one?") {
		return errors.New("nothing deleted")
	}
	pw, err := e.newPassword()
	if err != nil {
		return err
	}
	defer secret.Wipe(pw)
	dir, err := e.backupDir()
	if err != nil {
		return err
	}
	var remote cloudsync.ActionRemote
	if st.Method.ActsOnCloud() {
		remote = c
	}
	nv, backup, err := cloudsync.ResetMasterPassword(ctx, v, remote, st.Token, pw, dir, vault.CreateOptions{})
	if backup != "" {
		fmt.Fprintf(e.stderr, "The old vault is kept, encrypted with the old master password, at %s.\n", backup)
	}
	if nv != nil && nv != v {
		defer func() { err = closeAlso(err, nv) }()
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, "A new, empty vault with the new master password is ready.")
	return nil
}
