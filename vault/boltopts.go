package vault

import (
	"runtime"
	"strconv"

	bolt "go.etcd.io/bbolt"
)

// mmapReserve is the address space a vault file is mapped with from the start, where
// mapping beyond the end of a file costs nothing. bbolt maps the file read-only and,
// each time a commit outgrows the mapping, remaps it and first copies every key and
// value the transaction holds out of the old mapping; an import of 300 000 items grew
// the mapping a dozen times in its one commit and spent a third of its time in those
// copies. Reserving 1 GiB makes every commit below that size remap nothing. Pages are
// read only when touched, so the reservation adds nothing to resident memory.
const mmapReserve = 1 << 30

// fileSlack is how far past its data a growing vault file is extended (bbolt's
// AllocSize, 16 MiB by default): each extension is a truncate and an fsync, so a little
// room saves those for the next few commits, while bbolt's default left a small vault
// file mostly empty.
const fileSlack = 256 << 10

// boltOptions are the options every vault file is opened with.
func boltOptions() *bolt.Options {
	o := &bolt.Options{Timeout: openTimeout}
	// On Windows bbolt extends the file to the size of its mapping, so a reservation
	// there would be a gigabyte on disk; a 32-bit process has no such address space.
	if runtime.GOOS != "windows" && strconv.IntSize == 64 {
		o.InitialMmapSize = mmapReserve
	}
	return o
}

// tuneDB sets what bbolt takes on the open database rather than in Options.
func tuneDB(db *bolt.DB) {
	db.AllocSize = fileSlack
}

// batchFill is how full a batch packs the leaves it splits (bbolt's FillPercent, 0.5 by
// default). A batch writes its keys in ascending order (keyOrder), which is bbolt's
// append case: at 0.5 an imported vault's pages stay half empty forever, at 1.0 they
// are full. A later single change into a full page splits it in halves under the
// default, as in any B-tree, so packing costs edits nothing.
const batchFill = 1.0

// batchBuckets returns the items and pending buckets of tx set to pack their leaves.
func batchBuckets(tx *bolt.Tx) (items, pending *bolt.Bucket) {
	items, pending = tx.Bucket(bucketItems), tx.Bucket(bucketPending)
	items.FillPercent, pending.FillPercent = batchFill, batchFill
	return items, pending
}
