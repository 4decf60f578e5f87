package store

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/valvpm/valv/cloud/api"
)

// vaultChannel is the LISTEN/NOTIFY channel of vault changes; the payload is the
// account ID. A notice is sent inside the changing transaction, so it reaches the
// replicas when, and only if, the change commits.
const vaultChannel = "valv_vault"

// pgVault is one account's row of the vaults table.
type pgVault struct {
	id     []byte
	header []byte // nil: no vault (never created, or wiped)
	meta   vaultMeta
}

// lockVault reads the account's vault row FOR UPDATE, creating it when create; a
// push waits here for the account's previous push to commit.
func lockVault(ctx context.Context, tx pgx.Tx, accountID string, create bool) (*pgVault, error) {
	v := &pgVault{id: []byte(accountID)}
	if create {
		if _, err := tx.Exec(ctx, "INSERT INTO vaults (account_id) VALUES ($1) ON CONFLICT DO NOTHING", v.id); err != nil {
			return nil, err
		}
	}
	return v, v.scan(tx.QueryRow(ctx, "SELECT "+vaultColumns+" FROM vaults WHERE account_id = $1 FOR UPDATE", v.id))
}

func readVault(ctx context.Context, tx pgx.Tx, accountID string) (*pgVault, error) {
	v := &pgVault{id: []byte(accountID)}
	return v, v.scan(tx.QueryRow(ctx, "SELECT "+vaultColumns+" FROM vaults WHERE account_id = $1", v.id))
}

// vaultColumns are the columns of a vault row that scan reads.
const vaultColumns = "header, latest_change, bytes, entries, epoch, attachment_bytes"

func (v *pgVault) scan(row pgx.Row) error {
	var latest, epoch int64
	err := row.Scan(&v.header, &latest, &v.meta.Bytes, &v.meta.Entries, &epoch, &v.meta.AttachmentBytes)
	if errors.Is(err, pgx.ErrNoRows) {
		return ErrVaultNotFound
	}
	v.meta.LatestChange, v.meta.Epoch = uint64(latest), uint64(epoch)
	return err
}

func (v *pgVault) headerOut() (*api.VaultHeader, error) {
	h, err := decodeJSON[api.VaultHeader](v.header)
	if errors.Is(err, ErrNotFound) {
		return nil, ErrVaultNotFound
	}
	if err != nil {
		return nil, err
	}
	h.LatestChange = v.meta.LatestChange
	return h, nil
}

// save writes the row back and announces the change.
func (v *pgVault) save(ctx context.Context, tx pgx.Tx) error {
	_, err := tx.Exec(ctx, "UPDATE vaults SET header = $2, latest_change = $3, bytes = $4, entries = $5, epoch = $6, attachment_bytes = $7 WHERE account_id = $1",
		v.id, v.header, int64(v.meta.LatestChange), v.meta.Bytes, v.meta.Entries, int64(v.meta.Epoch), v.meta.AttachmentBytes)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, "SELECT pg_notify($1, $2)", vaultChannel, string(v.id))
	return err
}

// clear drops header, items and attachments but keeps the counters.
func (v *pgVault) clear(ctx context.Context, tx pgx.Tx) error {
	v.header, v.meta.Bytes, v.meta.Entries, v.meta.AttachmentBytes = nil, 0, 0, 0
	if _, err := tx.Exec(ctx, "DELETE FROM vault_chunks WHERE account_id = $1", v.id); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, "DELETE FROM vault_items WHERE account_id = $1", v.id)
	return err
}

// writeItems stores items under the next change numbers, in their order.
func (v *pgVault) writeItems(ctx context.Context, tx pgx.Tx, items []api.PushItem) ([]api.PushResult, error) {
	if len(items) == 0 {
		return nil, nil
	}
	ids, blobs := make([][]byte, len(items)), make([][]byte, len(items))
	changes, deleted := make([]int64, len(items)), make([]bool, len(items))
	out := make([]api.PushResult, len(items))
	for i, p := range items {
		v.meta.LatestChange++
		ids[i], changes[i], deleted[i], blobs[i] = []byte(p.ID), int64(v.meta.LatestChange), p.Deleted, []byte{}
		if !p.Deleted && p.Blob != nil {
			blobs[i] = p.Blob
		}
		out[i] = api.PushResult{ID: p.ID, Change: v.meta.LatestChange}
	}
	_, err := tx.Exec(ctx, `INSERT INTO vault_items (account_id, id, change, deleted, blob)
		SELECT $1, i, c, d, b FROM unnest($2::bytea[], $3::bigint[], $4::boolean[], $5::bytea[]) AS t (i, c, d, b)
		ON CONFLICT (account_id, id) DO UPDATE SET change = EXCLUDED.change, deleted = EXCLUDED.deleted, blob = EXCLUDED.blob`,
		v.id, ids, changes, deleted, blobs)
	return out, err
}

// items reads the stored items among ids, with their blobs when withBlobs (else only
// their lengths, in blobLen).
func (v *pgVault) items(ctx context.Context, tx pgx.Tx, ids [][]byte, withBlobs bool) (map[string]*api.VaultItem, map[string]int, error) {
	col := "octet_length(blob), NULL::bytea"
	if withBlobs {
		col = "octet_length(blob), blob"
	}
	rows, err := tx.Query(ctx, "SELECT id, change, deleted, "+col+" FROM vault_items WHERE account_id = $1 AND id = ANY($2)", v.id, ids)
	if err != nil {
		return nil, nil, err
	}
	items, lens := map[string]*api.VaultItem{}, map[string]int{}
	var id []byte
	var change int64
	var it api.VaultItem
	var n int
	_, err = pgx.ForEachRow(rows, []any{&id, &change, &it.Deleted, &n, &it.Blob}, func() error {
		it.ID, it.Change = string(id), uint64(change)
		if len(it.Blob) == 0 {
			it.Blob = nil
		}
		c := it
		items[c.ID], lens[c.ID] = &c, n
		it.Blob = nil
		return nil
	})
	return items, lens, err
}

// VaultHeader implements Store.
func (s *Postgres) VaultHeader(accountID string) (*api.VaultHeader, error) {
	var h *api.VaultHeader
	err := s.read(func(ctx context.Context, tx pgx.Tx) error {
		v, err := readVault(ctx, tx, accountID)
		if err == nil {
			h, err = v.headerOut()
		}
		return err
	})
	return h, err
}

// PutVaultHeader implements Store.
func (s *Postgres) PutVaultHeader(accountID string, h api.VaultHeader) (*api.VaultHeader, error) {
	if err := checkHeader(h); err != nil {
		return nil, err
	}
	var out *api.VaultHeader
	err := s.write(func(ctx context.Context, tx pgx.Tx) error {
		v, err := lockVault(ctx, tx, accountID, true)
		if err != nil {
			return err
		}
		cur, err := v.headerOut()
		switch {
		case errors.Is(err, ErrVaultNotFound):
			if h.KeyEpoch <= v.meta.Epoch {
				return &EpochError{Current: v.meta.Epoch}
			}
			v.meta.Epoch = h.KeyEpoch
		case err != nil:
			return err
		case cur.VaultID != h.VaultID:
			return ErrVaultExists
		case cur.KeyEpoch != h.KeyEpoch:
			return &EpochError{Current: cur.KeyEpoch}
		}
		if v.header, err = headerRecord(h); err != nil {
			return err
		}
		if err := v.save(ctx, tx); err != nil {
			return err
		}
		out, err = v.headerOut()
		return err
	})
	return out, err
}

// Push implements Store.
func (s *Postgres) Push(accountID string, req api.PushRequest, lim Limits) (*api.PushResponse, error) {
	if err := checkItems(req.Items, lim, lim.MaxPushBytes); err != nil {
		return nil, err
	}
	var out api.PushResponse
	err := s.write(func(ctx context.Context, tx pgx.Tx) error {
		v, err := lockVault(ctx, tx, accountID, false)
		if err != nil {
			return err
		}
		h, err := v.headerOut()
		if err != nil {
			return err
		}
		if h.KeyEpoch != req.KeyEpoch {
			return &EpochError{Current: h.KeyEpoch}
		}
		ids := make([][]byte, len(req.Items))
		for i, p := range req.Items {
			ids[i] = []byte(p.ID)
		}
		stored, lens, err := v.items(ctx, tx, ids, false)
		if err != nil {
			return err
		}
		cur := make([]storedItem, len(req.Items))
		for i, p := range req.Items {
			if old := stored[p.ID]; old != nil {
				cur[i] = storedItem{found: true, change: old.Change, deleted: old.Deleted, blobLen: lens[p.ID]}
			}
		}
		plan, stale, err := planPush(req.Items, cur, v.meta, lim)
		if err != nil {
			return err
		}
		if len(stale) > 0 {
			return v.conflicts(ctx, tx, req.Items, stale, lim)
		}
		if out.Items, err = v.writeItems(ctx, tx, req.Items); err != nil {
			return err
		}
		v.meta.Bytes, v.meta.Entries = plan.bytes, plan.entries
		out.LatestChange = v.meta.LatestChange
		return v.save(ctx, tx)
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// conflicts reads the stale items' blobs for the conflict answer.
func (v *pgVault) conflicts(ctx context.Context, tx pgx.Tx, items []api.PushItem, stale []int, lim Limits) error {
	ids := make([][]byte, len(stale))
	for j, i := range stale {
		ids[j] = []byte(items[i].ID)
	}
	found, _, err := v.items(ctx, tx, ids, true)
	if err != nil {
		return err
	}
	stored := make([]*api.VaultItem, len(items))
	for _, i := range stale {
		stored[i] = found[items[i].ID]
	}
	return conflictAnswer(items, stale, stored, lim.MaxPullBytes)
}

// Pull implements Store: the page is decided on the blobs' lengths first, so a page
// reads no blob it will not return.
func (s *Postgres) Pull(accountID string, since uint64, limit int, lim Limits) (*api.PullResponse, error) {
	page := pullPage{limit: pullLimit(limit), maxBytes: lim.MaxPullBytes}
	out := api.PullResponse{Items: []api.VaultItem{}, Next: since}
	err := s.read(func(ctx context.Context, tx pgx.Tx) error {
		v, err := readVault(ctx, tx, accountID)
		if err != nil {
			return err
		}
		h, err := v.headerOut()
		if err != nil {
			return err
		}
		out.KeyEpoch, out.LatestChange = h.KeyEpoch, h.LatestChange
		if since > h.LatestChange {
			return ErrSinceAhead
		}
		rows, err := tx.Query(ctx, `SELECT change, octet_length(blob) FROM vault_items
			WHERE account_id = $1 AND change > $2 ORDER BY change LIMIT $3`, v.id, int64(since), page.limit+1)
		if err != nil {
			return err
		}
		var change int64
		var n int
		last := since
		_, err = pgx.ForEachRow(rows, []any{&change, &n}, func() error {
			if !out.More && page.take(n) {
				last = uint64(change)
			} else {
				out.More = true // this item starts the next page
			}
			return nil
		})
		if err != nil || last == since {
			return err
		}
		return v.page(ctx, tx, since, last, &out)
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// page reads the items of changes (since, last] into out.
func (v *pgVault) page(ctx context.Context, tx pgx.Tx, since, last uint64, out *api.PullResponse) error {
	rows, err := tx.Query(ctx, `SELECT id, change, deleted, blob FROM vault_items
		WHERE account_id = $1 AND change > $2 AND change <= $3 ORDER BY change`, v.id, int64(since), int64(last))
	if err != nil {
		return err
	}
	var id []byte
	var change int64
	var it api.VaultItem
	_, err = pgx.ForEachRow(rows, []any{&id, &change, &it.Deleted, &it.Blob}, func() error {
		it.ID, it.Change = string(id), uint64(change)
		if len(it.Blob) == 0 {
			it.Blob = nil
		}
		out.Items = append(out.Items, it)
		it.Blob = nil
		return nil
	})
	out.Next = last
	return err
}

// Replace implements Store.
func (s *Postgres) Replace(accountID string, h api.VaultHeader, items []api.PushItem, lim Limits) (*api.ReplaceResponse, error) {
	plan, err := checkReplace(h, items, lim)
	if err != nil {
		return nil, err
	}
	var out api.ReplaceResponse
	err = s.write(func(ctx context.Context, tx pgx.Tx) error {
		v, err := lockVault(ctx, tx, accountID, true)
		if err != nil {
			return err
		}
		if h.KeyEpoch <= v.meta.Epoch {
			return &EpochError{Current: v.meta.Epoch}
		}
		if err := v.clear(ctx, tx); err != nil {
			return err
		}
		v.meta.Epoch = h.KeyEpoch
		if v.header, err = headerRecord(h); err != nil {
			return err
		}
		if _, err := v.writeItems(ctx, tx, items); err != nil {
			return err
		}
		v.meta.Bytes, v.meta.Entries = plan.bytes, plan.entries
		out = api.ReplaceResponse{KeyEpoch: v.meta.Epoch, LatestChange: v.meta.LatestChange}
		return v.save(ctx, tx)
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// Wipe implements Store.
func (s *Postgres) Wipe(accountID string) (*api.ReplaceResponse, error) {
	var out api.ReplaceResponse
	err := s.write(func(ctx context.Context, tx pgx.Tx) error {
		v, err := lockVault(ctx, tx, accountID, true)
		if err != nil {
			return err
		}
		if v.meta.Epoch >= api.MaxKeyEpoch {
			return ErrEpochLimit
		}
		if err := v.clear(ctx, tx); err != nil {
			return err
		}
		v.meta.Epoch++
		out = api.ReplaceResponse{KeyEpoch: v.meta.Epoch, LatestChange: v.meta.LatestChange}
		return v.save(ctx, tx)
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}
