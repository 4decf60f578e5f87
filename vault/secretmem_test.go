package vault

import (
	"testing"
	"unsafe"
)

// secretTexts are the texts of it that Lock must leave as zero bytes.
func secretTexts(it *Item) map[string]string {
	out := map[string]string{}
	for i := range fieldTable {
		f := &fieldTable[i]
		if f.isSecretText() && f.list == nil && *f.str(it) != "" {
			out[f.Name] = *f.str(it)
		}
	}
	for _, x := range it.Fields {
		out["field "+x.Name] = x.Value
	}
	for i, h := range it.History {
		out["history"+string(rune('0'+i))] = h.Password
	}
	return out
}

// zeroed reports whether every byte behind s is zero (s itself is not copied).
func zeroed(s string) bool {
	for _, c := range unsafe.Slice(unsafe.StringData(s), len(s)) {
		if c != 0 {
			return false
		}
	}
	return true
}

// checkWipedByLock locks v and checks that every secret text of the items taken from it
// before now reads as zero bytes: nothing of them stays in memory the vault let go.
func checkWipedByLock(t *testing.T, v *Vault, items []*Item, wantFields int) {
	t.Helper()
	checkWipedBy(t, "Lock", v.Lock, items, wantFields)
}

// checkWipedBy runs drop (named what) and checks the secret texts of items as
// checkWipedByLock does.
func checkWipedBy(t *testing.T, what string, drop func(), items []*Item, wantFields int) {
	t.Helper()
	texts := map[string]string{}
	for _, it := range items {
		for k, s := range secretTexts(it) {
			texts[it.Title+": "+k] = s
		}
	}
	if len(texts) < wantFields {
		t.Fatalf("only %d secret texts to check, want at least %d", len(texts), wantFields)
	}
	drop()
	for k, s := range texts {
		if !zeroed(s) {
			t.Errorf("%s survives %s", k, what) // never the value itself
		}
	}
}

func TestLockWipesSecretsOfAddedItems(t *testing.T) {
	v := newTestVault(t)
	var got []*Item
	for _, it := range sampleItems() {
		// The vault keeps copies of its own: the caller's strings are not wiped.
		it.Password, it.Notes = string([]byte(it.Password)), string([]byte(it.Notes))
		n, err := v.Add(it)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, n)
	}
	changed := got[0].Clone()
	changed.Password = "Kata$andi-2027"
	n, err := v.Update(changed)
	if err != nil {
		t.Fatal(err)
	}
	list, err := v.List(Filter{})
	if err != nil {
		t.Fatal(err)
	}
	caller := sampleItems()[0].Password
	checkWipedByLock(t, v, append(append(got, n), list...), 12)
	if caller != "Kata$andi-2026" {
		t.Error("Lock wiped a string the caller owns")
	}
}

func TestLockWipesSecretsOfUnlockedItems(t *testing.T) {
	v := newTestVault(t)
	for _, it := range sampleItems() {
		if _, err := v.Add(it); err != nil {
			t.Fatal(err)
		}
	}
	v = reopen(t, v, testPassword)
	list, err := v.List(Filter{})
	if err != nil {
		t.Fatal(err)
	}
	hay := append([]string(nil), v.idx.hay...)
	checkWipedByLock(t, v, list, 10)
	for i, h := range hay {
		if !zeroed(h) {
			t.Errorf("the search text of item %d survives Lock", i)
		}
	}
}

// Clear drops every item, so it wipes their secrets as Lock does; the vault stays
// unlocked and takes new items.
func TestClearWipesSecrets(t *testing.T) {
	v := newTestVault(t)
	for _, it := range sampleItems() {
		if _, err := v.Add(it); err != nil {
			t.Fatal(err)
		}
	}
	list, err := v.List(Filter{})
	if err != nil {
		t.Fatal(err)
	}
	clear := func() {
		if err := v.Clear(); err != nil {
			t.Fatal(err)
		}
	}
	checkWipedBy(t, "Clear", clear, list, 10)
	if v.Locked() {
		t.Fatal("Clear locked the vault")
	}
	it := sampleItems()[0]
	if _, err := v.Add(it); err != nil {
		t.Fatalf("adding after Clear: %v", err)
	}
	v = reopen(t, v, testPassword)
	got, err := v.List(Filter{})
	if err != nil || len(got) != 1 || got[0].Password != it.Password {
		t.Fatalf("after Clear and one add, reopened: %d items, %v", len(got), err)
	}
}
