// Package transfer moves items into and out of a Valv vault: it reads the exports of
// other password managers and Valv's own, and writes Valv's JSON, browser-compatible
// CSV and an encrypted export.
//
// Importing is two steps, so a person sees what will happen before anything is
// written (the app's File → Import dialog and `valv-cli import --dry-run` both show it):
//
//	data, err := transfer.ReadFile(path)                  // size-capped read
//	plan, err := transfer.Prepare(v, data, transfer.ImportOptions{
//		Format:   "",                                     // "" detects from content
//		Password: askFilePassword,                        // encrypted exports, KeePass databases
//		Progress: func(s transfer.Stage, done, total int) { … },
//	})
//	// show plan.Format, plan.Counts(), plan.Duplicates, plan.Skipped, plan.Problems, plan.Notices
//	added, err := plan.Apply(v)                            // one transaction (vault.AddAll)
//
// Prepare never writes. Apply stores every planned item in one transaction, so a
// failure leaves the vault as it was. Rows that cannot be read are not fatal: they are
// listed in Plan.Problems with their line number and why, and the rest is imported.
// A file that cannot be read as a whole (truncated JSON or XML, a wrong export
// password) is an error from Prepare and nothing is imported.
//
// Exporting writes a whole file at once with WriteFile (0600 permissions, a temporary
// file renamed into place, so a failure never leaves half a file):
//
//	b, err := transfer.ExportJSON(items)                   // Valv's JSON (docs/json-format.md)
//	b, n, err := transfer.ExportCSV(items)                 // logins only: name,url,username,password,note
//	b, err := transfer.Encrypt(jsonBytes, password, kdf)   // docs/encrypted-export.md
//	err = transfer.WriteFile(path, b)
//
// A front end lists Formats, naming each by its LabelKey in the translation files.
// Entries a source itself no longer counts as live (trashed, archived) and rows that
// are no item (a folder row) are not imported; Plan.Skipped counts them by reason.
// A file of which not one entry can be read is an error (ErrUnknownFormat), never an
// empty import.
//
// One file per concept: detect.go finds the format; csv.go and csvrow.go read every
// CSV export through the profiles of csvformats.go (browsers, Bitwarden, LastPass,
// KeePassXC), onepasswordcsv.go and managercsv.go (other password managers); a file
// per other family parses it (bitwarden.go, managerjson.go, onepassword.go, zip.go,
// keepass.go and xmlformats.go over xmltree.go, kdbx.go and kdbxstream.go, with
// internal/argon2's Argon2d, for KeePass databases); finish.go turns parsed rows into valid items,
// skip.go counts what is left out on purpose, duplicate.go defines an exact
// duplicate, plan.go ties them together, and encrypted.go holds the export cipher.
package transfer
