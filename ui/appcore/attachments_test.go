package appcore

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/valvpm/valv/vault"
)

// fileCore is a testCore with an unlocked vault, one item, and a viewer that records
// what it was asked to open.
type fileCore struct {
	*testCore
	item   *vault.Item
	viewed []string
}

func newFileCore(t *testing.T) *fileCore {
	t.Helper()
	tc := newTestCore(t, Settings{})
	tc.create(t)
	it, err := tc.Save(&vault.Item{Type: vault.TypeNote, Title: "Passport"})
	if err != nil {
		t.Fatal(err)
	}
	fc := &fileCore{testCore: tc, item: it}
	tc.SetFileOpener(func(path string) error { fc.viewed = append(fc.viewed, path); return nil })
	return fc
}

// writeFile writes a file of n random bytes (or of data) in a folder of its own.
func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func randomBytes(t *testing.T, n int) []byte {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return b
}

// add adds paths to the item (inline) and returns the stored item and the error.
func (fc *fileCore) add(t *testing.T, paths ...string) (*vault.Item, error) {
	t.Helper()
	var got *vault.Item
	var gotErr error
	called := false
	fc.AddFiles(fc.item.ID, paths, func(string) {}, func(it *vault.Item, err error) { got, gotErr, called = it, err, true })
	if !called {
		t.Fatal("AddFiles did not call done")
	}
	return got, gotErr
}

// open opens the attachment (inline) and returns the copy's path.
func (fc *fileCore) open(t *testing.T, att vault.AttachmentID) (string, error) {
	t.Helper()
	var path string
	var gotErr error
	called := false
	fc.OpenAttachment(fc.item.ID, att, func(Message) {}, func(p string, err error) { path, gotErr, called = p, err, true })
	if !called {
		t.Fatal("OpenAttachment did not call done")
	}
	return path, gotErr
}

func TestAddFileListsNameAndSize(t *testing.T) {
	fc := newFileCore(t)
	p := writeFile(t, "scan.pdf", randomBytes(t, 1536))
	it, err := fc.add(t, p)
	if err != nil {
		t.Fatal(err)
	}
	rows := Attachments(it)
	if len(rows) != 1 || rows[0].Name != "scan.pdf" || rows[0].Image {
		t.Fatalf("rows = %+v", rows)
	}
	want := Message{Key: "size.kb", Args: map[string]any{"Size": Message{Key: "number.decimal", Args: map[string]any{"Whole": int64(1), "Frac": int64(5)}}}}
	if !reflect.DeepEqual(rows[0].Size, want) {
		t.Errorf("size = %#v, want %#v", rows[0].Size, want)
	}
	// The list the person sees holds the stored item too.
	stored, err := fc.Item(fc.item.ID)
	if err != nil || len(stored.Attachments) != 1 {
		t.Fatalf("stored item: %v, %+v", err, stored)
	}
	// A vault with no account has no sync state to tell.
	if st := fc.FileSync(fc.item.ID); st != nil {
		t.Errorf("an unlinked vault's file has sync state %v", st)
	}
}

func TestSizeMessage(t *testing.T) {
	dec := func(w, f int64) Message {
		return Message{Key: "number.decimal", Args: map[string]any{"Whole": w, "Frac": f}}
	}
	for _, c := range []struct {
		n    int64
		want Message
	}{
		{0, Message{Key: "size.bytes", Args: map[string]any{"Count": 0}}},
		{1023, Message{Key: "size.bytes", Args: map[string]any{"Count": 1023}}},
		{1024, Message{Key: "size.kb", Args: map[string]any{"Size": dec(1, 0)}}},
		{10 * 1024, Message{Key: "size.kb", Args: map[string]any{"Size": int64(10)}}},
		{1023 * 1024, Message{Key: "size.kb", Args: map[string]any{"Size": int64(1023)}}},
		{3<<20 + 400<<10, Message{Key: "size.mb", Args: map[string]any{"Size": dec(3, 4)}}},
		{100 << 20, Message{Key: "size.mb", Args: map[string]any{"Size": int64(100)}}},
		{5 << 30, Message{Key: "size.gb", Args: map[string]any{"Size": dec(5, 0)}}},
	} {
		if got := SizeMessage(c.n); !reflect.DeepEqual(got, c.want) {
			t.Errorf("SizeMessage(%d) = %#v, want %#v", c.n, got, c.want)
		}
	}
}

func TestOpenWritesPrivateCopy(t *testing.T) {
	fc := newFileCore(t)
	data := randomBytes(t, 3*vault.ChunkSize+17) // several chunks and a short last one
	it, err := fc.add(t, writeFile(t, "recovery codes.txt", data))
	if err != nil {
		t.Fatal(err)
	}
	path, err := fc.open(t, it.Attachments[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(fc.viewed, []string{path}) {
		t.Errorf("the viewer was asked for %q, want %q", fc.viewed, path)
	}
	if filepath.Base(path) != "recovery codes.txt" {
		t.Errorf("the copy is named %q", filepath.Base(path))
	}
	got, err := os.ReadFile(path)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("the copy holds %d bytes (%v), want the %d of the file", len(got), err, len(data))
	}
	assertMode(t, path, 0o600)
	assertMode(t, filepath.Dir(path), 0o700)
	assertMode(t, fc.OpenedDir(), 0o700)
	if rel, err := filepath.Rel(fc.OpenedDir(), path); err != nil || filepath.IsAbs(rel) || rel[0] == '.' {
		t.Errorf("the copy %s is not inside %s", path, fc.OpenedDir())
	}
}

func assertMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	st, err := os.Lstat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := st.Mode().Perm(); got != want {
		t.Errorf("%s has mode %o, want %o", path, got, want)
	}
}

// openOne adds a file and opens it, returning the copy's path.
func (fc *fileCore) openOne(t *testing.T) string {
	t.Helper()
	it, err := fc.add(t, writeFile(t, "id.jpg", randomBytes(t, 4096)))
	if err != nil {
		t.Fatal(err)
	}
	path, err := fc.open(t, it.Attachments[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	return path
}

func assertGone(t *testing.T, paths ...string) {
	t.Helper()
	for _, p := range paths {
		if _, err := os.Lstat(p); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s is still there (%v)", p, err)
		}
	}
}

func TestLockRemovesOpenedCopies(t *testing.T) {
	fc := newFileCore(t)
	path := fc.openOne(t)
	fc.Lock()
	assertGone(t, path, fc.OpenedDir())
}

func TestQuitRemovesOpenedCopies(t *testing.T) {
	fc := newFileCore(t)
	path := fc.openOne(t)
	if err := fc.Close(); err != nil {
		t.Fatal(err)
	}
	assertGone(t, path, fc.OpenedDir())
}

// A Valv that crashed left its copies behind: the next start removes them, but a
// second Valv refused because the first still runs leaves the first one's copies.
func TestStartRemovesLeftoverCopies(t *testing.T) {
	fc := newFileCore(t)
	path := fc.openOne(t)

	second := New(Options{Path: fc.Path(), IgnoreVaultChanges: true})
	second.Open()
	if !errors.Is(second.OpenError(), vault.ErrInUse) {
		t.Fatalf("a second Valv opened the vault in use: %v", second.OpenError())
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("a second Valv, refused, removed the first one's copy: %v", err)
	}
	if err := second.Close(); err != nil {
		t.Fatal(err)
	}

	// The crash: the vault is closed without the copies being cleared.
	if err := fc.vault().Close(); err != nil {
		t.Fatal(err)
	}
	fc.mu.Lock()
	fc.v = nil
	fc.mu.Unlock()
	if _, err := os.Stat(path); err != nil {
		t.Fatal(err)
	}
	next := New(Options{Path: fc.Path(), IgnoreVaultChanges: true})
	next.Open()
	t.Cleanup(func() {
		if err := next.Close(); err != nil {
			t.Error(err)
		}
	})
	if err := next.OpenError(); err != nil {
		t.Fatal(err)
	}
	assertGone(t, path, fc.OpenedDir())
}

func TestTooLargeFileSaysSo(t *testing.T) {
	fc := newFileCore(t)
	p := filepath.Join(t.TempDir(), "film.mkv")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	// Sparse: the size without the disk space.
	if err := f.Truncate(vault.MaxAttachmentSize + 1); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	_, err = fc.add(t, p)
	if !errors.Is(err, vault.ErrAttachmentTooLarge) {
		t.Fatalf("adding a file over the limit: %v", err)
	}
	want := Message{Key: "attach.errTooLargeNamed", Args: map[string]any{"Name": "film.mkv"}}
	if got := AttachMessage(err); !reflect.DeepEqual(got, want) {
		t.Errorf("sentence = %#v, want %#v", got, want)
	}
	checkSentence(t, "too large", AttachMessage(err), translations(t))
	assertNoAttachments(t, fc)
}

func assertNoAttachments(t *testing.T, fc *fileCore) {
	t.Helper()
	it, err := fc.Item(fc.item.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(it.Attachments) != 0 {
		t.Errorf("the item has %d files, want none", len(it.Attachments))
	}
	if infos, err := fc.vault().Chunks(); err != nil || len(infos) != 0 {
		t.Errorf("the vault holds %d chunks (%v), want none", len(infos), err)
	}
}

func TestCancelledAddLeavesNothing(t *testing.T) {
	fc := newFileCore(t)
	first := writeFile(t, "a.txt", []byte("first"))
	second := writeFile(t, "b.bin", randomBytes(t, 2*vault.ChunkSize))

	// Cancel while the second file is about to be read: the first stays, the second
	// leaves nothing, and the sentence says nothing was added.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var got *vault.Item
	var gotErr error
	fc.addFiles(ctx, cancel, fc.item.ID, []string{first, second}, func(name string) {
		if name == "b.bin" {
			cancel()
		}
	}, func(it *vault.Item, err error) { got, gotErr = it, err })
	if !errors.Is(gotErr, context.Canceled) {
		t.Fatalf("cancelled add: %v", gotErr)
	}
	if m := AttachMessage(gotErr); m.Key != "attach.cancelled" {
		t.Errorf("sentence %q", m.Key)
	}
	if got == nil || len(got.Attachments) != 1 || got.Attachments[0].Name != "a.txt" {
		t.Fatalf("after the cancel the item has %+v", got)
	}
	infos, err := fc.vault().Chunks()
	if err != nil || len(infos) != 1 {
		t.Errorf("the vault holds %d chunks (%v), want the first file's one", len(infos), err)
	}
}

func TestUnreadableAndFolderSayWhich(t *testing.T) {
	fc := newFileCore(t)
	_, err := fc.add(t, filepath.Join(t.TempDir(), "gone.pdf"))
	if m := AttachMessage(err); m.Key != "attach.errRead" || m.Args["Name"] != "gone.pdf" {
		t.Errorf("missing file: %#v (%v)", m, err)
	}
	dir := filepath.Join(t.TempDir(), "Scans")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	_, err = fc.add(t, dir)
	if m := AttachMessage(err); m.Key != "attach.errNotFile" || m.Args["Name"] != "Scans" {
		t.Errorf("folder: %#v (%v)", m, err)
	}
	assertNoAttachments(t, fc)
}

func TestRenameAndRemove(t *testing.T) {
	fc := newFileCore(t)
	it, err := fc.add(t, writeFile(t, "scan1.pdf", []byte("%PDF-1.4 passport")))
	if err != nil {
		t.Fatal(err)
	}
	att := it.Attachments[0].ID
	if _, err := fc.RenameAttachment(it.ID, att, "   "); !errors.Is(err, ErrEmptyName) {
		t.Errorf("rename to blanks: %v", err)
	}
	it, err = fc.RenameAttachment(it.ID, att, " Passport.pdf ")
	if err != nil {
		t.Fatal(err)
	}
	if it.Attachments[0].Name != "Passport.pdf" {
		t.Errorf("renamed to %q", it.Attachments[0].Name)
	}
	it, err = fc.RemoveAttachment(it.ID, att)
	if err != nil {
		t.Fatal(err)
	}
	if len(it.Attachments) != 0 {
		t.Errorf("after remove: %+v", it.Attachments)
	}
	if _, err := fc.open(t, att); !errors.Is(err, vault.ErrNoAttachment) {
		t.Errorf("opening a removed file: %v", err)
	}
	assertNoAttachments(t, fc)
}

func TestSaveAsWritesTheFile(t *testing.T) {
	fc := newFileCore(t)
	data := randomBytes(t, vault.ChunkSize+5)
	it, err := fc.add(t, writeFile(t, "licence.key", data))
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "copy.key")
	var saveErr error
	fc.SaveAttachmentAs(it.ID, it.Attachments[0].ID, out, func(err error) { saveErr = err })
	if saveErr != nil {
		t.Fatal(saveErr)
	}
	got, err := os.ReadFile(out)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("saved %d bytes (%v), want %d", len(got), err, len(data))
	}
	assertMode(t, out, 0o600)

	fc.SaveAttachmentAs(it.ID, it.Attachments[0].ID, filepath.Join(t.TempDir(), "no such folder", "x"), func(err error) { saveErr = err })
	if m := SaveMessage(saveErr); m.Key != "attach.errSave" {
		t.Errorf("saving into a missing folder: %q (%v)", m.Key, saveErr)
	}
}

// Dropping files with no item on show makes a Document item for them.
func TestDropWithoutItemMakesDocument(t *testing.T) {
	fc := newFileCore(t)
	var got *vault.Item
	fc.AddFiles(vault.ID{}, []string{writeFile(t, "passport.png", pngBytes(t, 8, 6))}, func(string) {}, func(it *vault.Item, err error) {
		if err != nil {
			t.Fatal(err)
		}
		got = it
	})
	if got == nil || got.Type != vault.TypeDocument || got.Title != "passport" || len(got.Attachments) != 1 {
		t.Fatalf("dropped file made %+v", got)
	}
	// A first file that fails leaves no empty Document behind.
	before := len(fc.Items())
	fc.AddFiles(vault.ID{}, []string{filepath.Join(t.TempDir(), "gone.pdf")}, func(string) {}, func(it *vault.Item, err error) {
		if err == nil || it != nil {
			t.Errorf("a missing file made %+v (%v)", it, err)
		}
	})
	if len(fc.Items()) != before {
		t.Errorf("a failed drop left an item: %d items, want %d", len(fc.Items()), before)
	}
}

func pngBytes(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	img.Set(1, 1, color.NRGBA{R: 200, A: 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestPreviewDecodesPictures(t *testing.T) {
	fc := newFileCore(t)
	it, err := fc.add(t, writeFile(t, "photo.png", pngBytes(t, 40, 30)), writeFile(t, "notes.txt", []byte("not a picture")))
	if err != nil {
		t.Fatal(err)
	}
	rows := Attachments(it)
	if !rows[0].Image || rows[1].Image {
		t.Fatalf("previewable: %v %v", rows[0].Image, rows[1].Image)
	}
	var img image.Image
	fc.Preview(it.ID, rows[0].ID, func(i image.Image, err error) {
		if err != nil {
			t.Fatal(err)
		}
		img = i
	})
	if img == nil || img.Bounds().Dx() != 40 || img.Bounds().Dy() != 30 {
		t.Fatalf("preview %v", img)
	}
	fc.Preview(it.ID, rows[1].ID, func(i image.Image, err error) {
		if !errors.Is(err, ErrNoPreview) {
			t.Errorf("preview of text: %v", err)
		}
	})
}

// A small file that declares a huge canvas is not decoded.
func TestPreviewRefusesHugeCanvas(t *testing.T) {
	b := pngBytes(t, 1, 1)
	// IHDR's width and height are bytes 16..23; the CRC is not checked by DecodeConfig
	// before the size is read, and Decode would fail on it anyway.
	huge := append([]byte(nil), b...)
	copy(huge[16:24], []byte{0, 0, 0x40, 0, 0, 0, 0x40, 0}) // 16384 × 16384
	if _, err := decodePreview(huge); !errors.Is(err, ErrNoPreview) {
		t.Errorf("huge canvas: %v", err)
	}
	if _, err := decodePreview(b); err != nil {
		t.Errorf("a 1×1 picture: %v", err)
	}
}

func FuzzDecodePreview(f *testing.F) {
	f.Add(pngBytes(f, 3, 2))
	f.Add([]byte("GIF89a"))
	f.Add([]byte{0xff, 0xd8, 0xff})
	f.Fuzz(func(t *testing.T, b []byte) {
		img, err := decodePreview(b)
		if err != nil {
			if !errors.Is(err, ErrNoPreview) {
				t.Fatalf("error %v is not ErrNoPreview", err)
			}
			return
		}
		r := img.Bounds()
		if int64(r.Dx())*int64(r.Dy()) > previewMaxPixels {
			t.Fatalf("decoded %v, over the bound", r)
		}
	})
}

func TestSafeFileName(t *testing.T) {
	for in, want := range map[string]string{
		"scan.pdf":          "scan.pdf",
		"../../etc/passwd":  "_.._etc_passwd",
		".hidden":           "hidden",
		"  ":                "file",
		"a\x00b:c?.txt":     "a_b_c_.txt",
		`C:\Users\x\id.jpg`: "C__Users_x_id.jpg",
	} {
		if got := safeFileName(in); got != want {
			t.Errorf("safeFileName(%q) = %q, want %q", in, got, want)
		}
	}
}
