package cloudsync

import (
	"context"
	"errors"
	"fmt"

	"github.com/valvpm/valv/cloud/api"
	"github.com/valvpm/valv/vault"
)

// Attached files travel apart from their items: an item syncs first and says which
// files it has; their chunks follow, one request each, exactly as the vault stores
// them (sealed: the engine holds no file key and sees no plaintext). Uploads resume:
// before sending a file's chunks the engine asks the cloud which it has, so a cut
// connection costs at most the chunk in flight and nothing the cloud took is sent
// twice; what went up is marked in the vault, so the next round need not ask.

// ChunkRemote is what file sync needs of the server; *account.Client implements it.
// An Engine whose Remote is not also a ChunkRemote syncs items only.
type ChunkRemote interface {
	PutChunk(ctx context.Context, epoch uint64, att string, n int, sealed []byte) error
	GetChunk(ctx context.Context, att string, n int) ([]byte, error)
	ChunkList(ctx context.Context, att string) (*api.AttachmentInfo, error)
	DeleteAttachment(ctx context.Context, att string) error
}

// Errors of file sync.
var (
	// ErrNoFileSync: the Remote cannot carry files (it is no ChunkRemote).
	ErrNoFileSync = errors.New("this connection cannot sync attached files")
	// ErrFileLimit: the plan keeps no more attached files in the cloud; the files not
	// uploaded stay on this device and go up once there is room.
	ErrFileLimit = errors.New("your plan keeps no more attached files in the cloud; the others stay on this device")
	// ErrFileNotInCloud: a file this device lacks is not in the cloud (yet): the device
	// that added it has not uploaded it.
	ErrFileNotInCloud = errors.New("this file has not reached the cloud yet; it opens once the device that added it has synced")
)

// FileReport says what one round of file sync did, in chunks.
type FileReport struct {
	Uploaded, Skipped, Downloaded int // Skipped: the cloud already had them
	Deleted                       int // files removed from the cloud
	ToUpload, ToDownload          int // left for a later round
}

func (e *Engine) chunkRemote() (ChunkRemote, error) {
	cr, ok := e.r.(ChunkRemote)
	if !ok {
		return nil, ErrNoFileSync
	}
	return cr, nil
}

// SyncFiles deletes from the cloud the files removed here, uploads the chunks the
// cloud lacks and, with download, fetches the chunks this device lacks. Run it after
// the items synced (SyncOnce): the cloud then knows the items the chunks belong to.
// A failure stops the round; what was done stays done.
func (e *Engine) SyncFiles(ctx context.Context, download bool) (FileReport, error) {
	var rep FileReport
	cr, err := e.chunkRemote()
	if err != nil {
		return rep, err
	}
	chunks, err := e.v.Chunks()
	if err != nil {
		return rep, err
	}
	if err := e.deleteRemoved(ctx, cr, chunks, &rep); err != nil {
		return rep, err
	}
	err = e.upload(ctx, cr, chunks, &rep)
	if err == nil && download {
		err = e.download(ctx, cr, chunks, nil, &rep)
	}
	if chunks, cerr := e.v.Chunks(); cerr == nil {
		rep.ToUpload, rep.ToDownload = pendingChunks(chunks)
	}
	return rep, err
}

// Fetch downloads the chunks of one file that this device lacks, and nothing else:
// what "open" waits for on a device that has the item but not yet the file.
// ErrFileNotInCloud when the cloud lacks some of them.
func (e *Engine) Fetch(ctx context.Context, att vault.AttachmentID) error {
	cr, err := e.chunkRemote()
	if err != nil {
		return err
	}
	chunks, err := e.v.Chunks()
	if err != nil {
		return err
	}
	known := false
	for _, c := range chunks {
		known = known || c.Ref.Attachment == att
	}
	if !known {
		return fmt.Errorf("%w (file %s)", vault.ErrNoAttachment, att)
	}
	var rep FileReport
	return e.download(ctx, cr, chunks, &att, &rep)
}

// deleteRemoved deletes on the cloud the files removed here. A file an item still has
// (it came back in a merge: nothing added on either side is lost) is kept, and only
// forgotten from the list.
func (e *Engine) deleteRemoved(ctx context.Context, cr ChunkRemote, chunks []vault.ChunkInfo, rep *FileReport) error {
	removed, err := e.v.RemovedAttachments()
	if err != nil || len(removed) == 0 {
		return err
	}
	inUse := map[vault.AttachmentID]bool{}
	for _, c := range chunks {
		inUse[c.Ref.Attachment] = true
	}
	var done []vault.AttachmentID
	for _, id := range removed {
		if !inUse[id] {
			if err := cr.DeleteAttachment(ctx, id.String()); err != nil {
				return errors.Join(err, e.v.ForgetRemoved(done...))
			}
			rep.Deleted++
		}
		done = append(done, id)
	}
	return e.v.ForgetRemoved(done...)
}

// upload sends every chunk that is here and not known to be in the cloud, file by
// file, asking the cloud first which of a file's chunks it already holds.
func (e *Engine) upload(ctx context.Context, cr ChunkRemote, chunks []vault.ChunkInfo, rep *FileReport) error {
	epoch := uint64(e.v.Header().Epoch)
	for _, file := range byFile(chunks, func(c vault.ChunkInfo) bool { return c.Here && !c.Uploaded }) {
		if err := e.uploadFile(ctx, cr, epoch, file, rep); err != nil {
			return err
		}
	}
	return nil
}

// markEvery is how many uploaded chunks are marked in one vault transaction. Marking
// saves asking the cloud again; the cloud's list is what guarantees that nothing is
// sent twice (a chunk stored but not marked when the connection was cut is in it), so
// the marks are batched to spare the disk a sync per chunk.
const markEvery = 8

// uploadFile sends the chunks of one file that the cloud lacks.
func (e *Engine) uploadFile(ctx context.Context, cr ChunkRemote, epoch uint64, file []vault.ChunkInfo, rep *FileReport) (err error) {
	id := file[0].Ref.Attachment.String()
	info, err := cr.ChunkList(ctx, id)
	if err != nil {
		return err
	}
	have := make(map[int]bool, len(info.Chunks))
	for _, n := range info.Chunks {
		have[n] = true
	}
	var done []vault.ChunkRef
	defer func() {
		// What the cloud took is marked even when a later chunk failed.
		if merr := e.v.MarkUploaded(done...); merr != nil {
			err = errors.Join(err, merr)
		}
	}()
	for _, c := range file {
		if have[c.Ref.Index] {
			done = append(done, c.Ref)
			rep.Skipped++
			continue
		}
		sealed, err := e.v.SealedChunk(c.Ref)
		if err != nil {
			return err
		}
		err = cr.PutChunk(ctx, epoch, id, c.Ref.Index, sealed)
		switch apiCode(err) {
		case api.CodeAttachmentLimit:
			return fmt.Errorf("%w (%w)", ErrFileLimit, err)
		case api.CodeKeyEpochChanged:
			return ErrReplaced
		case api.CodeVaultNotFound:
			return ErrCloudWiped
		}
		if err != nil {
			return err
		}
		done = append(done, c.Ref)
		rep.Uploaded++
		if len(done) >= markEvery {
			if err := e.v.MarkUploaded(done...); err != nil {
				return err
			}
			done = done[:0]
		}
	}
	return nil
}

// download fetches the chunks that are not here (of file only, when it is not nil).
// The vault checks each before storing it; a chunk that fails is refused and the round
// stops with vault.ErrAttachmentCorrupt. Chunks the cloud does not have yet are left
// for later (ErrFileNotInCloud when only one file was asked for).
func (e *Engine) download(ctx context.Context, cr ChunkRemote, chunks []vault.ChunkInfo, file *vault.AttachmentID, rep *FileReport) error {
	want := func(c vault.ChunkInfo) bool { return !c.Here && (file == nil || c.Ref.Attachment == *file) }
	missing := false
	for _, f := range byFile(chunks, want) {
		id := f[0].Ref.Attachment.String()
		for _, c := range f {
			sealed, err := cr.GetChunk(ctx, id, c.Ref.Index)
			if apiCode(err) == api.CodeChunkNotFound {
				missing = true
				break // the rest of this file is not there either, most likely
			}
			if err != nil {
				return err
			}
			err = e.v.PutSealedChunk(c.Ref, sealed)
			if errors.Is(err, vault.ErrNoAttachment) {
				break // the file was removed meanwhile
			}
			if err != nil {
				return err
			}
			rep.Downloaded++
		}
	}
	if missing && file != nil {
		return ErrFileNotInCloud
	}
	return nil
}

// byFile groups the chunks that keep, by file in the order Chunks lists them.
func byFile(chunks []vault.ChunkInfo, keep func(vault.ChunkInfo) bool) [][]vault.ChunkInfo {
	var out [][]vault.ChunkInfo
	at := map[vault.AttachmentID]int{}
	for _, c := range chunks {
		if !keep(c) {
			continue
		}
		i, ok := at[c.Ref.Attachment]
		if !ok {
			i = len(out)
			at[c.Ref.Attachment] = i
			out = append(out, nil)
		}
		out[i] = append(out[i], c)
	}
	return out
}

// pendingChunks counts the chunks still to upload and to download.
func pendingChunks(chunks []vault.ChunkInfo) (up, down int) {
	for _, c := range chunks {
		switch {
		case c.Here && !c.Uploaded:
			up++
		case !c.Here:
			down++
		}
	}
	return up, down
}
