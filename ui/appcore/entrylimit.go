package appcore

import (
	"slices"

	"github.com/valvpm/valv/vault"
)

// readOnly returns why item id may not be changed: it is one of the new entries the
// plan's entry limit keeps on this computer (PRODUCT.md §1.6: over-limit entries are
// read-only, never deleted), as the last finished sync said — also while the next one
// runs. Deleting it stays possible, which is how the person chooses what the plan keeps.
func (c *Controller) readOnly(id vault.ID) error {
	c.cloud.mu.Lock()
	defer c.cloud.mu.Unlock()
	if h := c.cloud.held; h != nil && slices.Contains(h.Held, id) {
		return h
	}
	return nil
}

// ReadOnly reports whether item id is kept read-only by the plan's entry limit, so the
// detail view can say so instead of offering Edit.
func (c *Controller) ReadOnly(id vault.ID) bool { return c.readOnly(id) != nil }
