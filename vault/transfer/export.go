package transfer

import (
	"errors"
	"fmt"
	"io"
	"runtime/debug"

	"github.com/valvpm/valv/internal/secret"
	"github.com/valvpm/valv/vault"
)

// ExportKind is what Export writes.
type ExportKind int

// The export kinds, the safe one first (the order a dialog offers them).
const (
	EncryptedExport ExportKind = iota // Valv JSON sealed under an export password: everything
	JSONExport                        // Valv JSON in clear: everything
	CSVExport                         // browser CSV in clear: website logins only
)

// Plaintext reports whether the file holds the passwords in clear, which front ends
// warn about and confirm with the master password first.
func (k ExportKind) Plaintext() bool { return k != EncryptedExport }

// ExportResult says what an export wrote.
type ExportResult struct {
	Written int // items in the file
	Skipped int // items the format has no place for (CSV: every type but website logins)
	// MissingFiles counts attached files left out because their content has not
	// reached this device yet (sync fetches them).
	MissingFiles int
}

// afterSerialize runs between serialising the items and checking the vault is still
// unlocked; tests lock the vault there.
var afterSerialize = func() {}

// Export writes every item of v (unlocked) to path as kind: the one export pipeline of
// valv-cli and the desktop app. An encrypted export is sealed under password with the
// vault's own calibrated Argon2id cost and a fresh salt, so exporting costs what
// unlocking does; password is the caller's to wipe. The file is written as WriteFile
// does (0600, atomically); the plaintext is wiped from memory once written.
func Export(v *vault.Vault, path string, kind ExportKind, password []byte) (ExportResult, error) {
	items, err := v.List(vault.Filter{})
	if err != nil {
		return ExportResult{}, err
	}
	var data []byte
	res := ExportResult{}
	if kind == CSVExport {
		data, res.Skipped, err = ExportCSV(items)
	} else {
		items, res.MissingFiles, err = withContents(v, items)
		if err == nil {
			data, err = ExportJSON(items)
		}
	}
	if err != nil {
		return ExportResult{}, err
	}
	// Lock wipes the secrets of the items taken above (vault/secretmem.go): had it come
	// while they were written out, data would hold zero bytes in their place.
	afterSerialize()
	if v.Locked() {
		secret.Wipe(data)
		return ExportResult{}, vault.ErrLocked
	}
	if kind == EncryptedExport {
		sealed, err := Encrypt(data, password, v.Header().KDF)
		secret.Wipe(data)
		// The Argon2id work area (64 MiB or more) goes back to the OS now rather than
		// at the next collection: the desktop app stays running.
		debug.FreeOSMemory()
		if err != nil {
			return ExportResult{}, err
		}
		data = sealed
	}
	err = WriteFile(path, data)
	secret.Wipe(data)
	if err != nil {
		return ExportResult{}, err
	}
	res.Written = len(items) - res.Skipped
	return res, nil
}

// withContents returns copies of items whose files carry their content, for Valv's
// JSON (base64 there). Files not on this device are left out and counted.
func withContents(v *vault.Vault, items []*vault.Item) ([]*vault.Item, int, error) {
	out := make([]*vault.Item, len(items))
	missing := 0
	for i, it := range items {
		out[i] = it
		if len(it.Attachments) == 0 {
			continue
		}
		c := it.Clone()
		c.Attachments = c.Attachments[:0]
		for _, a := range it.Attachments {
			data, err := readFile(v, it.ID, a.ID)
			if errors.Is(err, vault.ErrAttachmentNotHere) {
				missing++
				continue
			}
			if err != nil {
				return nil, 0, fmt.Errorf("%q, file %q: %w", it.Title, a.Name, err)
			}
			c.Attachments = append(c.Attachments, a.WithContent(data))
		}
		out[i] = c
	}
	return out, missing, nil
}

// readFile reads one attached file whole.
func readFile(v *vault.Vault, item vault.ID, att vault.AttachmentID) ([]byte, error) {
	r, err := v.OpenAttachment(item, att)
	if err != nil {
		return nil, err
	}
	data, err := io.ReadAll(r)
	if cerr := r.Close(); err == nil {
		err = cerr
	}
	return data, err
}
