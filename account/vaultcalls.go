package account

import (
	"context"
	"fmt"
	"net/http"

	"github.com/valvpm/valv/cloud/api"
)

// The cloud vault store and the dangerous actions. Client satisfies the sync engine's
// Remote interface with these, so the engine never sees tokens or HTTP.

// VaultHeader returns the account's cloud vault header (api.CodeVaultNotFound when none).
func (c *Client) VaultHeader(ctx context.Context) (*api.VaultHeader, error) {
	var h api.VaultHeader
	return &h, c.do(ctx, http.MethodGet, api.PathVault, nil, &h, true)
}

// PutVaultHeader creates the cloud vault's header, or updates it after a master
// password change (same vault ID and epoch).
func (c *Client) PutVaultHeader(ctx context.Context, h api.VaultHeader) (*api.VaultHeader, error) {
	var out api.VaultHeader
	return &out, c.do(ctx, http.MethodPut, api.PathVault, api.PutHeaderRequest{Header: h}, &out, true)
}

// Pull returns the items changed after since.
func (c *Client) Pull(ctx context.Context, since uint64, limit int) (*api.PullResponse, error) {
	var r api.PullResponse
	return &r, c.do(ctx, http.MethodGet, fmt.Sprintf("%s?since=%d&limit=%d", api.PathVaultChanges, since, limit), nil, &r, true)
}

// Push sends local changes, all or nothing.
func (c *Client) Push(ctx context.Context, req api.PushRequest) (*api.PushResponse, error) {
	var r api.PushResponse
	return &r, c.do(ctx, http.MethodPost, api.PathVaultPush, req, &r, true)
}

// ReplaceVault swaps the whole cloud vault; it needs an action token.
func (c *Client) ReplaceVault(ctx context.Context, token string, req api.ReplaceRequest) (*api.ReplaceResponse, error) {
	var r api.ReplaceResponse
	return &r, c.doHeader(ctx, http.MethodPost, api.PathVaultReplace, http.Header{api.HeaderActionToken: {token}}, req, &r, true)
}

// WipeVault deletes the cloud vault; it needs an action token.
func (c *Client) WipeVault(ctx context.Context, token string) (*api.ReplaceResponse, error) {
	var r api.ReplaceResponse
	return &r, c.doHeader(ctx, http.MethodPost, api.PathVaultWipe, http.Header{api.HeaderActionToken: {token}}, nil, &r, true)
}

// RequestActionCode e-mails a 6-digit code that confirms one dangerous action.
func (c *Client) RequestActionCode(ctx context.Context, action api.Action) (*api.ActionCodeResponse, error) {
	var r api.ActionCodeResponse
	return &r, c.do(ctx, http.MethodPost, api.PathActionCodes, api.ActionCodeRequest{Action: action}, &r, true)
}

// ActionToken trades the e-mailed code for a one-time token bound to the action.
func (c *Client) ActionToken(ctx context.Context, action api.Action, code string) (string, error) {
	var r api.ActionTokenResponse
	if err := c.do(ctx, http.MethodPost, api.PathActionTokens, api.ActionTokenRequest{Action: action, Code: code}, &r, true); err != nil {
		return "", err
	}
	return r.ActionToken, nil
}

// Reauth confirms a dangerous action with the account password; with two-step
// verification on, the first answer carries an SMS challenge to finish with the code.
func (c *Client) Reauth(ctx context.Context, req api.ReauthRequest) (*api.ActionTokenResponse, error) {
	var r api.ActionTokenResponse
	return &r, c.do(ctx, http.MethodPost, api.PathActionReauth, req, &r, true)
}
