package cloud

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"

	"github.com/valvpm/valv/cloud/api"
	"github.com/valvpm/valv/cloud/store"
)

// The attachment endpoints: sealed chunks of attached files, each a request of its own
// so that an upload resumes chunk by chunk and no request holds more than one chunk.
// Like every vault call they are keyed by the signed-in account (a client cannot name
// another account's attachment), go through the vault gate (bounded in flight per
// account and in body memory server-wide), and the store counts every chunk against
// the plan's max_attachment_bytes.

func (s *Server) attachmentRoutes() {
	m := s.mux
	m.Handle(api.PathVaultAttachments+"{att}", methods{"GET": s.vaultH(nil, s.handleChunkList), "DELETE": s.vaultH(nil, s.handleDeleteAttachment)})
	m.Handle(api.PathVaultAttachments+"{att}/chunks/{n}", methods{"PUT": s.vaultH(s.chunkLimit, s.handlePutChunk), "GET": s.vaultH(nil, s.handleGetChunk)})
}

func (s *Server) chunkLimit(*http.Request) int64 { return int64(s.cfg.Limits.MaxChunkBytes) }

var errInvalidChunk = errf(http.StatusBadRequest, api.CodeInvalidChunk,
	"An attachment ID is 32 lowercase hexadecimal digits and a chunk index a number from 0 to %d.", api.MaxAttachmentChunks-1)

// chunkRef reads the attachment ID and, when withIndex, the chunk index of the path.
// The index is plain decimal (no sign, no leading zeros), so one chunk has one path.
func chunkRef(r *http.Request, withIndex bool) (string, int, error) {
	att, index := r.PathValue("att"), 0
	if withIndex {
		n := r.PathValue("n")
		if n == "" || len(n) > 3 || (n[0] == '0' && len(n) > 1) {
			return "", 0, errInvalidChunk
		}
		var err error
		if index, err = strconv.Atoi(n); err != nil || n[0] == '+' || n[0] == '-' {
			return "", 0, errInvalidChunk
		}
	}
	if store.CheckChunkRef(att, index) != nil {
		return "", 0, errInvalidChunk
	}
	return att, index, nil
}

func (s *Server) handleChunkList(w http.ResponseWriter, r *http.Request, a *authCtx) error {
	att, _, err := chunkRef(r, false)
	if err != nil {
		return err
	}
	out, err := s.st.Chunks(a.acct.ID, att)
	return vaultResult(w, out, err)
}

func (s *Server) handleDeleteAttachment(w http.ResponseWriter, r *http.Request, a *authCtx) error {
	att, _, err := chunkRef(r, false)
	if err != nil {
		return err
	}
	if err := s.st.DeleteAttachment(a.acct.ID, att); err != nil {
		return vaultErr(err)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) handleGetChunk(w http.ResponseWriter, r *http.Request, a *authCtx) error {
	att, index, err := chunkRef(r, true)
	if err != nil {
		return err
	}
	data, err := s.st.Chunk(a.acct.ID, att, index)
	if errors.Is(err, store.ErrNotFound) {
		return errf(http.StatusNotFound, api.CodeChunkNotFound, "The cloud does not have this part of the file (not uploaded yet, or the file was removed).")
	}
	if err != nil {
		return vaultErr(err)
	}
	w.Header().Set("Content-Type", api.ContentTypeChunk)
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(data) // the status is sent; a broken connection has no one left to tell
	return nil
}

// handlePutChunk stores one sealed chunk. Everything that can be refused without the
// body (the path, the epoch, the content type, a declared length over the limit) is
// refused before a byte of it is read.
func (s *Server) handlePutChunk(w http.ResponseWriter, r *http.Request, a *authCtx) error {
	att, index, err := chunkRef(r, true)
	if err != nil {
		return err
	}
	epoch, err := strconv.ParseUint(r.URL.Query().Get("epoch"), 10, 64)
	if err != nil || epoch == 0 {
		return errf(http.StatusBadRequest, api.CodeBadRequest, "epoch must be the vault's key epoch.")
	}
	if ct := r.Header.Get("Content-Type"); ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != api.ContentTypeChunk {
			return errf(http.StatusUnsupportedMediaType, api.CodeBadRequest, "Send a chunk as %s.", api.ContentTypeChunk)
		}
	}
	limit := s.chunkLimit(r)
	if r.ContentLength > limit {
		return errBodyTooLarge(limit)
	}
	// MaxBytesReader also tells the server to close the connection rather than drain
	// the rest of an oversized body.
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return errBodyTooLarge(limit)
	}
	if err != nil {
		return errf(http.StatusBadRequest, api.CodeBadRequest, "The request body could not be read.")
	}
	lim, err := s.vaultLimits(a.acct.ID)
	if err != nil {
		return err
	}
	if err := s.st.PutChunk(a.acct.ID, epoch, att, index, data, lim); err != nil {
		return vaultErr(err)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// attachmentLimitErr is the answer for a chunk over the plan's attachment bytes.
func attachmentLimitErr(max int64) *apiErr {
	e := errf(http.StatusForbidden, api.CodeAttachmentLimit, "Your plan keeps up to %s of attached files in the cloud.", byteSize(max))
	e.body.MaxAttachmentBytes = max
	return e
}

// byteSize writes a plan's bound as people read it.
func byteSize(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}
