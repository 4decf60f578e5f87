package transfer

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/valvpm/valv/vault"
)

// TestRoundTripJSON: export → import gives an identical vault, every type, every field,
// folders, favourites, times and history (IDs are new: the vault assigns them).
func TestRoundTripJSON(t *testing.T) {
	t.Parallel()
	src := newTestVault(t)
	if _, err := src.AddAll(sampleItems()); err != nil {
		t.Fatal(err)
	}
	data, err := ExportJSON(listAll(t, src))
	if err != nil {
		t.Fatal(err)
	}
	dst := newTestVault(t)
	importInto(t, dst, data, ImportOptions{}, FormatValvJSON)
	assertSameItems(t, listAll(t, src), listAll(t, dst))
	if n := len(listAll(t, dst)); n != len(sampleItems()) {
		t.Fatalf("%d items, want %d", n, len(sampleItems()))
	}

	// Importing the same export again adds nothing: every item is an exact duplicate.
	p, err := Prepare(dst, data, ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Items) != 0 || p.Duplicates != len(sampleItems()) {
		t.Errorf("second import: %d new, %d duplicates; want 0 new", len(p.Items), p.Duplicates)
	}
}

// TestRoundTripEncrypted: the same through the encrypted export, with its own password.
func TestRoundTripEncrypted(t *testing.T) {
	t.Parallel()
	items := sampleItems()
	plain, err := ExportJSON(items)
	if err != nil {
		t.Fatal(err)
	}
	exportPW := []byte("ekspor: rahasia ✓ hallå")
	sealed, err := Encrypt(plain, exportPW, vault.FloorKDF())
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sealed, []byte("Bank Sunda")) || bytes.Contains(sealed, []byte("rahasia")) {
		t.Fatal("the encrypted export holds plaintext")
	}
	if _, err := Parse(sealed, ImportOptions{}); !errors.Is(err, ErrNeedPassword) {
		t.Errorf("without a password callback: %v, want ErrNeedPassword", err)
	}
	dst := newTestVault(t)
	asked := 0
	importInto(t, dst, sealed, ImportOptions{Password: func() ([]byte, error) { asked++; return bytes.Clone(exportPW), nil }}, FormatValvEncrypted)
	if asked != 1 {
		t.Errorf("password asked %d times, want once", asked)
	}
	assertSameItems(t, items, listAll(t, dst))
}

// TestRoundTripCSV: logins survive the browser CSV (title, URL, user name, password,
// note); other types are counted as left out.
func TestRoundTripCSV(t *testing.T) {
	t.Parallel()
	src := []*vault.Item{
		{Type: vault.TypeLogin, Title: "Bank Sunda", URLs: []string{"https://bank.example.co.id"}, Username: "ayu", Password: `kata,sandi "rahasia"`, Notes: "Baris satu\nBaris dua: ok"},
		{Type: vault.TypeLogin, Title: "Förening", URLs: []string{"https://forum.example.se"}, Username: "åsa", Password: "Hallå"},
		{Type: vault.TypeLogin, Title: "Ngân hàng", URLs: []string{"https://bank.example.vn"}, Username: "", Password: "Mật khẩu: ơi"},
		{Type: vault.TypeNote, Title: "left out", Notes: "x"},
	}
	data, skipped, err := ExportCSV(src)
	if err != nil {
		t.Fatal(err)
	}
	if skipped != 1 {
		t.Errorf("skipped = %d, want 1", skipped)
	}
	if !bytes.HasPrefix(data, []byte("name,url,username,password,note\n")) {
		t.Errorf("header: %q", data[:40])
	}
	p, err := Parse(data, ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if p.Format != FormatChrome {
		t.Errorf("format = %s", p.Format)
	}
	assertSameItems(t, src[:3], p.Items)
}

func importInto(t *testing.T, v *vault.Vault, data []byte, opts ImportOptions, wantFormat Format) {
	t.Helper()
	p, err := Prepare(v, data, opts)
	if err != nil {
		t.Fatal(err)
	}
	if p.Format != wantFormat {
		t.Errorf("format = %s, want %s", p.Format, wantFormat)
	}
	if len(p.Problems)+len(p.Notices) > 0 {
		t.Errorf("problems %v, notices %v", p.Problems, p.Notices)
	}
	if _, err := p.Apply(v); err != nil {
		t.Fatal(err)
	}
}

func assertSameItems(t *testing.T, want, got []*vault.Item) {
	t.Helper()
	w, g := stripIDs(want), stripIDs(got)
	if len(w) != len(g) {
		t.Fatalf("%d items, want %d", len(g), len(w))
	}
	for i := range w {
		if !reflect.DeepEqual(w[i], g[i]) {
			t.Errorf("item %q differs:\n got %+v\nwant %+v", w[i].Title, g[i], w[i])
		}
	}
}

// TestDryRunWritesNothing: Prepare reads the vault and the file and leaves the vault
// file's bytes as they were.
func TestDryRunWritesNothing(t *testing.T) {
	t.Parallel()
	v := newTestVault(t)
	if _, err := v.AddAll(sampleItems()[:2]); err != nil {
		t.Fatal(err)
	}
	path := v.Path()
	if err := v.Close(); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	v, err = vault.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := v.Unlock(testPassword); err != nil {
		t.Fatal(err)
	}
	p, err := Prepare(v, fixture(t, "text.txt"), ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Items) != 7 {
		t.Errorf("plan has %d items, want 7", len(p.Items))
	}
	if err := v.Close(); err != nil {
		t.Fatal(err)
	}
	after, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		t.Error("a dry run changed the vault file")
	}
}

// TestAllOrNothing: a file broken half-way imports nothing, and an Apply that fails on
// its last item leaves the vault as it was (one transaction).
func TestAllOrNothing(t *testing.T) {
	t.Parallel()
	v := newTestVault(t)
	if _, err := v.Add(sampleItems()[4]); err != nil {
		t.Fatal(err)
	}
	data, err := ExportJSON(sampleItems()[:4])
	if err != nil {
		t.Fatal(err)
	}
	cut := data[:len(data)*2/3]
	if _, err := Prepare(v, cut, ImportOptions{}); err == nil || !strings.Contains(err.Error(), "cut short") {
		t.Errorf("truncated export: %v, want a 'cut short' error", err)
	}
	xml := fixture(t, "keepass.xml")
	if _, err := Prepare(v, xml[:len(xml)/2], ImportOptions{}); err == nil || !strings.Contains(err.Error(), "nothing was imported") {
		t.Errorf("truncated XML: %v", err)
	}

	p, err := Prepare(v, data, ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	p.Items[len(p.Items)-1].Type = 99 // what a failure on the last record looks like to AddAll
	if n, err := p.Apply(v); err == nil || n != 0 {
		t.Fatalf("Apply = %d, %v; want an error", n, err)
	}
	if got := len(listAll(t, v)); got != 1 {
		t.Errorf("vault has %d items after a failed import, want the 1 it had", got)
	}
}

// TestDuplicates: exact duplicates of existing items are skipped and counted; an item
// differing in any typed field is not a duplicate.
func TestDuplicates(t *testing.T) {
	t.Parallel()
	v := newTestVault(t)
	p, err := Prepare(v, fixture(t, "chrome.csv"), ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := p.Apply(v); err != nil || n != 4 {
		t.Fatalf("first import: %d, %v", n, err)
	}
	changed := strings.Replace(string(fixture(t, "chrome.csv")), "only-a-password", "another-password", 1)
	p, err = Prepare(v, []byte(changed), ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Items) != 1 || p.Items[0].Password != "another-password" || p.Duplicates != 4 {
		t.Errorf("second import: %d new, %d duplicates; want the 1 changed row new and 4 duplicates", len(p.Items), p.Duplicates)
	}
	// Apply checks again: an item added after Prepare is not added twice.
	if _, err := v.Add(p.Items[0].Clone()); err != nil {
		t.Fatal(err)
	}
	if n, err := p.Apply(v); err != nil || n != 0 {
		t.Errorf("Apply after the same item was added: %d, %v; want 0", n, err)
	}
	if got := len(listAll(t, v)); got != 5 {
		t.Errorf("%d items, want 5", got)
	}

	a, b := sampleItems()[0], sampleItems()[0]
	b.Favourite, b.History, b.Created = false, nil, b.Created.AddDate(1, 0, 0)
	if duplicateKey(a) != duplicateKey(b) {
		t.Error("favourite, history and times must not make an item different")
	}
	b.URLs = []string{"https://bank.example.co.id/masuk"}
	b.Street = []string{"https://m.bank.example.co.id"}
	if duplicateKey(a) == duplicateKey(b) {
		t.Error("moving a value between lists must make an item different")
	}
}

func TestWriteFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := dir + "/export.json"
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(path, []byte("new")); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("mode = %v, want 0600", st.Mode().Perm())
	}
	if b, _ := os.ReadFile(path); string(b) != "new" {
		t.Errorf("content = %q", b)
	}
	// A failing write leaves the old file and no temporary file behind.
	if err := WriteFile(dir+"/missing/export.json", []byte("x")); err == nil {
		t.Error("writing into a missing folder succeeded")
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("folder holds %d files, want only the export", len(entries))
	}
}

// TestRoundTripKeepsTOTPText: the JSON export and its import keep an authenticator
// secret exactly as it was typed — parameter order, case, spacing, escapes — not a
// normalised form, so moving out and back changes nothing.
func TestRoundTripKeepsTOTPText(t *testing.T) {
	t.Parallel()
	texts := []string{
		"otpauth://totp/ACME%20Co:john.doe@example.com?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ&issuer=ACME%20Co&algorithm=SHA256&digits=8&period=60",
		"OTPAUTH://TOTP/Bank?period=15&digits=7&secret=jbswy3dpehpk3pxp&algorithm=sha512",
		"jbsw y3dp ehpk 3pxp",
		"JBSW-Y3DP-EHPK-3PXP====",
	}
	src := newTestVault(t)
	var items []*vault.Item
	for i, s := range texts {
		items = append(items, &vault.Item{Type: vault.TypeLogin, Title: fmt.Sprint("Site ", i), Username: "u", TOTP: s})
	}
	if _, err := src.AddAll(items); err != nil {
		t.Fatal(err)
	}
	data, err := ExportJSON(listAll(t, src))
	if err != nil {
		t.Fatal(err)
	}
	dst := newTestVault(t)
	importInto(t, dst, data, ImportOptions{}, FormatValvJSON)
	got := map[string]string{}
	for _, it := range listAll(t, dst) {
		got[it.Title] = it.TOTP
	}
	for i, s := range texts {
		if g := got[fmt.Sprint("Site ", i)]; g != s {
			t.Errorf("TOTP %q came back as %q", s, g)
		}
	}
}
