package transfer

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// WriteFile writes data to path readable by its owner only (0600), atomically: the
// bytes go to a temporary file in the same folder, which is synced and then renamed
// over path. A failure at any point — a full disk, a crash — leaves either the old
// file or none, never half an export. The temporary file is removed on error.
func WriteFile(path string, data []byte) (err error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp") // CreateTemp uses 0600
	if err != nil {
		return fmt.Errorf("cannot write the export in %s: %w", dir, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			// Best effort: the write already failed, and that is the error to report.
			_ = os.Remove(tmp)
		}
	}()
	if err := f.Chmod(0o600); err != nil && !errors.Is(err, errors.ErrUnsupported) {
		_ = f.Close() // the chmod error is the one to report
		return err
	}
	if _, err := f.Write(data); err != nil {
		_ = f.Close() // the write error is the one to report
		return err
	}
	if err := f.Sync(); err != nil {
		_ = f.Close() // the sync error is the one to report
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
