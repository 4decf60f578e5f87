package appcore

import (
	"runtime/debug"

	"github.com/valvpm/valv/internal/secret"
	"github.com/valvpm/valv/vault"
	"github.com/valvpm/valv/vault/transfer"
)

// ImportJob is one File → Import apart from its dialog: the file, the format override,
// the bytes read and the plan. Its methods are called on the UI goroutine; the work runs
// through the controller's Scheduler and reports back on the UI goroutine.
//
// A job may hold decrypted data: the bytes of another manager's plain-text export, the
// items of a plan. Drop wipes them, and results that arrive from the background after
// Drop are ignored — so closing the dialog, however it closes, forgets them.
type ImportJob struct {
	c      *Controller
	path   string
	format transfer.Format // "" detects the format from the content

	data    []byte // the file's bytes, kept so a retried export password needs no re-read
	plan    *transfer.Plan
	dropped bool
}

// NewImport starts an import job.
func (c *Controller) NewImport() *ImportJob { return &ImportJob{c: c} }

// SetFile chooses the file to import, forgetting what was read from the previous one.
func (j *ImportJob) SetFile(path string) {
	secret.Wipe(j.data)
	j.path, j.data, j.plan = path, nil, nil
}

// Path is the chosen file, "" before one was chosen.
func (j *ImportJob) Path() string { return j.path }

// SetFormat forces a format; "" detects it from the file's content.
func (j *ImportJob) SetFormat(f transfer.Format) { j.format = f }

// Plan is the dry run of the last Check, or nil.
func (j *ImportJob) Plan() *transfer.Plan { return j.plan }

// Check reads the file (once) and works out the plan. password is the export password
// of an encrypted export, nil until the person was asked; it is wiped after use.
// Without one, an encrypted export fails with transfer.ErrNeedPassword, which is how
// the dialog learns that it must ask. progress and done run on the UI goroutine, and
// not at all once the job was dropped.
func (j *ImportJob) Check(password []byte, progress transfer.ProgressFunc, done func(error)) {
	v, err := j.c.Unlocked()
	if err != nil {
		secret.Wipe(password)
		done(err)
		return
	}
	data, path := j.data, j.path
	opts := transfer.ImportOptions{
		Format: j.format,
		// Called on the background goroutine (during Prepare, and again during Apply,
		// which reuses the plan's options).
		Progress: func(s transfer.Stage, n, total int) {
			j.c.run.OnUI(func() {
				if !j.dropped {
					progress(s, n, total)
				}
			})
		},
	}
	if password != nil {
		opts.Password = func() ([]byte, error) { return password, nil }
	}
	j.c.run.Background(func() {
		var plan *transfer.Plan
		var err error
		if data == nil {
			data, err = transfer.ReadFile(path)
		}
		if err == nil {
			plan, err = transfer.Prepare(v, data, opts)
		}
		if password != nil {
			secret.Wipe(password)
			debug.FreeOSMemory() // Argon2id's memory, as the controller's key derivations do
		}
		j.c.run.OnUI(func() {
			if j.dropped {
				secret.Wipe(data)
				return
			}
			j.data, j.plan = data, plan
			done(err)
		})
	})
}

// Apply writes the plan in one transaction and refreshes the list. done runs on the UI
// goroutine with how many items were added (none when err is set).
func (j *ImportJob) Apply(done func(added int, err error)) {
	v, err := j.c.Unlocked()
	if err != nil || j.plan == nil {
		done(0, vault.ErrLocked)
		return
	}
	plan := j.plan
	j.c.run.Background(func() {
		n, err := plan.Apply(v)
		j.c.run.OnUI(func() {
			if err == nil {
				j.c.refresh()
			}
			if !j.dropped {
				done(n, err)
			}
		})
	})
}

// Drop wipes the file's bytes and lets go of the plan's items.
func (j *ImportJob) Drop() {
	j.dropped = true
	secret.Wipe(j.data)
	j.data, j.plan = nil, nil
}

// Dropped reports whether Drop was called: the dialog that owned the job has closed.
func (j *ImportJob) Dropped() bool { return j.dropped }
