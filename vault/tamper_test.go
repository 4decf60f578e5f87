package vault

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"os"
	"strings"
	"testing"
	"unicode/utf16"

	bolt "go.etcd.io/bbolt"
)

func headerBytes(t *testing.T, v *Vault) []byte {
	t.Helper()
	h := v.Header()
	b, err := h.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestHeaderEveryByteFlipIsDetected flips each bit pattern 0xff into every byte of the
// header, covering the wrapped key too: each must be refused before any plaintext.
func TestHeaderEveryByteFlipIsDetected(t *testing.T) {
	v := newTestVault(t)
	hb := headerBytes(t, v)
	if len(hb) != headerSize {
		t.Fatalf("header is %d bytes, want %d", len(hb), headerSize)
	}
	for i := range hb {
		bad := bytes.Clone(hb)
		bad[i] ^= 0xff
		if _, err := ParseHeader(bad); err == nil {
			t.Errorf("flipping header byte %d was not detected", i)
		}
	}
	if _, err := ParseHeader(hb[:len(hb)-1]); !errors.Is(err, ErrCorrupt) {
		t.Errorf("truncated header: %v", err)
	}
	if _, err := ParseHeader(append(bytes.Clone(hb), 0)); !errors.Is(err, ErrCorrupt) {
		t.Errorf("extended header: %v", err)
	}
}

// reseal recomputes the header checksum, as an attacker who edits the file would.
func reseal(b []byte) []byte {
	sum := sha256.Sum256(b[:headerSize-checksumSize])
	copy(b[headerSize-checksumSize:], sum[:checksumSize])
	return b
}

// TestHeaderForgedFieldsFailToUnwrap edits bound fields and fixes the checksum: the
// AEAD associated data still catches it, and no key comes out.
func TestHeaderForgedFieldsFailToUnwrap(t *testing.T) {
	v := newTestVault(t)
	hb := headerBytes(t, v)
	for name, off := range map[string]int{
		"vault id": 5, "epoch": 24, "generation": 28, "memory (upwards)": 32, "time (upwards)": 37,
		"salt": 44, "wrapped key nonce": 64, "wrapped key tag": headerSize - checksumSize - 1,
	} {
		bad := bytes.Clone(hb)
		bad[off] ^= 0x04
		h, err := ParseHeader(reseal(bad))
		if err != nil {
			t.Fatalf("%s: ParseHeader refused a well-formed forgery: %v", name, err)
		}
		if key, err := h.unwrap(testPassword); !errors.Is(err, ErrWrongPassword) || key != nil {
			t.Errorf("%s: unwrap = %v, want ErrWrongPassword and no key", name, err)
		}
	}
}

func TestKDFBounds(t *testing.T) {
	floor := FloorKDF()
	for _, c := range []struct {
		name string
		p    KDFParams
		ok   bool
	}{
		{"floor", floor, true},
		{"memory below", KDFParams{MinMemory - 1, 3, 4, floor.Salt}, false},
		{"time below", KDFParams{MinMemory, 2, 4, floor.Salt}, false},
		{"threads below", KDFParams{MinMemory, 3, 1, floor.Salt}, false},
		{"memory above", KDFParams{MaxMemory + 1, 3, 4, floor.Salt}, false},
		{"time above", KDFParams{MinMemory, 51, 4, floor.Salt}, false},
		{"threads above", KDFParams{MinMemory, 3, 65, floor.Salt}, false},
		{"short salt", KDFParams{MinMemory, 3, 4, floor.Salt[:8]}, false},
		{"at caps", KDFParams{MaxMemory, MaxTime, MaxThreads, floor.Salt}, true},
	} {
		err := c.p.Check()
		if (err == nil) != c.ok || (err != nil && !errors.Is(err, ErrKDFParams)) {
			t.Errorf("%s: Check = %v", c.name, err)
		}
	}
	// The same bounds apply to a header read from a file, before any derivation runs.
	v := newTestVault(t)
	hb := headerBytes(t, v)
	for name, set := range map[string]func(b []byte){
		"downgraded memory": func(b []byte) { binary.BigEndian.PutUint32(b[30:], 8*1024) },
		"downgraded time":   func(b []byte) { binary.BigEndian.PutUint32(b[34:], 1) },
		"absurd memory":     func(b []byte) { binary.BigEndian.PutUint32(b[30:], 1<<30) },
		"absurd threads":    func(b []byte) { b[38] = 255 },
	} {
		bad := bytes.Clone(hb)
		set(bad)
		if _, err := ParseHeader(reseal(bad)); !errors.Is(err, ErrKDFParams) {
			t.Errorf("%s: ParseHeader = %v, want ErrKDFParams", name, err)
		}
	}
	if _, err := Create(t.TempDir()+"/v.db", testPassword, CreateOptions{KDF: &KDFParams{Memory: 1024, Time: 1, Threads: 1}}); !errors.Is(err, ErrKDFParams) {
		t.Errorf("Create below the floor = %v", err)
	}
}

// TestItemEveryByteFlipIsDetected flips every byte of a stored item record: the record
// is refused, and never decrypts to different content.
func TestItemEveryByteFlipIsDetected(t *testing.T) {
	v := newTestVault(t)
	it, err := v.Add(sampleItems()[0])
	if err != nil {
		t.Fatal(err)
	}
	raw := rawRecords(t, v)[it.ID]
	vid := v.Header().VaultID
	var buf []byte
	for i := range raw {
		bad := bytes.Clone(raw)
		bad[i] ^= 0x20
		got, _, err := openRecord(v.key, vid, it.ID, bad, &buf, nil)
		if err == nil || got != nil {
			t.Fatalf("flipping record byte %d of %d was not detected", i, len(raw))
		}
	}
	// A flipped sealed byte with the clear checksum fixed up is still refused by the AEAD.
	bad := bytes.Clone(raw)
	bad[len(bad)-10] ^= 1
	r, _ := parseRecord(raw)
	r.sealed = bytes.Clone(bad[len(bad)-4-len(r.sealed) : len(bad)-4])
	if _, _, err := openRecord(v.key, vid, it.ID, r.marshal(), &buf, nil); !errors.Is(err, ErrCorrupt) {
		t.Errorf("forged record: %v, want ErrCorrupt", err)
	}
}

// TestTamperedItemInFile damages one record on disk: unlock still opens the others,
// the damaged one is reported and never shown.
func TestTamperedItemInFile(t *testing.T) {
	v := newTestVault(t)
	a, _ := v.Add(&Item{Type: TypeNote, Title: "keep me"})
	b, _ := v.Add(&Item{Type: TypeNote, Title: "damage me"})
	v.Close()
	editRecord(t, v.Path(), b.ID, func(r []byte) []byte { r[len(r)-20] ^= 1; return r })
	v2 := reopen(t, mustOpen(t, v.Path()), testPassword)
	if _, err := v2.Get(a.ID); err != nil {
		t.Errorf("intact item: %v", err)
	}
	if _, err := v2.Get(b.ID); !errors.Is(err, ErrCorrupt) {
		t.Errorf("damaged item: %v, want ErrCorrupt", err)
	}
	if d := v2.Damaged(); len(d) != 1 || d[0] != b.ID {
		t.Errorf("Damaged = %v", d)
	}
	if l, _ := v2.List(Filter{}); len(l) != 1 {
		t.Errorf("List shows %d items, want only the intact one", len(l))
	}
	// The person can delete the damaged record.
	if err := v2.Delete(b.ID); err != nil || len(v2.Damaged()) != 0 {
		t.Errorf("Delete damaged: %v, %v", err, v2.Damaged())
	}
}

func TestSwappedItemsAreDetected(t *testing.T) {
	v := newTestVault(t)
	a, _ := v.Add(&Item{Type: TypeLogin, Title: "a", Password: "pa"})
	b, _ := v.Add(&Item{Type: TypeLogin, Title: "b", Password: "pb"})
	raw := rawRecords(t, v)
	v.Close()
	editRecord(t, v.Path(), a.ID, func([]byte) []byte { return raw[b.ID] })
	editRecord(t, v.Path(), b.ID, func([]byte) []byte { return raw[a.ID] })
	v2 := reopen(t, mustOpen(t, v.Path()), testPassword)
	if v2.Len() != 0 || len(v2.Damaged()) != 2 {
		t.Errorf("after swap: %d readable, %d damaged; want 0 and 2", v2.Len(), len(v2.Damaged()))
	}
}

func mustOpen(t *testing.T, path string) *Vault {
	t.Helper()
	v, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func editRecord(t *testing.T, path string, id ID, edit func([]byte) []byte) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketItems)
		return b.Put(id[:], edit(bytes.Clone(b.Get(id[:]))))
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestCanaryNeverOnDisk stores distinctive strings in every person-typed field and
// checks the raw file for them in every common encoding.
func TestCanaryNeverOnDisk(t *testing.T) {
	v := newTestVault(t)
	var canaries []string
	c := func(field string) string {
		s := "Kanari" + field + "Zq7"
		canaries = append(canaries, s)
		return s
	}
	items := []*Item{
		{Type: TypeLogin, Title: c("Title"), Folder: c("Folder"), URLs: []string{"https://" + c("Url") + ".example"}, Username: c("User"), Password: c("Pass"), TOTP: c("TotpQQQ") /* 16 base32 letters: the vault refuses a TOTP that is not a secret */, Notes: c("Notes"), Fields: []Field{{c("FName"), c("FValue")}}},
		{Type: TypeApp, Title: c("AppTitle"), Application: c("App"), Username: c("AppUser"), Password: c("AppPass")},
		{Type: TypeCard, Title: c("CardTitle"), Cardholder: c("Holder"), Number: "4556 7375 8689 9855", Expiry: "12/31", CVC: "987", PIN: "8642"},
		{Type: TypeAddress, Title: c("AddrTitle"), Name: c("Name"), Street: []string{c("Street")}, City: c("City"), Region: c("Region"), Postcode: c("Post"), Country: c("Country"), Phone: c("Phone"), Email: c("Email")},
		{Type: TypeNote, Title: c("NoteTitle"), Notes: c("Text")},
	}
	canaries = append(canaries, "4556737586899855", "4556 7375 8689 9855")
	for _, it := range items {
		added, err := v.Add(it)
		if err != nil {
			t.Fatal(err)
		}
		if it.Type == TypeLogin { // history too
			added.Password = c("NewPass")
			if _, err := v.Update(added); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := v.ChangeMasterPassword(testPassword, []byte(c("Master"))); err != nil {
		t.Fatal(err)
	}
	canaries = append(canaries, string(testPassword))
	v.Close()
	raw, err := os.ReadFile(v.Path())
	if err != nil {
		t.Fatal(err)
	}
	low := bytes.ToLower(raw)
	for _, s := range canaries {
		for enc, form := range map[string][]byte{
			"raw":     []byte(s),
			"hex":     []byte(hex.EncodeToString([]byte(s))),
			"base64":  []byte(base64.StdEncoding.EncodeToString([]byte(s))[:len(s)]),
			"utf16le": utf16LE(s),
			"utf16be": utf16BE(s),
			"lower":   []byte(strings.ToLower(s)),
		} {
			if bytes.Contains(raw, form) || bytes.Contains(low, bytes.ToLower(form)) {
				t.Errorf("canary %q found on disk (%s)", s, enc)
			}
		}
	}
}

func utf16LE(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = binary.LittleEndian.AppendUint16(b, u)
	}
	return b
}

func utf16BE(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = binary.BigEndian.AppendUint16(b, u)
	}
	return b
}
