package main

import (
	"errors"
	"flag"
	"fmt"

	"github.com/valvpm/valv/internal/secret"
	cloudsync "github.com/valvpm/valv/sync"
	"github.com/valvpm/valv/vault"
)

func init() {
	var lf accountFlags
	var merge, keepCloud bool
	register(&command{
		name: "link", args: "--merge | --keep-cloud [--password-stdin]", readsSecrets: true,
		summary: "this vault and the account's cloud vault differ: merge them, or keep the cloud's",
		flags: func(fs *flag.FlagSet, e *env) {
			lf.declareServer(fs)
			fs.BoolVar(&merge, "merge", false, "add this vault's items to the cloud vault and use it (asks this vault's master password, then the cloud vault's)")
			fs.BoolVar(&keepCloud, "keep-cloud", false, "use the cloud vault; this one is kept as an encrypted backup (asks the cloud vault's master password)")
		},
		check: func(e *env, args []string) error {
			if len(args) > 0 || merge == keepCloud {
				return usagef("link needs exactly one of --merge or --keep-cloud (to replace the cloud vault instead: valv-cli replace-cloud)")
			}
			return nil
		},
		run: func(e *env, args []string) (err error) {
			c, err := e.signedInClient(&lf)
			if err != nil {
				return err
			}
			if err := e.openVault(false); err != nil {
				return err
			}
			// Merge and KeepCloud close v themselves once it is backed up; before that,
			// and if they fail early, this closes it.
			v := e.v
			defer func() { err = closeAlso(err, v) }()
			ctx, cancel := accountContext()
			defer cancel()
			if merge {
				local, err := e.readPassword("Master password of this vault: ")
				if err == nil {
					err = v.Unlock(local)
					secret.Wipe(local)
				}
				if err != nil {
					return err
				}
			}
			cloudPW, err := e.readPassword("Master password of the account's cloud vault: ")
			if err != nil {
				return err
			}
			defer secret.Wipe(cloudPW)
			// Check first: a typo must not close the local vault half way.
			if err := cloudsync.CheckCloudPassword(ctx, c, cloudPW); err != nil {
				if errors.Is(err, vault.ErrWrongPassword) {
					return errors.New("the master password of the cloud vault is incorrect")
				}
				return err
			}
			dir, err := e.backupDir()
			if err != nil {
				return err
			}
			var nv *vault.Vault
			var backup string
			added := 0
			if merge {
				nv, backup, added, err = cloudsync.Merge(ctx, v, c, cloudPW, dir, c.BaseURL(), c.Email())
			} else {
				nv, backup, err = cloudsync.KeepCloud(ctx, v, c, cloudPW, dir, c.BaseURL(), c.Email())
			}
			if nv != nil {
				defer func() { err = closeAlso(err, nv) }()
			}
			if backup != "" {
				fmt.Fprintf(e.stderr, "This computer's vault as it was is kept at %s (it opens with its own master password).\n", backup)
			}
			if err != nil {
				return syncErr(err)
			}
			if merge {
				fmt.Fprintf(e.stdout, "Merged: %d items added to the cloud vault, which this computer now uses (with the cloud vault's master password).\n", added)
			} else {
				fmt.Fprintln(e.stdout, "This computer now uses the account's cloud vault (with its master password).")
			}
			return nil
		},
	})
}
