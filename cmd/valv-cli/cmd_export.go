package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/valvpm/valv/internal/secret"
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
			kind := transfer.JSONExport
			switch {
			case encrypted:
				kind = transfer.EncryptedExport
			case format == "csv":
				kind = transfer.CSVExport
			}
			var pw []byte
			if kind == transfer.EncryptedExport {
				var err error
				if pw, err = e.exportPassword(); err != nil {
					return err
				}
				defer secret.Wipe(pw)
			} else {
				hint := ""
				if kind == transfer.JSONExport {
					hint = " (--encrypted protects it with a password of its own)"
				}
				fmt.Fprintf(e.stderr, "valv-cli: warning: %s holds your passwords in plain text. Anyone who can read the file can read them: keep it safe and delete it when you are done%s.\n", path, hint)
			}
			res, err := transfer.Export(e.v, path, kind, pw)
			if err != nil {
				return err
			}
			switch kind {
			case transfer.CSVExport:
				fmt.Fprintf(e.stdout, "Exported %d website logins to %s (browser CSV).\n", res.Written, path)
				if res.Skipped > 0 {
					fmt.Fprintf(e.stdout, "%d items of other types are not in this format; valv-cli export --format json keeps everything.\n", res.Skipped)
				}
			case transfer.EncryptedExport:
				fmt.Fprintf(e.stdout, "Exported %d items to %s (encrypted Valv export).\n", res.Written, path)
			default:
				fmt.Fprintf(e.stdout, "Exported %d items to %s (Valv JSON).\n", res.Written, path)
			}
			return nil
		},
	})
}

// exportPassword asks for the password of an encrypted export (a lost one cannot be
// recovered, so a terminal asks twice).
func (e *env) exportPassword() ([]byte, error) {
	return e.readNew("Export password: ", "Repeat the export password: ", "export password")
}
