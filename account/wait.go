package account

import (
	"context"
	"fmt"
	"net/http"

	"github.com/valvpm/valv/cloud/api"
)

// WaitVault is live sync's long poll: it returns the cloud vault's state as soon as
// its latest change is not since or its key epoch not epoch (0: any), or after the
// server's hold (api.VaultWaitHold) unchanged.
func (c *Client) WaitVault(ctx context.Context, epoch, since uint64) (*api.VaultState, error) {
	var st api.VaultState
	return &st, c.do(ctx, http.MethodGet, fmt.Sprintf("%s?since=%d&epoch=%d", api.PathVaultWait, since, epoch), nil, &st, true)
}
