package store

import (
	"github.com/valvpm/valv/cloud/api"
)

// The attachment rules both backends apply: which IDs and indexes are valid, what a
// chunk counts, and when a chunk is refused for the plan's bound.

// CheckChunkRef validates an attachment ID (32 lowercase hex digits: the client's
// random ID, never a path or a name) and a chunk index: ErrInvalidChunk. The server
// asks before it reads a body; every Store method asks again.
func CheckChunkRef(att string, index int) error {
	if len(att) != api.AttachmentIDLen || index < 0 || index >= api.MaxAttachmentChunks {
		return ErrInvalidChunk
	}
	for i := range len(att) {
		if c := att[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return ErrInvalidChunk
		}
	}
	return nil
}

// checkChunk validates a chunk before anything is read or written.
func checkChunk(att string, index int, data []byte, lim Limits) error {
	if err := CheckChunkRef(att, index); err != nil {
		return err
	}
	if lim.MaxChunkBytes > 0 && len(data) > lim.MaxChunkBytes {
		return ErrChunkTooLarge
	}
	return nil
}

// chunkSize is what one stored chunk counts towards the account's attachment bytes.
func chunkSize(n int) int64 { return api.ChunkOverheadBytes + int64(n) }

// planChunk is the account's attachment bytes after storing a chunk of newLen bytes
// in place of one of oldLen (−1: none stored), or the refusal. As with the vault's
// size, only growth past the bound is refused: a lowered bound never blocks shrinking.
func planChunk(cur int64, oldLen, newLen int, lim Limits) (int64, error) {
	next := cur + chunkSize(newLen)
	if oldLen >= 0 {
		next -= chunkSize(oldLen)
	}
	if lim.MaxAttachmentBytes > 0 && next > lim.MaxAttachmentBytes && next > cur {
		return cur, &AttachmentLimitError{Max: lim.MaxAttachmentBytes}
	}
	return next, nil
}

// chunkEpoch checks that a chunk is sent for the vault's current key epoch: a device
// that has not noticed a replace or reset cannot leave chunks of the old vault behind.
func chunkEpoch(h *api.VaultHeader, epoch uint64) error {
	if h.KeyEpoch != epoch {
		return &EpochError{Current: h.KeyEpoch}
	}
	return nil
}
