package appcore

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/valvpm/valv/vault"
)

// Opening a file of an item decrypts it to a private temporary copy that the system
// viewer opens: one folder per copy (0700) holding the file under its own name (0600),
// so the viewer shows the right name and picks its program by the extension. Every
// copy lives in one folder of the app's, removed whole when Valv locks or quits and at
// the next start, for the copies of a Valv that crashed.

// OpenedDir is the folder of the open copies for the vault at vaultPath: in the user's
// runtime folder ($XDG_RUNTIME_DIR, private to the user and in memory on most
// systems), else beside the vault, whose folder is private to the OS user. VALV_HOME
// keeps it beside the vault, so a portable or test vault leaves nothing elsewhere.
func OpenedDir(vaultPath string) string {
	if os.Getenv(vault.HomeEnv) == "" {
		if rt := os.Getenv("XDG_RUNTIME_DIR"); rt != "" && filepath.IsAbs(rt) {
			return filepath.Join(rt, "valv", "open")
		}
	}
	return filepath.Join(filepath.Dir(vaultPath), "open")
}

// openedFiles is the controller's folder of open copies.
type openedFiles struct {
	mu   sync.Mutex
	root string
	// gen is bumped by every clear, so a copy still being written when the vault
	// locked is removed instead of kept.
	gen int
	// open hands a copy to the system viewer; nil: no viewer.
	open func(path string) error
}

// SetFileOpener sets how a decrypted copy is shown: the app opens it in the system
// viewer (Fyne's OpenURL with a file URL).
func (c *Controller) SetFileOpener(open func(path string) error) {
	c.opened.mu.Lock()
	c.opened.open = open
	c.opened.mu.Unlock()
}

// OpenedDir is the folder the open copies are in.
func (c *Controller) OpenedDir() string { return c.opened.root }

// clear removes every copy. Called at lock, at close and once the vault is open at
// start: only the process holding the vault's lock clears, so a second Valv refused
// at start cannot remove the first one's copies.
func (o *openedFiles) clear() error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.gen++
	if o.root == "" {
		return nil
	}
	return os.RemoveAll(o.root)
}

// newFolder makes a private folder for one copy, unless a clear came after gen.
func (o *openedFiles) newFolder(gen int) (string, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if gen != o.gen {
		return "", vault.ErrLocked
	}
	if err := os.MkdirAll(o.root, 0o700); err != nil {
		return "", err
	}
	// The root may predate this run with looser rights; the copies need it private.
	if err := os.Chmod(o.root, 0o700); err != nil {
		return "", err
	}
	return os.MkdirTemp(o.root, "")
}

func (o *openedFiles) current() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.gen
}

func (o *openedFiles) opener() func(string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.open
}

// OpenAttachment decrypts a file of item to a private temporary copy and opens it in
// the system viewer, off the UI goroutine. A file not on this device yet is fetched
// first when sync can fetch it (status says "downloading…" meanwhile); otherwise done
// gets vault.ErrAttachmentNotHere. done (UI goroutine) gets the copy's path.
func (c *Controller) OpenAttachment(item vault.ID, att vault.AttachmentID, status func(Message), done func(path string, err error)) (cancel func()) {
	c.Touch()
	ctx, cancel := context.WithCancel(context.Background())
	v, a, err := c.attachment(item, att)
	if err != nil {
		cancel()
		done("", err)
		return cancel
	}
	gen := c.opened.current()
	c.run.Background(func() {
		path, err := c.decryptCopy(ctx, v, item, a, gen, status)
		c.run.OnUI(func() {
			cancel()
			if err == nil && c.Locked() {
				// Locked while the copy was written: it must not outlive the lock.
				err = errors.Join(vault.ErrLocked, os.RemoveAll(filepath.Dir(path)))
			}
			if err == nil {
				err = c.view(path)
			}
			if err != nil {
				path = ""
			}
			done(path, err)
		})
	})
	return cancel
}

// attachment returns the unlocked vault and the attachment att of item.
func (c *Controller) attachment(item vault.ID, att vault.AttachmentID) (*vault.Vault, vault.Attachment, error) {
	v, err := c.Unlocked()
	if err != nil {
		return nil, vault.Attachment{}, err
	}
	it, err := v.Get(item)
	if err != nil {
		return nil, vault.Attachment{}, err
	}
	a, ok := it.Attachment(att)
	if !ok {
		return nil, vault.Attachment{}, vault.ErrNoAttachment
	}
	return v, a, nil
}

// view hands a copy to the system viewer.
func (c *Controller) view(path string) error {
	open := c.opened.opener()
	if open == nil {
		return ErrNoViewer
	}
	if err := open(path); err != nil {
		return errors.Join(ErrNoViewer, err)
	}
	return nil
}

// decryptCopy writes the plaintext of a to a new private copy and returns its path,
// fetching the file first when it is not on this device and sync can fetch it.
func (c *Controller) decryptCopy(ctx context.Context, v *vault.Vault, item vault.ID, a vault.Attachment, gen int, status func(Message)) (string, error) {
	rc, err := c.openReader(ctx, v, item, a, status)
	if err != nil {
		return "", err
	}
	dir, err := c.opened.newFolder(gen)
	if err != nil {
		return "", errors.Join(err, rc.Close())
	}
	path := filepath.Join(dir, safeFileName(a.Name))
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err == nil {
		err = copyInto(ctx, f, rc)
	} else {
		err = errors.Join(err, rc.Close())
	}
	if err != nil {
		return "", errors.Join(err, os.RemoveAll(dir))
	}
	return path, nil
}

// openReader opens a's plaintext stream, fetching its chunks through sync when they
// are not here yet.
func (c *Controller) openReader(ctx context.Context, v *vault.Vault, item vault.ID, a vault.Attachment, status func(Message)) (io.ReadCloser, error) {
	rc, err := v.OpenAttachment(item, a.ID)
	if !errors.Is(err, vault.ErrAttachmentNotHere) {
		return rc, err
	}
	f := c.fetcher()
	if f == nil {
		return nil, err
	}
	c.run.OnUI(func() { status(Message{Key: "attach.downloading", Args: map[string]any{"Name": a.Name}}) })
	if err := f.Fetch(ctx, a.ID); err != nil {
		return nil, err
	}
	return v.OpenAttachment(item, a.ID)
}

// attachmentFetcher is what sync offers to bring one file's chunks to this device at
// once, instead of when idle.
type attachmentFetcher interface {
	Fetch(ctx context.Context, att vault.AttachmentID) error
}

// fetcher is the running sync's fetcher, or nil (not signed in, sync off, locked).
func (c *Controller) fetcher() attachmentFetcher {
	c.cloud.mu.Lock()
	r := c.cloud.runner
	c.cloud.mu.Unlock()
	if r == nil {
		return nil
	}
	f, _ := any(r).(attachmentFetcher)
	return f
}

// SaveAttachmentAs writes a file of item to path, off the UI goroutine, through a
// temporary file beside it that is renamed into place (readable by the person only),
// so a failed save leaves no half-written file. done runs on the UI goroutine.
func (c *Controller) SaveAttachmentAs(item vault.ID, att vault.AttachmentID, path string, done func(error)) {
	c.Touch()
	v, a, err := c.attachment(item, att)
	if err != nil {
		done(err)
		return
	}
	c.run.Background(func() {
		err := saveAs(v, item, a.ID, path)
		c.run.OnUI(func() { done(err) })
	})
}

func saveAs(v *vault.Vault, item vault.ID, att vault.AttachmentID, path string) error {
	rc, err := v.OpenAttachment(item, att)
	if err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp") // 0600
	if err != nil {
		return errors.Join(err, rc.Close())
	}
	tmp := f.Name()
	err = copyInto(context.Background(), f, rc)
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		return errors.Join(err, os.Remove(tmp))
	}
	return nil
}

// copyInto copies src into f until EOF or ctx ends, syncs and closes both. The vault
// checks the file's SHA-256 at EOF, so a damaged file fails here, not silently.
func copyInto(ctx context.Context, f *os.File, src io.ReadCloser) error {
	_, err := io.Copy(f, ctxReader{ctx, src})
	if err == nil {
		err = f.Sync()
	}
	return errors.Join(err, f.Close(), src.Close())
}

// ctxReader stops a copy when ctx ends (Cancel, a lock).
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (r ctxReader) Read(p []byte) (int, error) {
	if err := r.ctx.Err(); err != nil {
		return 0, err
	}
	return r.r.Read(p)
}

// safeFileName is name as one plain file name: no folders, no leading dot (a hidden
// file), nothing the file system would refuse.
func safeFileName(name string) string {
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || strings.ContainsRune(`/\:*?"<>|`, r) {
			return '_'
		}
		return r
	}, name)
	name = strings.TrimLeft(strings.TrimSpace(name), ".")
	if name == "" {
		return "file"
	}
	return name
}
