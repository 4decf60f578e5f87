package vault

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
)

// A stored item record, the value under the item's ID in the items bucket:
//
//	version(1) flags(1) rev(uvarint) base(uvarint) sealed(...) crc32c(4)
//
// rev is the local revision (1 on creation, +1 per change); base is the cloud change
// number this version was based on (0: never synced). Both are sync bookkeeping and in
// clear. sealed is nonce || XChaCha20-Poly1305(item) || tag, bound to (vault ID, item
// ID); it is empty for a tombstone (a deletion not yet pushed). The CRC-32C catches
// accidental damage to the clear bookkeeping; the AEAD protects everything secret.

const recordVersion = 1

const flagDeleted = 1 << 0

type record struct {
	deleted bool
	rev     uint64
	base    uint64
	sealed  []byte // aliases the input of parseRecord: copy before a transaction ends
}

var crcTable = crc32.MakeTable(crc32.Castagnoli)

func (r *record) marshal() []byte {
	b := make([]byte, 0, recordSize(len(r.sealed)))
	b = append(r.appendHead(b), r.sealed...)
	return appendCRC(b, 0)
}

// recordSize is the most a record with sealed bytes of length n takes.
func recordSize(n int) int { return 2 + 2*binary.MaxVarintLen64 + n + 4 }

// appendHead appends the record's clear bookkeeping, everything before sealed.
func (r *record) appendHead(b []byte) []byte {
	var flags byte
	if r.deleted {
		flags |= flagDeleted
	}
	b = append(b, recordVersion, flags)
	b = binary.AppendUvarint(b, r.rev)
	return binary.AppendUvarint(b, r.base)
}

// appendCRC ends the record that starts at b[start:] with its checksum.
func appendCRC(b []byte, start int) []byte {
	return binary.BigEndian.AppendUint32(b, crc32.Checksum(b[start:], crcTable))
}

var errRecord = fmt.Errorf("%w: item record is malformed", ErrCorrupt)

func parseRecord(b []byte) (record, error) {
	var r record
	if len(b) < 2+1+1+4 {
		return r, errRecord
	}
	body := b[:len(b)-4]
	if crc32.Checksum(body, crcTable) != binary.BigEndian.Uint32(b[len(b)-4:]) {
		return r, errRecord
	}
	if body[0] != recordVersion {
		if body[0] > recordVersion {
			return r, ErrNewerFormat
		}
		return r, errRecord
	}
	if body[1]&^flagDeleted != 0 {
		return r, errRecord
	}
	r.deleted = body[1]&flagDeleted != 0
	p := body[2:]
	var w int
	if r.rev, w = binary.Uvarint(p); w <= 0 || w != uvarintLen(r.rev) {
		return r, errRecord
	}
	p = p[w:]
	if r.base, w = binary.Uvarint(p); w <= 0 || w != uvarintLen(r.base) {
		return r, errRecord
	}
	r.sealed = p[w:]
	if r.deleted != (len(r.sealed) == 0) {
		return r, errRecord
	}
	return r, nil
}
