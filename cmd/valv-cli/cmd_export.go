package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/valvpm/valv/internal/secret"
	"github.com/valvpm/valv/vault"
	"github.com/valvpm/valv/vault/transfer"
)

func init() {
	var (
		format           string
		encrypted, force bool
	)
	register(&command{
		name: "export", args: "FILE [--format json|csv] [--encrypted] [--force]\n\nWith --password-stdin, standard input holds the master password, then (with --encrypted) the export password, one per line.",
		summary:    "write every item to a file: Valv JSON, browser CSV, or encrypted with an export password",
		needsVault: true, unlockFirst: true,
		flags: func(fs *flag.FlagSet, e *env) {
			fs.StringVar(&format, "format", "json", "json (everything, Valv's schema) or csv (website logins, browser format)")
			fs.BoolVar(&encrypted, "encrypted", false, "protect the file with an export password of its own (JSON only)")
			fs.BoolVar(&force, "force", false, "replace FILE if it exists")
		},
		check: func(e *env, args []string) error {
			if len(args) != 1 {
				return usagef("export needs one file: valv-cli export FILE")
			}
			if format != "json" && format != "csv" {
				return usagef("--format must be json or csv, not %q", format)
			}
			if encrypted && format != "json" {
				return usagef("--encrypted writes Valv JSON; leave out --format csv")
			}
			if _, err := os.Stat(args[0]); err == nil && !force {
				return fmt.Errorf("the file %s already exists; choose another name or add --force to replace it", args[0])
			}
			return nil
		},
		run: func(e *env, args []string) error {
			path := args[0]
			items, err := e.v.List(vault.Filter{})
			if err != nil {
				return err
			}
			var data []byte
			skipped := 0
			if format == "csv" {
				data, skipped, err = transfer.ExportCSV(items)
			} else {
				data, err = transfer.ExportJSON(items)
			}
			if err != nil {
				return err
			}
			what := "Valv JSON"
			if encrypted {
				pw, err := e.exportPassword()
				if err != nil {
					return err
				}
				defer secret.Wipe(pw)
				// The export costs what unlocking this vault costs: the vault's own
				// calibrated Argon2id settings, with a fresh salt.
				sealed, err := transfer.Encrypt(data, pw, e.v.Header().KDF)
				secret.Wipe(data)
				if err != nil {
					return err
				}
				data, what = sealed, "encrypted Valv export"
			} else {
				hint := ""
				if format == "json" {
					hint = " (--encrypted protects it with a password of its own)"
				}
				fmt.Fprintf(e.stderr, "valv-cli: warning: %s holds your passwords in plain text. Anyone who can read the file can read them: keep it safe and delete it when you are done%s.\n", path, hint)
			}
			if err := transfer.WriteFile(path, data); err != nil {
				return err
			}
			if format == "csv" {
				what = "browser CSV"
				fmt.Fprintf(e.stdout, "Exported %d website logins to %s (%s).\n", len(items)-skipped, path, what)
				if skipped > 0 {
					fmt.Fprintf(e.stdout, "%d items of other types are not in this format; valv-cli export --format json keeps everything.\n", skipped)
				}
				return nil
			}
			fmt.Fprintf(e.stdout, "Exported %d items to %s (%s).\n", len(items), path, what)
			return nil
		},
	})
}

var errNoExportPassword = errors.New("the export password must not be empty")

// exportPassword asks for the password of an encrypted export: with --password-stdin
// the line after the master password, on a terminal twice to catch a typo (a lost
// export password cannot be recovered).
func (e *env) exportPassword() ([]byte, error) {
	pw, err := e.readPassword("Export password: ")
	if err != nil {
		return nil, err
	}
	if len(pw) == 0 {
		return nil, errNoExportPassword
	}
	if !e.passwordStdin {
		again, err := e.readPassword("Repeat the export password: ")
		if err != nil {
			secret.Wipe(pw)
			return nil, err
		}
		same := bytes.Equal(pw, again)
		secret.Wipe(again)
		if !same {
			secret.Wipe(pw)
			return nil, errors.New("the two export passwords differ")
		}
	}
	return pw, nil
}
