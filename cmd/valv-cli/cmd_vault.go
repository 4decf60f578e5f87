package main

import (
	"errors"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/valvpm/valv/internal/secret"
	"github.com/valvpm/valv/vault"
)

func init() {
	var kdfTarget time.Duration
	register(&command{
		name: "init", args: "[--kdf-target DURATION] [--password-stdin]", readsSecrets: true,
		summary: "create a new vault protected by a master password",
		flags: func(fs *flag.FlagSet, e *env) {
			fs.DurationVar(&kdfTarget, "kdf-target", vault.DefaultKDFTarget, "how long unlocking should take on this computer (the security floor still applies)")
		},
		run: func(e *env, args []string) error {
			if len(args) > 0 {
				return usagef("init takes no arguments")
			}
			p, err := e.path()
			if err != nil {
				return err
			}
			pw, err := e.newPassword()
			if err != nil {
				return err
			}
			defer secret.Wipe(pw)
			opts := vault.CreateOptions{KDFTarget: kdfTarget}
			if kdfTarget <= 0 {
				floor := vault.FloorKDF()
				opts.KDF = &floor
			}
			v, err := vault.Create(p, pw, opts)
			if errors.Is(err, vault.ErrExists) {
				return fmt.Errorf("a vault already exists at %s", p)
			}
			if err != nil {
				return err
			}
			h := v.Header()
			if err := v.Close(); err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "Created vault %s at %s (%s).\n", h.VaultID, p, h.KDF)
			return nil
		},
	})

	register(&command{
		name: "info", args: "[--json]", summary: "show the vault's file, ID and key settings (no password needed)",
		needsVault: true,
		flags:      func(fs *flag.FlagSet, e *env) { e.jsonFlag(fs) },
		run: func(e *env, args []string) error {
			h := e.v.Header()
			st, err := e.v.Stats()
			if err != nil {
				return err
			}
			if e.jsonOut {
				return e.printJSON(map[string]any{
					"path": e.v.Path(), "vault_id": h.VaultID.String(), "format": vault.FormatVersion, "key_epoch": h.Epoch,
					"kdf":   map[string]any{"algorithm": "argon2id", "memory_kib": h.KDF.Memory, "time": h.KDF.Time, "threads": h.KDF.Threads},
					"items": st.Items, "pending_changes": st.Pending, "file_bytes": st.FileSize,
				})
			}
			fmt.Fprintf(e.stdout, "Vault:      %s\nFile:       %s (%d KiB)\nFormat:     %d\nKey epoch:  %d\nKey:        %s\nItems:      %d\nUnsynced:   %d change(s)\n",
				h.VaultID, e.v.Path(), st.FileSize/1024, vault.FormatVersion, h.Epoch, h.KDF, st.Items, st.Pending)
			return nil
		},
	})

	register(&command{
		name: "passwd", args: "[--password-stdin]", summary: "change the master password (items are not re-encrypted)", readsSecrets: true,
		needsVault: true,
		run: func(e *env, args []string) error {
			old, err := e.readPassword("Current master password: ")
			if err != nil {
				return err
			}
			defer secret.Wipe(old)
			pw, err := e.newPassword()
			if err != nil {
				return err
			}
			defer secret.Wipe(pw)
			if err := e.v.ChangeMasterPassword(old, pw); err != nil {
				return err
			}
			fmt.Fprintln(e.stdout, "Master password changed.")
			return nil
		},
	})
}

// newPassword asks for a new master password (twice on a terminal) and warns about a
// weak one: on a terminal it must be confirmed; from a script it is accepted with a
// warning, since the script's author chose it.
func (e *env) newPassword() ([]byte, error) {
	pw, err := e.readNew("New master password: ", "Repeat it: ", "master password")
	if err != nil {
		return nil, err
	}
	s := vault.EstimateStrengthBytes(pw)
	if s.Score < 2 {
		fmt.Fprintf(e.stderr, "valv-cli: warning: this master password is weak (%s); anyone who gets the vault file could guess it\n", strings.Join(s.Hints, ", "))
		if !e.passwordStdin && !e.confirm("Use it anyway?") {
			secret.Wipe(pw)
			return nil, errors.New("choose a stronger master password")
		}
	}
	return pw, nil
}
