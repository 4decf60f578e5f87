package cloud

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/valvpm/valv/cloud/api"
	"github.com/valvpm/valv/cloud/store"
)

// vaultErr maps store errors to API errors. Every vault call is keyed by the signed-in
// account's ID, never by a client-supplied one: that is what keeps vaults apart.
func vaultErr(err error) error {
	var ce *store.ConflictError
	var ee *store.EpochError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ce):
		e := errf(http.StatusConflict, api.CodeConflict, "Some items changed on another device since you edited them.")
		e.body.Conflicts = ce.Items
		return e
	case errors.As(err, &ee):
		e := errf(http.StatusConflict, api.CodeKeyEpochChanged, "The cloud vault was replaced or reset on another device.")
		e.body.KeyEpoch = ee.Current
		return e
	case errors.Is(err, store.ErrVaultNotFound):
		return errf(http.StatusNotFound, api.CodeVaultNotFound, "There is no cloud vault for this account yet.")
	case errors.Is(err, store.ErrVaultExists):
		return errf(http.StatusConflict, api.CodeVaultExists, "This account already has another cloud vault.")
	case errors.Is(err, store.ErrItemTooLarge):
		return errf(http.StatusRequestEntityTooLarge, api.CodeItemTooLarge, "An item is larger than the cloud allows.")
	case errors.Is(err, store.ErrVaultTooLarge):
		return errf(http.StatusRequestEntityTooLarge, api.CodeVaultTooLarge, "The cloud vault would be larger than the cloud allows.")
	case errors.Is(err, store.ErrTooManyItems):
		return errf(http.StatusRequestEntityTooLarge, api.CodeTooManyItems, "Too many items in one request; send them in smaller batches.")
	case errors.Is(err, store.ErrInvalidItem):
		return errf(http.StatusBadRequest, api.CodeInvalidItem, "An item ID is empty, too long or repeated.")
	case errors.Is(err, store.ErrInvalidHeader):
		return errf(http.StatusBadRequest, api.CodeInvalidHeader, "The vault header needs a vault ID, a key epoch from 1 to %d and a wrapped key.", uint64(api.MaxKeyEpoch))
	case errors.Is(err, store.ErrPushTooLarge):
		return errf(http.StatusRequestEntityTooLarge, api.CodeBodyTooLarge, "The items of one push are too large together; send them in smaller batches.")
	case errors.Is(err, store.ErrEpochLimit):
		return errf(http.StatusConflict, api.CodeKeyEpochLimit, "This cloud vault has been reset too many times to be reset again.")
	case errors.Is(err, store.ErrInvalidChunk):
		return errInvalidChunk
	case errors.Is(err, store.ErrChunkTooLarge):
		return errf(http.StatusRequestEntityTooLarge, api.CodeBodyTooLarge, "A part of a file is larger than the cloud allows.")
	case errors.Is(err, store.ErrSinceAhead):
		return errf(http.StatusBadRequest, api.CodeBadRequest, "since is beyond the latest change of this vault.")
	}
	var al *store.AttachmentLimitError
	if errors.As(err, &al) {
		return attachmentLimitErr(al.Max)
	}
	var le *store.EntryLimitError
	if errors.As(err, &le) {
		e := errf(http.StatusForbidden, api.CodeEntryLimit, "Your plan keeps up to %d entries; the rest stay read-only.", le.Max)
		e.body.MaxEntries = le.Max
		return e
	}
	return err
}

// vaultLimits are the store's limits for this account: the server's, with the entry
// limit of the plan the account runs on.
func (s *Server) vaultLimits(acctID string) (store.Limits, error) {
	lim := s.cfg.Limits
	subs, err := s.subscriptions(acctID)
	if err != nil {
		return lim, err
	}
	lim.MaxEntries = subs.Effective.MaxEntries
	lim.MaxAttachmentBytes = subs.Effective.MaxAttachmentBytes
	return lim, nil
}

// vaultH serves a vault endpoint inside the account's vault gate, with body bytes of
// memory reserved (0 for requests without a body).
func (s *Server) vaultH(body func(r *http.Request) int64, fn func(w http.ResponseWriter, r *http.Request, a *authCtx) error) http.HandlerFunc {
	return s.authed(func(w http.ResponseWriter, r *http.Request, a *authCtx) error {
		n := int64(0)
		if body != nil {
			if n = body(r); r.ContentLength >= 0 && r.ContentLength < n {
				n = r.ContentLength // it cannot send more than it declared
			}
		}
		done, err := s.gate.enter(r.Context(), a.acct.ID, n)
		if err != nil {
			return err
		}
		defer done()
		return fn(w, r, a)
	})
}

func (s *Server) pushLimit(*http.Request) int64    { return pushBodyLimit(s.cfg.Limits) }
func (s *Server) replaceLimit(*http.Request) int64 { return s.cfg.MaxVaultBodyBytes }

// vaultRoutes are the cloud vault's endpoints, each inside the vault gate but the wait.
func (s *Server) vaultRoutes() {
	m := s.mux
	m.Handle(api.PathVault, methods{"GET": s.vaultH(nil, s.handleGetHeader), "PUT": s.vaultH(nil, s.handlePutHeader)})
	m.Handle(api.PathVaultChanges, methods{"GET": s.vaultH(nil, s.handlePull)})
	m.Handle(api.PathVaultPush, methods{"POST": s.vaultH(s.pushLimit, s.handlePush)})
	m.Handle(api.PathVaultReplace, methods{"POST": s.vaultH(s.replaceLimit, s.handleReplace)})
	m.Handle(api.PathVaultWipe, methods{"POST": s.vaultH(nil, s.handleWipe)})
	m.Handle(api.PathVaultWait, methods{"GET": s.authed(s.handleVaultWait)})
	s.attachmentRoutes()
}

// vaultResult answers a vault call: out as JSON, or err as the API error it maps to.
func vaultResult[T any](w http.ResponseWriter, out T, err error) error {
	if err != nil {
		return vaultErr(err)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) handleGetHeader(w http.ResponseWriter, r *http.Request, a *authCtx) error {
	h, err := s.st.VaultHeader(a.acct.ID)
	return vaultResult(w, h, err)
}

func (s *Server) handlePutHeader(w http.ResponseWriter, r *http.Request, a *authCtx) error {
	var req api.PutHeaderRequest
	if err := s.readJSON(r, &req); err != nil {
		return err
	}
	if err := checkVaultHeader(req.Header); err != nil {
		return err
	}
	h, err := s.st.PutVaultHeader(a.acct.ID, req.Header)
	return vaultResult(w, h, err)
}

func (s *Server) handlePull(w http.ResponseWriter, r *http.Request, a *authCtx) error {
	q := r.URL.Query()
	since, limit := uint64(0), api.DefaultPullLimit
	var err error
	if v := q.Get("since"); v != "" {
		if since, err = strconv.ParseUint(v, 10, 64); err != nil {
			return errf(http.StatusBadRequest, api.CodeBadRequest, "since must be a change number.")
		}
	}
	if v := q.Get("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit < 1 || limit > api.MaxPullLimit {
			return errf(http.StatusBadRequest, api.CodeBadRequest, "limit must be between 1 and %d.", api.MaxPullLimit)
		}
	}
	out, err := s.st.Pull(a.acct.ID, since, limit, s.cfg.Limits)
	return vaultResult(w, out, err)
}

func (s *Server) handlePush(w http.ResponseWriter, r *http.Request, a *authCtx) error {
	lim, err := s.vaultLimits(a.acct.ID)
	if err != nil {
		return err
	}
	body, err := s.vaultBody(w, r, pushBodyLimit(lim))
	if err != nil {
		return err
	}
	req, err := decodePush(body, lim)
	if err != nil {
		return err
	}
	out, err := s.st.Push(a.acct.ID, *req, lim)
	return vaultResult(w, out, err)
}

// handleReplace swaps the whole cloud vault: replace_cloud_vault or, for a new vault
// after a forgotten master password, reset_master_password.
func (s *Server) handleReplace(w http.ResponseWriter, r *http.Request, a *authCtx) error {
	lim, err := s.vaultLimits(a.acct.ID)
	if err != nil {
		return err
	}
	// The token is looked at before the body is read, so nobody without one makes the
	// server read a whole vault; it is spent only once the request proves well formed,
	// so a malformed one can be fixed and resent.
	if err := s.peekActionToken(r, a.acct.ID, api.ActionReplaceCloudVault, api.ActionResetMasterPassword); err != nil {
		return err
	}
	body, err := s.vaultBody(w, r, s.cfg.MaxVaultBodyBytes)
	if err != nil {
		return err
	}
	req, err := decodeReplace(body, lim)
	if err != nil {
		return err
	}
	if err := checkVaultHeader(req.Header); err != nil {
		return err
	}
	if _, err := s.useActionToken(r, a.acct.ID, api.ActionReplaceCloudVault, api.ActionResetMasterPassword); err != nil {
		return err
	}
	out, err := s.st.Replace(a.acct.ID, req.Header, req.Items, lim)
	return vaultResult(w, out, err)
}

// handleWipe deletes the cloud vault: clear_vault or reset_master_password.
func (s *Server) handleWipe(w http.ResponseWriter, r *http.Request, a *authCtx) error {
	if _, err := s.useActionToken(r, a.acct.ID, api.ActionClearVault, api.ActionResetMasterPassword); err != nil {
		return err
	}
	out, err := s.st.Wipe(a.acct.ID)
	return vaultResult(w, out, err)
}
