package appcore

import (
	"errors"
	"runtime/debug"

	"github.com/valvpm/valv/internal/secret"
	"github.com/valvpm/valv/vault"
	"github.com/valvpm/valv/vault/transfer"
)

// ExportFileName suggests a file name with the extension the kind is known by.
func ExportFileName(k transfer.ExportKind) string {
	switch k {
	case transfer.CSVExport:
		return "valv-passwords.csv"
	case transfer.JSONExport:
		return "valv-export.json"
	}
	return "valv-export.valv"
}

// ErrNotConfirmed means Write was called before the master password was checked or the
// export password set.
var ErrNotConfirmed = errors.New("the export is not confirmed yet")

// ExportJob is one File → Export apart from its dialog. A plaintext export becomes
// ready once the master password was checked, an encrypted one once its export
// password is set. Drop wipes the export password, however the dialog closes.
type ExportJob struct {
	c        *Controller
	kind     transfer.ExportKind
	password []byte // the export password, until the file is written
	ready    bool
	dropped  bool
}

// NewExport starts an export job (encrypted until SetKind says otherwise).
func (c *Controller) NewExport() *ExportJob { return &ExportJob{c: c} }

// Kind is what the job writes.
func (j *ExportJob) Kind() transfer.ExportKind { return j.kind }

// Ready reports whether the job was confirmed and may Write.
func (j *ExportJob) Ready() bool { return j.ready }

// SetKind chooses what to write; the confirmation given for another kind is dropped.
func (j *ExportJob) SetKind(k transfer.ExportKind) {
	if k != j.kind {
		j.reset()
	}
	j.kind = k
}

func (j *ExportJob) reset() {
	secret.Wipe(j.password)
	j.password, j.ready = nil, false
}

// SetPassword takes the export password of an encrypted export (the job wipes it).
func (j *ExportJob) SetPassword(pw []byte) {
	secret.Wipe(j.password)
	j.password, j.ready = pw, true
}

// Verify checks the master password before a plaintext export, in the background. pw
// is wiped afterwards; done runs on the UI goroutine.
func (j *ExportJob) Verify(pw []byte, done func(error)) {
	v, err := j.c.Unlocked()
	if err != nil {
		secret.Wipe(pw)
		done(err)
		return
	}
	j.c.run.Background(func() {
		err := v.CheckPassword(pw)
		secret.Wipe(pw)
		debug.FreeOSMemory()
		j.c.run.OnUI(func() {
			if j.dropped {
				return
			}
			j.ready = err == nil
			done(err)
		})
	})
}

// Write builds the export and writes it to path (0600, atomically), in the background.
// done gets how many items the file holds and how many were left out (CSV only).
func (j *ExportJob) Write(path string, done func(written, skipped int, err error)) {
	v, err := j.c.Unlocked()
	if err == nil && !j.ready {
		err = ErrNotConfirmed
	}
	if err != nil {
		done(0, 0, err)
		return
	}
	kind, pw := j.kind, j.password
	j.password, j.ready = nil, false // the background owns (and wipes) pw now
	j.c.run.Background(func() {
		res, err := transfer.Export(v, path, kind, pw)
		secret.Wipe(pw)
		j.c.run.OnUI(func() {
			if !j.dropped {
				done(res.Written, res.Skipped, err)
			}
		})
	})
}

// Drop wipes the export password.
func (j *ExportJob) Drop() {
	j.dropped = true
	j.reset()
}

// ExportCounts counts the website logins and all items, for the dialog's note on what
// the browser CSV leaves out.
func (c *Controller) ExportCounts() (logins, total int) {
	v, err := c.Unlocked()
	if err != nil {
		return 0, 0
	}
	items, err := v.List(vault.Filter{})
	if err != nil {
		return 0, 0
	}
	for _, it := range items {
		if it.Type == vault.TypeLogin {
			logins++
		}
	}
	return logins, len(items)
}

// Dropped reports whether Drop was called: the dialog that owned the job has closed.
func (j *ExportJob) Dropped() bool { return j.dropped }
