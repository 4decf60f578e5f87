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
	return v, v.scan(tx.QueryRow(ctx, lockVaultSQL, v.id))
}

// readVaultSQL reads an account's vault row ($1).
const readVaultSQL = "SELECT " + vaultColumns + " FROM vaults WHERE account_id = $1"

// lockVaultSQL reads and locks an account's vault row ($1).
const lockVaultSQL = "SELECT " + vaultColumns + " FROM vaults WHERE account_id = $1 FOR UPDATE"

func readVault(ctx context.Context, tx querier, accountID string) (*pgVault, error) {
	v := &pgVault{id: []byte(accountID)}
	return v, v.scan(tx.QueryRow(ctx, readVaultSQL, v.id))
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

// save writes the row back and announces the change, in one statement.
func (v *pgVault) save(ctx context.Context, tx pgx.Tx) error {
	b := &pgx.Batch{}
	v.queueSave(b)
	return tx.SendBatch(ctx, b).Close()
}

// saveVaultSQL writes a vault row back and announces the change.
const saveVaultSQL = `WITH saved AS (UPDATE vaults SET header = $2, latest_change = $3, bytes = $4, entries = $5, epoch = $6,
		attachment_bytes = $7 WHERE account_id = $1)
	SELECT pg_notify($8, $9)`

// queueSave queues save's statement on b.
func (v *pgVault) queueSave(b *pgx.Batch) {
	b.Queue(saveVaultSQL,
		v.id, v.header, int64(v.meta.LatestChange), v.meta.Bytes, v.meta.Entries, int64(v.meta.Epoch), v.meta.AttachmentBytes,
		vaultChannel, string(v.id))
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
	b := &pgx.Batch{}
	out := v.queueItems(b, items)
	if b.Len() == 0 {
		return out, nil
	}
	return out, tx.SendBatch(ctx, b).Close()
}

// writeItemsSQL stores items ($2…$5: IDs, changes, deleted, blobs) of account $1.
const writeItemsSQL = `INSERT INTO vault_items (account_id, id, change, deleted, blob)
	SELECT $1, i, c, d, b FROM unnest($2::bytea[], $3::bigint[], $4::boolean[], $5::bytea[]) AS t (i, c, d, b)
	ON CONFLICT (account_id, id) DO UPDATE SET change = EXCLUDED.change, deleted = EXCLUDED.deleted, blob = EXCLUDED.blob`

// queueItems queues writeItems' statement on b (none for no items).
func (v *pgVault) queueItems(b *pgx.Batch, items []api.PushItem) []api.PushResult {
	if len(items) == 0 {
		return nil
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
	b.Queue(writeItemsSQL, v.id, ids, changes, deleted, blobs)
	return out
}

// items reads the stored items among ids, with their blobs when withBlobs (else only
// their lengths, in blobLen).
func (v *pgVault) items(ctx context.Context, tx pgx.Tx, ids [][]byte, withBlobs bool) (map[string]*api.VaultItem, map[string]int, error) {
	return scanItems(tx.Query(ctx, itemsSQL(withBlobs), v.id, ids))
}

// itemsSQL is items' query: $1 the account, $2 the IDs.
func itemsSQL(withBlobs bool) string {
	col := "octet_length(blob), NULL::bytea"
	if withBlobs {
		col = "octet_length(blob), blob"
	}
	return "SELECT id, change, deleted, " + col + " FROM vault_items WHERE account_id = $1 AND id = ANY($2)"
}

func scanItems(rows pgx.Rows, err error) (map[string]*api.VaultItem, map[string]int, error) {
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
	err := s.read1(func(ctx context.Context, q querier) error {
		v, err := readVault(ctx, q, accountID)
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
	ids := make([][]byte, len(req.Items))
	for i, p := range req.Items {
		ids[i] = []byte(p.ID)
	}
	// A push is four round trips: BEGIN; the row lock with the pushed items' state (a
	// statement after the lock in the same pipeline, so it reads what the previous push
	// committed); the items with the row and its notice; COMMIT.
	err := s.write(func(ctx context.Context, tx pgx.Tx) error {
		v := &pgVault{id: []byte(accountID)}
		b := &pgx.Batch{}
		b.Queue(lockVaultSQL, v.id)
		b.Queue(itemsSQL(false), v.id, ids)
		br := tx.SendBatch(ctx, b)
		err := v.scan(br.QueryRow())
		var stored map[string]*api.VaultItem
		var lens map[string]int
		if err == nil {
			stored, lens, err = scanItems(br.Query())
		}
		if cerr := br.Close(); err == nil {
			err = cerr
		}
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
		b = &pgx.Batch{}
		out.Items = v.queueItems(b, req.Items)
		v.meta.Bytes, v.meta.Entries = plan.bytes, plan.entries
		out.LatestChange = v.meta.LatestChange
		v.queueSave(b)
		return tx.SendBatch(ctx, b).Close()
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

// pullSQL reads a pull page in one statement, so on one snapshot without a
// transaction of its own: the vault row, then the first limit+1 items after since in
// change order, each with its blob only when it is on the page (taken: the rule of
// pullPage, with cum the blob bytes up to and including the item), so a page reads no
// blob it will not return. $1 account, $2 since, $3 limit, $4 the page's byte bound.
const pullSQL = `SELECT v.` + "header, v.latest_change, v.bytes, v.entries, v.epoch, v.attachment_bytes" + `,
		i.id, i.change, i.deleted, i.n, i.taken, CASE WHEN i.taken THEN i.blob END
	FROM vaults v LEFT JOIN LATERAL (
		SELECT c.id, c.change, c.deleted, c.n, c.blob,
			c.rn <= $3 AND (c.rn = 1 OR $4::bigint <= 0 OR c.cum <= $4::bigint) AS taken
		FROM (SELECT id, change, deleted, blob, octet_length(blob) AS n,
				row_number() OVER w AS rn, sum(octet_length(blob)) OVER w AS cum
			FROM vault_items WHERE account_id = v.account_id AND change > $2
			WINDOW w AS (ORDER BY change ROWS UNBOUNDED PRECEDING)
			ORDER BY change LIMIT $3 + 1) c
	) i ON true
	WHERE v.account_id = $1
	ORDER BY i.change`

// Pull implements Store: one statement, one round trip (pullSQL); the page it marks
// is checked against pullPage, the rule both backends share.
func (s *Postgres) Pull(accountID string, since uint64, limit int, lim Limits) (*api.PullResponse, error) {
	page := pullPage{limit: pullLimit(limit), maxBytes: lim.MaxPullBytes}
	out := api.PullResponse{Items: []api.VaultItem{}, Next: since}
	err := s.read1(func(ctx context.Context, q querier) error {
		rows, err := q.Query(ctx, pullSQL, []byte(accountID), int64(since), page.limit, int64(page.maxBytes))
		if err != nil {
			return err
		}
		defer rows.Close()
		v := &pgVault{id: []byte(accountID)}
		found := false
		for rows.Next() {
			var latest, epoch int64
			var id, blob []byte
			var change *int64
			var deleted, taken *bool
			var n *int
			if err := rows.Scan(&v.header, &latest, &v.meta.Bytes, &v.meta.Entries, &epoch, &v.meta.AttachmentBytes,
				&id, &change, &deleted, &n, &taken, &blob); err != nil {
				return err
			}
			if !found {
				found = true
				v.meta.LatestChange, v.meta.Epoch = uint64(latest), uint64(epoch)
				h, err := v.headerOut()
				if err != nil {
					return err
				}
				out.KeyEpoch, out.LatestChange = h.KeyEpoch, h.LatestChange
				if since > h.LatestChange {
					return ErrSinceAhead
				}
			}
			if change == nil {
				continue // a vault with nothing after since
			}
			if out.More || !page.take(*n) {
				out.More = true // this item starts the next page
				continue
			}
			if !*taken {
				return errors.New("store: pull page: the database left out an item's blob the page takes")
			}
			it := api.VaultItem{ID: string(id), Change: uint64(*change), Deleted: *deleted}
			if len(blob) > 0 {
				it.Blob = blob
			}
			out.Items = append(out.Items, it)
			out.Next = it.Change
		}
		if err := rows.Err(); err != nil {
			return err
		}
		if !found {
			return ErrVaultNotFound
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
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
