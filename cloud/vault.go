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
		return errf(http.StatusBadRequest, api.CodeInvalidHeader, "The vault header needs a vault ID, a key epoch above 0 and a wrapped key.")
	}
	return err
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
	out, err := s.st.Pull(a.acct.ID, since, limit)
	return vaultResult(w, out, err)
}

func (s *Server) handlePush(w http.ResponseWriter, r *http.Request, a *authCtx) error {
	var req api.PushRequest
	if err := s.readJSONLimit(r, s.cfg.MaxVaultBodyBytes, &req); err != nil {
		return err
	}
	out, err := s.st.Push(a.acct.ID, req, s.cfg.Limits)
	return vaultResult(w, out, err)
}

// handleReplace swaps the whole cloud vault: replace_cloud_vault or, for a new vault
// after a forgotten master password, reset_master_password.
func (s *Server) handleReplace(w http.ResponseWriter, r *http.Request, a *authCtx) error {
	var req api.ReplaceRequest
	if err := s.readJSONLimit(r, s.cfg.MaxVaultBodyBytes, &req); err != nil {
		return err
	}
	// Validate before burning the token, so a malformed request can be fixed and resent.
	if req.Header.VaultID == "" || len(req.Header.WrappedKey) == 0 || req.Header.KeyEpoch == 0 {
		return vaultErr(store.ErrInvalidHeader)
	}
	if _, err := s.useActionToken(r, a.acct.ID, api.ActionReplaceCloudVault, api.ActionResetMasterPassword); err != nil {
		return err
	}
	out, err := s.st.Replace(a.acct.ID, req.Header, req.Items, s.cfg.Limits)
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
