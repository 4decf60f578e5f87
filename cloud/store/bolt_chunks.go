package store

import (
	"encoding/binary"
	"errors"

	bolt "go.etcd.io/bbolt"

	"github.com/valvpm/valv/cloud/api"
)

func chunkKey(index int) []byte {
	var k [4]byte
	binary.BigEndian.PutUint32(k[:], uint32(index))
	return k[:]
}

// attachmentBucket is att's bucket in the account's vault, or nil.
func attachmentBucket(tx *bolt.Tx, accountID, att string) *bolt.Bucket {
	vb := tx.Bucket(bVaults).Bucket([]byte(accountID))
	if vb == nil {
		return nil
	}
	ab := vb.Bucket(bAttachments)
	if ab == nil {
		return nil
	}
	return ab.Bucket([]byte(att))
}

// PutChunk implements Store.
func (s *Bolt) PutChunk(accountID string, epoch uint64, att string, index int, data []byte, lim Limits) error {
	if err := checkChunk(att, index, data, lim); err != nil {
		return err
	}
	return s.db.Update(func(tx *bolt.Tx) error {
		v, err := openVault(tx, accountID, false)
		if err != nil {
			return err
		}
		h, err := v.header()
		if err != nil {
			return err
		}
		if err := chunkEpoch(h, epoch); err != nil {
			return err
		}
		ab, err := v.b.CreateBucketIfNotExists(bAttachments)
		if err != nil {
			return err
		}
		cb, err := ab.CreateBucketIfNotExists([]byte(att))
		if err != nil {
			return err
		}
		old := -1
		if raw := cb.Get(chunkKey(index)); raw != nil {
			old = len(raw)
		}
		if v.meta.AttachmentBytes, err = planChunk(v.meta.AttachmentBytes, old, len(data), lim); err != nil {
			return err
		}
		if err := cb.Put(chunkKey(index), data); err != nil {
			return err
		}
		return v.saveMeta()
	})
}

// Chunk implements Store.
func (s *Bolt) Chunk(accountID, att string, index int) ([]byte, error) {
	if err := CheckChunkRef(att, index); err != nil {
		return nil, err
	}
	var out []byte
	err := s.db.View(func(tx *bolt.Tx) error {
		cb := attachmentBucket(tx, accountID, att)
		if cb == nil {
			return ErrNotFound
		}
		raw := cb.Get(chunkKey(index))
		if raw == nil {
			return ErrNotFound
		}
		out = append([]byte{}, raw...) // the page is bbolt's only until the transaction ends
		return nil
	})
	return out, err
}

// Chunks implements Store.
func (s *Bolt) Chunks(accountID, att string) (*api.AttachmentInfo, error) {
	if err := CheckChunkRef(att, 0); err != nil {
		return nil, err
	}
	out := &api.AttachmentInfo{Chunks: []int{}}
	err := s.db.View(func(tx *bolt.Tx) error {
		cb := attachmentBucket(tx, accountID, att)
		if cb == nil {
			return nil
		}
		return cb.ForEach(func(k, v []byte) error {
			out.Chunks = append(out.Chunks, int(binary.BigEndian.Uint32(k)))
			out.Bytes += int64(len(v))
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// DeleteAttachment implements Store.
func (s *Bolt) DeleteAttachment(accountID, att string) error {
	if err := CheckChunkRef(att, 0); err != nil {
		return err
	}
	return s.db.Update(func(tx *bolt.Tx) error {
		if attachmentBucket(tx, accountID, att) == nil {
			return nil
		}
		v, err := openVault(tx, accountID, false)
		if err != nil {
			return err
		}
		ab := v.b.Bucket(bAttachments)
		var freed int64
		if err := ab.Bucket([]byte(att)).ForEach(func(_, c []byte) error {
			freed += chunkSize(len(c))
			return nil
		}); err != nil {
			return err
		}
		if err := ab.DeleteBucket([]byte(att)); err != nil {
			return err
		}
		v.meta.AttachmentBytes = max(0, v.meta.AttachmentBytes-freed)
		return v.saveMeta()
	})
}

// AttachmentBytes implements Store.
func (s *Bolt) AttachmentBytes(accountID string) (int64, error) {
	var n int64
	err := s.db.View(func(tx *bolt.Tx) error {
		v, err := openVault(tx, accountID, false)
		if errors.Is(err, ErrVaultNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		n = v.meta.AttachmentBytes
		return nil
	})
	return n, err
}
