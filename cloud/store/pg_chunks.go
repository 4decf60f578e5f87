package store

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/valvpm/valv/cloud/api"
)

// saveAttachmentBytes writes the vault row's attachment bytes back, and nothing else:
// a chunk is not a change of the vault, so no notice goes to the replicas.
func (v *pgVault) saveAttachmentBytes(ctx context.Context, tx pgx.Tx) error {
	_, err := tx.Exec(ctx, "UPDATE vaults SET attachment_bytes = $2 WHERE account_id = $1", v.id, v.meta.AttachmentBytes)
	return err
}

// PutChunk implements Store. The vault row is locked first, so concurrent uploads of
// one account count their bytes one after another.
func (s *Postgres) PutChunk(accountID string, epoch uint64, att string, index int, data []byte, lim Limits) error {
	if err := checkChunk(att, index, data, lim); err != nil {
		return err
	}
	return s.write(func(ctx context.Context, tx pgx.Tx) error {
		v, err := lockVault(ctx, tx, accountID, false)
		if err != nil {
			return err
		}
		h, err := v.headerOut()
		if err != nil {
			return err
		}
		if err := chunkEpoch(h, epoch); err != nil {
			return err
		}
		old := -1
		err = tx.QueryRow(ctx, "SELECT octet_length(data) FROM vault_chunks WHERE account_id = $1 AND attachment = $2 AND idx = $3",
			v.id, []byte(att), index).Scan(&old)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		if v.meta.AttachmentBytes, err = planChunk(v.meta.AttachmentBytes, old, len(data), lim); err != nil {
			return err
		}
		if data == nil {
			data = []byte{} // the column is NOT NULL; an empty chunk is empty bytes
		}
		if _, err := tx.Exec(ctx, `INSERT INTO vault_chunks (account_id, attachment, idx, data) VALUES ($1, $2, $3, $4)
			ON CONFLICT (account_id, attachment, idx) DO UPDATE SET data = EXCLUDED.data`, v.id, []byte(att), index, data); err != nil {
			return err
		}
		return v.saveAttachmentBytes(ctx, tx)
	})
}

// Chunk implements Store.
func (s *Postgres) Chunk(accountID, att string, index int) ([]byte, error) {
	if err := CheckChunkRef(att, index); err != nil {
		return nil, err
	}
	var out []byte
	err := s.read1(func(ctx context.Context, q querier) error {
		err := q.QueryRow(ctx, "SELECT data FROM vault_chunks WHERE account_id = $1 AND attachment = $2 AND idx = $3",
			[]byte(accountID), []byte(att), index).Scan(&out)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	if out == nil {
		out = []byte{}
	}
	return out, nil
}

// Chunks implements Store.
func (s *Postgres) Chunks(accountID, att string) (*api.AttachmentInfo, error) {
	if err := CheckChunkRef(att, 0); err != nil {
		return nil, err
	}
	out := &api.AttachmentInfo{Chunks: []int{}}
	err := s.read1(func(ctx context.Context, q querier) error {
		rows, err := q.Query(ctx, "SELECT idx, octet_length(data) FROM vault_chunks WHERE account_id = $1 AND attachment = $2 ORDER BY idx",
			[]byte(accountID), []byte(att))
		if err != nil {
			return err
		}
		var idx int
		var n int64
		_, err = pgx.ForEachRow(rows, []any{&idx, &n}, func() error {
			out.Chunks = append(out.Chunks, idx)
			out.Bytes += n
			return nil
		})
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// DeleteAttachment implements Store.
func (s *Postgres) DeleteAttachment(accountID, att string) error {
	if err := CheckChunkRef(att, 0); err != nil {
		return err
	}
	return s.write(func(ctx context.Context, tx pgx.Tx) error {
		v, err := lockVault(ctx, tx, accountID, false)
		if errors.Is(err, ErrVaultNotFound) {
			return nil // no vault row: no chunks either
		}
		if err != nil {
			return err
		}
		var freed int64
		err = tx.QueryRow(ctx, `WITH gone AS (DELETE FROM vault_chunks WHERE account_id = $1 AND attachment = $2 RETURNING octet_length(data) AS n)
			SELECT coalesce(sum(n + $3::bigint), 0)::bigint FROM gone`, v.id, []byte(att), api.ChunkOverheadBytes).Scan(&freed)
		if err != nil {
			return err
		}
		if freed == 0 {
			return nil
		}
		v.meta.AttachmentBytes = max(0, v.meta.AttachmentBytes-freed)
		return v.saveAttachmentBytes(ctx, tx)
	})
}

// AttachmentBytes implements Store.
func (s *Postgres) AttachmentBytes(accountID string) (int64, error) {
	var n int64
	err := s.read1(func(ctx context.Context, q querier) error {
		v, err := readVault(ctx, q, accountID)
		if errors.Is(err, ErrVaultNotFound) {
			return nil
		}
		n = v.meta.AttachmentBytes
		return err
	})
	return n, err
}
