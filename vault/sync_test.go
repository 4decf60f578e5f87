package vault

import (
	"errors"
	"testing"
	"time"
)

// The header decision table: every row, for a vault that is linked and one that is not.
func TestCompareHeader(t *testing.T) {
	v := newTestVault(t)
	cur := v.Header()
	if cur.Epoch == 0 {
		t.Fatal("a new vault has epoch 0; the older-epoch rows need a lower one")
	}
	other := cur
	other.VaultID[0] ^= 1
	variant := func(change func(*Header)) []byte {
		h := cur
		h.WrappedKey = append([]byte(nil), cur.WrappedKey...)
		change(&h)
		b, err := h.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	for _, tc := range []struct {
		name   string
		hb     []byte
		linked bool
		want   HeaderRelation
		err    error
	}{
		{"same", variant(func(*Header) {}), true, HeaderSame, nil},
		{"same, not linked yet", variant(func(*Header) {}), false, HeaderSame, nil},
		{"password changed elsewhere", variant(func(h *Header) { h.Generation++ }), true, HeaderPasswordChanged, nil},
		{"replaced, same vault", variant(func(h *Header) { h.Epoch++ }), true, HeaderReplaced, nil},
		{"replaced by another vault", variant(func(h *Header) { h.VaultID = other.VaultID; h.Epoch++ }), true, HeaderReplaced, nil},
		{"another vault, not linked", variant(func(h *Header) { h.VaultID = other.VaultID; h.Epoch++ }), false, 0, ErrOtherVault},
		{"another vault at the same epoch", variant(func(h *Header) { h.VaultID = other.VaultID }), true, 0, ErrStaleHeader},
		{"older epoch", variant(func(h *Header) { h.Epoch-- }), true, 0, ErrStaleHeader},
		{"forged: same generation, other bytes", variant(func(h *Header) { h.WrappedKey[0] ^= 1 }), true, 0, ErrStaleHeader},
	} {
		got, err := v.CompareHeader(tc.hb, tc.linked)
		if got != tc.want || !errors.Is(err, tc.err) {
			t.Errorf("%s: %v, %v; want %v, %v", tc.name, got, err, tc.want, tc.err)
		}
	}
	// This vault's generation ahead of the cloud's: the password was changed here.
	old := v.HeaderBytes()
	if err := v.ChangeMasterPassword(testPassword, []byte("another master password")); err != nil {
		t.Fatal(err)
	}
	if got, err := v.CompareHeader(old, true); got != HeaderPasswordChangedHere || err != nil {
		t.Errorf("the cloud behind a change made here: %v, %v", got, err)
	}
	if err := v.AdoptHeader(old, testPassword); !errors.Is(err, ErrStaleHeader) {
		t.Errorf("adopting the header from before the change: %v", err)
	}
}

// The conflict policy, one row per situation a pulled change can meet.
func TestDecideMerge(t *testing.T) {
	edited := localCopy{stored: true, base: 5, pending: true, readable: true}
	clean := localCopy{stored: true, base: 5, readable: true}
	tomb := localCopy{stored: true, base: 5, pending: true, deleted: true}
	unreadable := localCopy{stored: true, base: 5, pending: true}
	for _, tc := range []struct {
		name    string
		local   localCopy
		change  uint64
		deleted bool
		want    mergeAction
	}{
		{"our own push coming back", edited, 5, false, mergeSkip},
		{"an older change", clean, 3, false, mergeSkip},
		{"an old deletion of something we edited since", edited, 4, true, mergeSkip},
		{"new item", localCopy{}, 7, false, mergeAdd},
		{"deletion of an item never seen here", localCopy{}, 7, true, mergeSkip},
		{"edited there only", clean, 7, false, mergeUpdate},
		{"deleted there only", clean, 7, true, mergeRemove},
		{"deleted on both sides", tomb, 7, true, mergeForget},
		{"deleted there, edited here", edited, 7, true, mergeKeepLocal},
		{"deleted here, edited there", tomb, 7, false, mergeRevive},
		{"edited on both sides", edited, 7, false, mergeBoth},
		{"edited on both sides, ours unreadable", unreadable, 7, false, mergeRepair},
	} {
		if got := decideMerge(tc.local, tc.change, tc.deleted); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
}

// TestConflictCopyMarker: the copy kept when an item was edited on two devices carries
// the marker that ConflictCopyOf finds, with the original title intact, so the app can
// name it in the person's language; an ordinary title is not taken for one.
func TestConflictCopyMarker(t *testing.T) {
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	winner := &Item{Type: TypeNote, Title: "Bank", Notes: "here", Modified: now}
	loser := &Item{Type: TypeNote, Title: "Bank", Notes: "there", Modified: now.Add(-time.Minute)}
	_, c := mergeConflict(winner, loser, now, func(AttachmentID) bool { return false })
	if c == nil {
		t.Fatal("no conflict copy of a note edited on both sides")
	}
	if orig, ok := ConflictCopyOf(c.Title); !ok || orig != "Bank" {
		t.Errorf("the copy's title %q reads as (%q, %v)", c.Title, orig, ok)
	}
	for _, title := range []string{"Bank", "", "conflict copy", "Bank (conflict copy) 2"} {
		if _, ok := ConflictCopyOf(title); ok {
			t.Errorf("%q was taken for a conflict copy", title)
		}
	}
}
