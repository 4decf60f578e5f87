package appcore

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/valvpm/valv/vault"
)

// The files of an item (PRODUCT.md §7): listing, adding from paths, renaming and
// removing. Opening and saving a copy are in openedfiles.go, the image preview in
// preview.go. Every read of a file and every decryption runs on the Scheduler's
// background; results come back on the UI goroutine.

// Errors of the files section the person must see as a sentence (AttachMessage).
var (
	// ErrNotAFile: the path is a folder or a device, not a file to keep.
	ErrNotAFile = errors.New("not a regular file")
	// ErrEmptyName: a file renamed to nothing.
	ErrEmptyName = errors.New("a file needs a name")
	// ErrNoViewer: the system found no program to open the copy with.
	ErrNoViewer = errors.New("no program opened the file")
)

// FileError is an error about one file, with the file's name for the sentence.
type FileError struct {
	Name string
	Err  error
}

func (e *FileError) Error() string { return e.Name + ": " + e.Err.Error() }
func (e *FileError) Unwrap() error { return e.Err }

// AttachmentRow is one line of an item's Files section.
type AttachmentRow struct {
	ID    vault.AttachmentID
	Name  string
	Size  Message // "1.4 MB", in the person's language
	Image bool    // a preview can be shown (CanPreview)
}

// Attachments lists the files of it in the order they were added.
func Attachments(it *vault.Item) []AttachmentRow {
	rows := make([]AttachmentRow, 0, len(it.Attachments))
	for _, a := range it.Attachments {
		rows = append(rows, AttachmentRow{ID: a.ID, Name: a.Name, Size: SizeMessage(a.Size), Image: CanPreview(a)})
	}
	return rows
}

// FileSync says where each file of an item stands in sync, for its Files section:
// "Not on this computer yet" while a chunk of it has not come down, "Waiting to upload"
// while the cloud lacks a chunk made here, "In the cloud" once it has them all. A vault
// not linked to an account gets nothing: its files are only here, as everything is.
func (c *Controller) FileSync(item vault.ID) map[vault.AttachmentID]Message {
	v, err := c.Unlocked()
	if err != nil {
		return nil
	}
	if st, err := v.SyncState(); err != nil || !st.Linked {
		return nil
	}
	chunks, err := v.ItemChunks(item)
	if err != nil {
		return nil
	}
	notHere, toUpload := map[vault.AttachmentID]bool{}, map[vault.AttachmentID]bool{}
	for _, ch := range chunks {
		notHere[ch.Ref.Attachment] = notHere[ch.Ref.Attachment] || !ch.Here
		toUpload[ch.Ref.Attachment] = toUpload[ch.Ref.Attachment] || !ch.Uploaded
	}
	out := make(map[vault.AttachmentID]Message, len(notHere))
	for id := range notHere {
		switch {
		case notHere[id]:
			out[id] = Message{Key: "attach.syncNotHere"}
		case toUpload[id]:
			out[id] = Message{Key: "attach.syncToUpload"}
		default:
			out[id] = Message{Key: "attach.syncInCloud"}
		}
	}
	return out
}

// SizeMessage says a file's size the way file managers do: bytes below 1 KB, then KB,
// MB or GB (of 1024) with one decimal below 10 and none above.
func SizeMessage(n int64) Message {
	if n < 1024 {
		return Message{Key: "size.bytes", Args: map[string]any{"Count": int(max(n, 0))}}
	}
	units := []string{"size.kb", "size.mb", "size.gb"}
	unit, scaled := 0, float64(n)/1024
	for scaled >= 1024 && unit < len(units)-1 {
		scaled /= 1024
		unit++
	}
	var size any
	if tenths := int64(scaled*10 + 0.5); tenths < 100 {
		size = Message{Key: "number.decimal", Args: map[string]any{"Whole": tenths / 10, "Frac": tenths % 10}}
	} else {
		size = int64(scaled + 0.5)
	}
	return Message{Key: units[unit], Args: map[string]any{"Size": size}}
}

// AddFiles adds the files at paths to item, one after another, off the UI goroutine. A
// zero item makes a new Document item first, titled after the first file: what
// dropping files on the window does when no item is on show. progress (UI goroutine)
// names the file being read; done gets the item as stored after the last file added and
// the first error, each *FileError naming its file (the files after it are not added).
// cancel stops the file being read: it is not added and leaves nothing in the vault.
func (c *Controller) AddFiles(item vault.ID, paths []string, progress func(name string), done func(*vault.Item, error)) (cancel func()) {
	ctx, cancel := context.WithCancel(context.Background())
	c.addFiles(ctx, cancel, item, paths, progress, done)
	return cancel
}

// addFiles is AddFiles under ctx; cancel ends ctx once done has run.
func (c *Controller) addFiles(ctx context.Context, cancel func(), item vault.ID, paths []string, progress func(name string), done func(*vault.Item, error)) {
	c.Touch()
	v, err := c.Unlocked()
	if err == nil && item != (vault.ID{}) {
		err = c.readOnly(item)
	}
	if err != nil || len(paths) == 0 {
		cancel()
		done(nil, err)
		return
	}
	c.run.Background(func() {
		it, err := addFilesTo(ctx, v, item, paths, func(name string) { c.run.OnUI(func() { progress(name) }) })
		c.run.OnUI(func() {
			cancel()
			if it != nil {
				c.refresh()
			}
			done(it, err)
		})
	})
}

// addFilesTo is AddFiles' work.
func addFilesTo(ctx context.Context, v *vault.Vault, item vault.ID, paths []string, progress func(string)) (*vault.Item, error) {
	var last *vault.Item
	made := item == (vault.ID{})
	if made {
		doc, err := v.Add(&vault.Item{Type: vault.TypeDocument, Title: DocumentTitle(paths[0])})
		if err != nil {
			return nil, err
		}
		item = doc.ID
	}
	for i, p := range paths {
		name := filepath.Base(p)
		progress(name)
		it, err := attachFile(ctx, v, item, p)
		if err != nil {
			err = &FileError{Name: name, Err: err}
			if made && i == 0 {
				// The Document was made for these files: without its first one it
				// would be an empty item the person never asked for.
				if derr := v.Delete(item); derr != nil {
					return nil, errors.Join(err, derr)
				}
			}
			return last, err
		}
		last = it
	}
	return last, nil
}

// attachFile streams one file into the vault, refusing a folder and a file over the
// limit before reading a byte of it.
func attachFile(ctx context.Context, v *vault.Vault, item vault.ID, path string) (*vault.Item, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	it, err := attachOpened(ctx, v, item, filepath.Base(path), f)
	// The file was only read: a failed close loses nothing, and the vault's answer is
	// what the person needs.
	if cerr := f.Close(); err == nil && cerr != nil {
		err = cerr
	}
	return it, err
}

func attachOpened(ctx context.Context, v *vault.Vault, item vault.ID, name string, f *os.File) (*vault.Item, error) {
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, ErrNotAFile
	}
	if st.Size() > vault.MaxAttachmentSize {
		return nil, fmt.Errorf("%d bytes: %w", st.Size(), vault.ErrAttachmentTooLarge)
	}
	it, _, err := v.Attach(ctx, item, name, f)
	return it, err
}

// DocumentTitle is the title of a Document item made for a file: its name without the
// extension ("passport.pdf" → "passport").
func DocumentTitle(path string) string {
	name := filepath.Base(path)
	if t := strings.TrimSuffix(name, filepath.Ext(name)); strings.TrimSpace(t) != "" {
		return t
	}
	return name
}

// RenameAttachment gives a file of item a new name; the stored item is returned.
func (c *Controller) RenameAttachment(item vault.ID, att vault.AttachmentID, name string) (*vault.Item, error) {
	c.Touch()
	name = strings.TrimSpace(name)
	if name == "" {
		return nil, ErrEmptyName
	}
	v, err := c.Unlocked()
	if err == nil {
		err = c.readOnly(item)
	}
	if err != nil {
		return nil, err
	}
	it, err := v.RenameAttachment(item, att, name)
	if err != nil {
		return nil, err
	}
	c.refresh()
	return it, nil
}

// RemoveAttachment removes a file from item (the view asked first); the stored item is
// returned.
func (c *Controller) RemoveAttachment(item vault.ID, att vault.AttachmentID) (*vault.Item, error) {
	c.Touch()
	v, err := c.Unlocked()
	if err == nil {
		err = c.readOnly(item)
	}
	if err != nil {
		return nil, err
	}
	it, err := v.Detach(item, att)
	if err != nil {
		return nil, err
	}
	c.refresh()
	return it, nil
}

// fileSentences are the sentences that name the file they are about.
var fileSentences = []sentence{
	{err: vault.ErrAttachmentTooLarge, key: "attach.errTooLargeNamed"},
	{err: ErrNotAFile, key: "attach.errNotFile"},
}

// AttachMessage says why adding, opening or saving a file failed: the file's own
// sentence when err names one (too large, unreadable), else the table's sentence. A
// cancelled add says that nothing was added.
func AttachMessage(err error) Message {
	if errors.Is(err, context.Canceled) {
		return Message{Key: "attach.cancelled"}
	}
	var fe *FileError
	if !errors.As(err, &fe) {
		return MessageFor(err)
	}
	named := map[string]any{"Name": fe.Name}
	for _, s := range fileSentences {
		if errors.Is(err, s.err) {
			return Message{Key: s.key, Args: named}
		}
	}
	if m, ok := lookup(fe.Err); ok {
		return m
	}
	var pe *os.PathError
	if errors.As(err, &pe) {
		return Message{Key: "attach.errRead", Args: named}
	}
	return MessageFor(fe.Err)
}
