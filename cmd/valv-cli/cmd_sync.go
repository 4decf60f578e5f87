package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"time"

	"github.com/valvpm/valv/account"
	"github.com/valvpm/valv/internal/secret"
	cloudsync "github.com/valvpm/valv/sync"
	"github.com/valvpm/valv/vault"
)

func init() {
	var sf accountFlags
	var status, watch bool
	register(&command{
		name: "sync", args: "[--status] [--watch] [--json] [--server URL] [--password-stdin]", readsSecrets: true,
		summary: "pull and push the vault once through the Valv Account (downloads it on a new device)",
		flags: func(fs *flag.FlagSet, e *env) {
			sf.declareServer(fs)
			fs.BoolVar(&status, "status", false, "show the sync status without syncing (no password needed)")
			fs.BoolVar(&watch, "watch", false, "stay running: sync whenever the server tells of a change, one line per sync, until interrupted")
			e.jsonFlag(fs)
		},
		run: func(e *env, args []string) (err error) {
			if len(args) > 0 {
				return usagef("sync takes no arguments")
			}
			path, err := e.path()
			if err != nil {
				return err
			}
			if status {
				return e.syncStatus(path)
			}
			c, err := e.signedInClient(&sf)
			if err != nil {
				return err
			}
			ctx, cancel := accountContext()
			defer cancel()
			v, err := vault.Open(path)
			if errors.Is(err, vault.ErrNoVault) {
				// A new device: the download is its first sync, and --watch stays after it.
				v, err := e.download(ctx, c, path)
				if v != nil {
					defer func() { err = closeAlso(err, v) }()
				}
				if err != nil || !watch {
					return err
				}
				return e.watchSync(c, cloudsync.New(v, c))
			}
			if err != nil {
				return err
			}
			e.v = v
			defer func() { err = closeAlso(err, v) }()
			pw, err := e.readPassword("Master password: ")
			if err != nil {
				return err
			}
			defer secret.Wipe(pw)
			if err := v.Unlock(pw); err != nil {
				return err
			}
			eng := cloudsync.New(v, c)
			rep, err := eng.SyncOnce(ctx)
			if errors.Is(err, cloudsync.ErrNotLinked) {
				// This vault and an account with no cloud vault: upload (nothing to lose).
				fmt.Fprintf(e.stderr, "Uploading this vault to the Valv Account of %s…\n", c.Email())
				rep, err = eng.Upload(ctx, pw)
				if err == nil {
					st, _ := v.SyncState()
					st.Server, st.Account = c.BaseURL(), c.Email()
					err = v.SetSyncState(st)
				}
			}
			if err != nil {
				return syncErr(err)
			}
			frep, ferr := syncFiles(ctx, eng)
			if err := e.printSync(rep, frep, ferr); err != nil {
				return err
			}
			if ferr != nil {
				return ferr
			}
			if !watch {
				return nil
			}
			return e.watchSync(c, eng)
		},
	})
}

// download is sync on a new device: the account's vault comes down, opened with its
// master password. The vault is returned open (and unlocked) when it was created, also
// when the download stopped part way.
func (e *env) download(ctx context.Context, c *account.Client, path string) (*vault.Vault, error) {
	pw, err := e.readPassword("Master password of the account's vault: ")
	if err != nil {
		return nil, err
	}
	defer secret.Wipe(pw)
	v, rep, err := cloudsync.Download(ctx, c, path, pw, c.BaseURL(), c.Email())
	if err != nil {
		return v, syncErr(err)
	}
	frep, ferr := syncFiles(ctx, cloudsync.New(v, c))
	if e.jsonOut {
		err = e.printSync(rep, frep, ferr)
	} else {
		fmt.Fprintf(e.stdout, "Downloaded the vault of %s: %d items, %d file chunks.\n", c.Email(), rep.Applied.Added, frep.Downloaded)
	}
	if err == nil && ferr != nil {
		err = ferr
	}
	return v, err
}

// syncErr adds what to do to the engine's errors.
func syncErr(err error) error {
	switch {
	case errors.Is(err, cloudsync.ErrOtherVault):
		return fmt.Errorf("%w: choose with valv-cli link --merge, valv-cli link --keep-cloud or valv-cli replace-cloud", err)
	case errors.Is(err, cloudsync.ErrReplaced), errors.Is(err, cloudsync.ErrCloudWiped):
		return fmt.Errorf("%w: take the current vault with valv-cli link --keep-cloud (this one is kept as a backup)", err)
	}
	return err
}

func (e *env) syncStatus(path string) (err error) {
	v, err := vault.Open(path)
	if errors.Is(err, vault.ErrNoVault) {
		fmt.Fprintln(e.stdout, "There is no vault on this device yet: valv-cli sync downloads the account's vault, valv-cli init creates a new one.")
		return nil
	}
	if err != nil {
		return err
	}
	defer func() { err = closeAlso(err, v) }()
	st, err := v.SyncState()
	if err != nil {
		return err
	}
	n, _ := v.PendingCount()
	if e.jsonOut {
		return e.printJSON(map[string]any{"linked": st.Linked, "enabled": st.Enabled, "server": st.Server, "account": st.Account,
			"last_sync": st.LastSync, "pending_changes": n})
	}
	if !st.Linked {
		fmt.Fprintf(e.stdout, "Not synced: this vault is not linked to a Valv Account (%d local changes).\n", n)
		return nil
	}
	last := "never"
	if !st.LastSync.IsZero() {
		last = st.LastSync.Local().Format(time.DateTime)
	}
	fmt.Fprintf(e.stdout, "Linked to:  %s at %s\nSync:       %s\nLast sync:  %s\nUnsynced:   %d change(s)\n",
		st.Account, st.Server, map[bool]string{true: "on", false: "off"}[st.Enabled], last, n)
	return nil
}
