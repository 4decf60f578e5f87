package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/valvpm/valv/account"
	"github.com/valvpm/valv/cloud/api"
	cloudsync "github.com/valvpm/valv/sync"
	"github.com/valvpm/valv/vault"
)

// The dangerous actions (PRODUCT.md §4) from the terminal. Each writes an encrypted
// backup of the vault first (its path is printed) and is confirmed the way the product
// says: an e-mailed code when the vault syncs with a Valv Account; the account password
// (+ SMS code) when sync is off; the master password when no account is linked. With
// --password-stdin the answers are the following lines of standard input, in the
// order the prompts would appear.

// confirmByEmail requests the e-mailed code for action and trades it for a token.
func (e *env) confirmByEmail(ctx context.Context, c *account.Client, action api.Action) (string, error) {
	r, err := c.RequestActionCode(ctx, action)
	if err != nil {
		return "", err
	}
	fmt.Fprintf(e.stderr, "A confirmation code was e-mailed to %s; it is valid for 10 minutes.\n", r.SentTo)
	code, err := e.readLine("Code from the e-mail: ")
	if err != nil {
		return "", err
	}
	return c.ActionToken(ctx, action, code)
}

// confirmByAccountPassword is "Enter your Valv Account password" (+ the SMS code).
func (e *env) confirmByAccountPassword(ctx context.Context, c *account.Client, action api.Action) (string, error) {
	pw, err := e.readPassword("Valv Account password: ")
	if err != nil {
		return "", err
	}
	r, err := c.Reauth(ctx, api.ReauthRequest{Action: action, Password: string(pw)})
	wipe(pw)
	if errors.Is(err, account.ErrPasswordNotSet) || errors.Is(err, account.ErrWrongPassword) && !e.accountHasPassword(ctx, c) {
		return "", fmt.Errorf("the password is incorrect: this account signs in with Google, Facebook, Apple, Yandex or VK and has no Valv Account password yet. "+
			"Set one with \"Forgot your password?\" (%s) or on the Valv Account website: sign in there with the same provider, choose a region and accept the terms if asked, click Choose password and save; then enter that password here", c.URL("/portal/forgot"))
	}
	if err != nil {
		return "", err
	}
	if r.SMS != nil {
		fmt.Fprintf(e.stderr, "A code was sent by SMS to %s.\n", r.SMS.PhoneHint)
		code, err := e.readLine("SMS code: ")
		if err != nil {
			return "", err
		}
		if r, err = c.Reauth(ctx, api.ReauthRequest{Action: action, ChallengeID: r.SMS.ChallengeID, SMSCode: code}); err != nil {
			return "", err
		}
	}
	return r.ActionToken, nil
}

func (e *env) accountHasPassword(ctx context.Context, c *account.Client) bool {
	a, err := c.Account(ctx)
	return err != nil || a.HasPassword
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

func backupDir() (string, error) { return vault.BackupDir() }

func init() {
	var cf accountFlags
	var yes, syncOff bool
	register(&command{
		name: "clear", args: "[--yes] [--password-stdin]", summary: "delete every item of the vault (a backup is written first)",
		needsVault: true, unlockFirst: true,
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
			dir, err := backupDir()
			if err != nil {
				return err
			}
			var backup string
			switch {
			case c == nil:
				// No account: the master password just typed is the confirmation.
				if !yes && !e.passwordStdin && !e.confirm("Delete every item of this vault?") {
					return errors.New("nothing deleted")
				}
				backup, err = cloudsync.ClearVault(ctx, e.v, nil, "", nil, dir)
			case syncOn && !syncOff:
				tok, terr := e.confirmByEmail(ctx, c, api.ActionClearVault)
				if terr != nil {
					return terr
				}
				backup, err = cloudsync.ClearVault(ctx, e.v, c, tok, e.masterPW, dir)
			default:
				if _, terr := e.confirmByAccountPassword(ctx, c, api.ActionClearVault); terr != nil {
					return terr
				}
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
		needsVault: true, unlockFirst: true,
		flags: func(fs *flag.FlagSet, e *env) { rf.declareServer(fs) },
		run: func(e *env, args []string) error {
			ctx, cancel := accountContext()
			defer cancel()
			c, err := e.accountClient(&rf)
			if err != nil {
				return err
			}
			if !c.SignedIn() {
				return account.ErrNotSignedIn
			}
			tok, err := e.confirmByEmail(ctx, c, api.ActionReplaceCloudVault)
			if err != nil {
				return err
			}
			if err := cloudsync.ReplaceCloud(ctx, e.v, c, tok, e.masterPW); err != nil {
				return syncErr(err)
			}
			st, _ := e.v.SyncState()
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
		run: func(e *env, args []string) error {
			p, err := e.path()
			if err != nil {
				return err
			}
			v, err := vault.Open(p)
			if err != nil {
				return err
			}
			e.v = v
			ctx, cancel := accountContext()
			defer cancel()
			c, _, err := e.linkedClient(&mf)
			if err != nil {
				v.Close()
				return err
			}
			tok := ""
			if c != nil {
				if tok, err = e.confirmByEmail(ctx, c, api.ActionResetMasterPassword); err != nil {
					v.Close()
					return err
				}
			} else if !e.passwordStdin && !e.confirm("Delete every item of this vault and start a new one?") {
				v.Close()
				return errors.New("nothing deleted")
			}
			pw, err := e.newPassword()
			if err != nil {
				v.Close()
				return err
			}
			defer wipe(pw)
			dir, err := backupDir()
			if err != nil {
				v.Close()
				return err
			}
			var remote cloudsync.ActionRemote
			if c != nil {
				remote = c
			}
			nv, backup, err := cloudsync.ResetMasterPassword(ctx, v, remote, tok, pw, dir, vault.CreateOptions{})
			if backup != "" {
				fmt.Fprintf(e.stderr, "The old vault is kept, encrypted with the old master password, at %s.\n", backup)
			}
			if nv != nil {
				defer nv.Close()
			}
			if err != nil {
				return err
			}
			fmt.Fprintln(e.stdout, "A new, empty vault with the new master password is ready.")
			return nil
		},
	})
}
