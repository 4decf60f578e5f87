package appcore

import (
	"errors"
	"slices"

	cloudsync "github.com/valvpm/valv/sync"
	"github.com/valvpm/valv/vault"
)

// readOnly returns why item id may not be changed: it is one of the new entries the
// plan's entry limit keeps on this computer (PRODUCT.md §1.6: over-limit entries are
// read-only, never deleted), as the last sync said. Deleting it stays possible, which
// is how the person chooses what the plan keeps.
func (c *Controller) readOnly(id vault.ID) error {
	st := c.SyncStatus()
	if le, ok := errors.AsType[*cloudsync.LimitError](st.Err); ok && slices.Contains(le.Held, id) {
		return st.Err
	}
	return nil
}

// ReadOnly reports whether item id is kept read-only by the plan's entry limit, so the
// detail view can say so instead of offering Edit.
func (c *Controller) ReadOnly(id vault.ID) bool { return c.readOnly(id) != nil }
