package ui

import (
	"bytes"
	"errors"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/valvpm/valv/ui/appcore"
	"github.com/valvpm/valv/vault"
)

// fileOnDisk writes data to a file called name in a folder of its own.
func fileOnDisk(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// withNote is an unlocked vault with one note on show.
func withNote(t *testing.T) (*testApp, *detailView) {
	t.Helper()
	ta := newTestApp(t, true)
	ta.createVault(strongPassword)
	ta.addItem(vault.TypeNote, map[string]string{"title": "Passport", "notes": "renew 2030"})
	return ta, ta.selectTitle("Passport")
}

func TestFilesAddedShowWithSize(t *testing.T) {
	ta, d := withNote(t)
	ta.u.addFiles(d.it.ID, []string{fileOnDisk(t, "scan.pdf", bytes.Repeat([]byte("x"), 2560))})
	if ta.u.progress == nil || !ta.u.progress.closed {
		t.Fatal("adding a file showed no progress, or left it open")
	}
	d = ta.u.main.detail
	r := d.files.row("scan.pdf")
	if r == nil {
		t.Fatalf("the detail view lists no scan.pdf")
	}
	if r.size.Text != "2.5 KB" {
		t.Errorf("size shown %q, want 2.5 KB", r.size.Text)
	}
	if len(ta.u.dialogs) != 0 {
		t.Errorf("%d dialogs left open", len(ta.u.dialogs))
	}
}

func TestFileSizeInSwedish(t *testing.T) {
	if err := SetLanguage("sv"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := SetLanguage("en"); err != nil {
			t.Error(err)
		}
	})
	ta, d := withNote(t)
	ta.u.addFiles(d.it.ID, []string{fileOnDisk(t, "id.txt", bytes.Repeat([]byte("x"), 3<<20+200<<10))})
	if r := ta.u.main.detail.files.row("id.txt"); r == nil || r.size.Text != "3,2 MB" {
		t.Fatalf("row %+v", r)
	}
}

func TestRemoveFileAsksFirst(t *testing.T) {
	ta, d := withNote(t)
	ta.u.addFiles(d.it.ID, []string{fileOnDisk(t, "old.pdf", []byte("%PDF"))})
	r := ta.u.main.detail.files.row("old.pdf")
	if r == nil {
		t.Fatal("no row")
	}
	menuItem(t, r.menu, T("attach.remove")).Action()
	if ta.u.asked == nil {
		t.Fatal("Remove did not ask")
	}
	// Cancel keeps the file.
	ta.u.asked.Hide()
	if it, _ := ta.ctrl.Item(d.it.ID); len(it.Attachments) != 1 {
		t.Fatalf("Cancel removed the file: %+v", it.Attachments)
	}
	r = ta.u.main.detail.files.row("old.pdf")
	menuItem(t, r.menu, T("attach.remove")).Action()
	confirmAsked(t, ta)
	if it, _ := ta.ctrl.Item(d.it.ID); len(it.Attachments) != 0 {
		t.Fatalf("the file is still there: %+v", it.Attachments)
	}
	if ta.u.main.detail.files.row("old.pdf") != nil {
		t.Error("the detail view still lists the removed file")
	}
}

// confirmAsked presses Remove in the open question.
func confirmAsked(t *testing.T, ta *testApp) {
	t.Helper()
	b := buttonOnTop(ta.u.win, T("attach.remove"))
	if b == nil {
		t.Fatal("the question has no Remove button")
	}
	test.Tap(b)
}

func menuItem(t *testing.T, m *fyne.Menu, label string) *fyne.MenuItem {
	t.Helper()
	for _, mi := range m.Items {
		if mi.Label == label {
			return mi
		}
	}
	t.Fatalf("no %q in the menu", label)
	return nil
}

func TestRenameFile(t *testing.T) {
	ta, d := withNote(t)
	ta.u.addFiles(d.it.ID, []string{fileOnDisk(t, "scan1.pdf", []byte("%PDF"))})
	menuItem(t, ta.u.main.detail.files.row("scan1.pdf").menu, T("attach.rename")).Action()
	r := ta.u.renameFile
	r.name.SetText("")
	test.Tap(r.save)
	if !r.message.Visible() || r.message.Text != T("attach.errNameEmpty") {
		t.Errorf("an empty name says %q", r.message.Text)
	}
	test.Type(r.name, "Passport.pdf")
	test.Tap(r.save)
	if ta.u.main.detail.files.row("Passport.pdf") == nil {
		t.Fatal("the renamed file is not listed")
	}
}

// Open writes the private copy the viewer gets; locking removes it.
func TestOpenFileThenLock(t *testing.T) {
	ta, d := withNote(t)
	data := []byte("recovery codes: 1234-5678")
	ta.u.addFiles(d.it.ID, []string{fileOnDisk(t, "codes.txt", data)})
	test.Tap(ta.u.main.detail.files.row("codes.txt").open)
	matches, err := filepath.Glob(filepath.Join(ta.ctrl.OpenedDir(), "*", "codes.txt"))
	if err != nil || len(matches) != 1 {
		t.Fatalf("copies: %v (%v)", matches, err)
	}
	if got, err := os.ReadFile(matches[0]); err != nil || !bytes.Equal(got, data) {
		t.Fatalf("the copy holds %q (%v)", got, err)
	}
	test.Tap(ta.u.main.lock)
	if _, err := os.Stat(matches[0]); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the copy outlived the lock: %v", err)
	}
}

// Dropping files adds them to the item on show, or makes a Document without one.
func TestDropFiles(t *testing.T) {
	ta, d := withNote(t)
	uri := storage.NewFileURI(fileOnDisk(t, "dropped.txt", []byte("hello")))
	ta.u.dropped(fyne.NewPos(10, 10), []fyne.URI{uri})
	if it, _ := ta.ctrl.Item(d.it.ID); len(it.Attachments) != 1 || it.Attachments[0].Name != "dropped.txt" {
		t.Fatalf("the drop gave %+v", it.Attachments)
	}

	ta.u.main.selected = vault.ID{}
	ta.u.main.reload()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, 12, 9))); err != nil {
		t.Fatal(err)
	}
	ta.u.dropped(fyne.NewPos(10, 10), []fyne.URI{storage.NewFileURI(fileOnDisk(t, "licence.png", b.Bytes()))})
	d = ta.u.main.detail
	if d == nil || d.it.Type != vault.TypeDocument || d.it.Title != "licence" {
		t.Fatalf("a drop with nothing on show shows %+v", d)
	}
	r := d.files.row("licence.png")
	if r == nil || r.preview == nil || !r.preview.Visible() || r.preview.Image.Bounds().Dx() != 12 {
		t.Fatalf("the picture has no preview: %+v", r)
	}
}

// A Document made in the editor stores the files added there on Save.
func TestEditorDocumentWithFiles(t *testing.T) {
	ta := newTestApp(t, true)
	ta.createVault(strongPassword)
	ta.u.main.add(vault.TypeDocument)
	e := ta.u.editor
	test.Type(e.entries["title"], "Tax 2025")
	e.addPending(fileOnDisk(t, "return.pdf", []byte("%PDF tax")))
	if e.formState() == e.opened {
		t.Error("a file added in the editor is not a change (Esc would drop it silently)")
	}
	test.Tap(e.save)
	d := ta.u.main.detail
	if d == nil || d.it.Title != "Tax 2025" || d.files.row("return.pdf") == nil {
		t.Fatalf("after Save the detail view shows %+v", d)
	}
}

func TestTooLargeFileSentence(t *testing.T) {
	ta, d := withNote(t)
	p := filepath.Join(t.TempDir(), "film.mkv")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(vault.MaxAttachmentSize + 1); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	ta.u.addFiles(d.it.ID, []string{p})
	want := T("attach.errTooLargeNamed", map[string]any{"Name": "film.mkv"})
	if !saysOnTop(ta, want) {
		t.Errorf("the window does not say %q", want)
	}
}

// saysOnTop reports whether the window's top overlay shows s.
func saysOnTop(ta *testApp, s string) bool {
	top := ta.u.win.Canvas().Overlays().Top()
	return top != nil && strings.Contains(visibleTexts(top), s)
}

func TestDocumentsCategory(t *testing.T) {
	ta, _ := withNote(t)
	ta.u.addFiles(vault.ID{}, []string{fileOnDisk(t, "licence.txt", []byte("key"))})
	u := ta.u
	u.main.categories.Select(int(appcore.CatDocument))
	if got := ta.titles(); len(got) != 1 || got[0] != "licence" {
		t.Errorf("Documents shows %q, want only the Document item", got)
	}
	if got := categoryName(appcore.CatDocument); got != T("category.documents") || got == "category.documents" {
		t.Errorf("the sidebar names the category %q", got)
	}
	if categoryIcon(appcore.CatDocument) != typeIcon(vault.TypeDocument) || typeIcon(vault.TypeDocument) == typeIcon(vault.TypeNote) {
		t.Error("a Document is not shown with its own icon")
	}
	u.main.categories.Select(int(appcore.CatNote))
	if got := ta.titles(); len(got) != 1 || got[0] != "Passport" {
		t.Errorf("Notes shows %q", got)
	}
}

// dialogParts lists the labels and buttons of the dialog on top of the window.
func dialogParts(t *testing.T, u *UI) (content fyne.CanvasObject, labels []*widget.Label, buttons []*widget.Button) {
	t.Helper()
	pop, ok := u.win.Canvas().Overlays().Top().(*widget.PopUp)
	if !ok {
		t.Fatal("no dialog is open")
	}
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if !o.Visible() {
			return
		}
		switch x := o.(type) {
		case *widget.Label:
			labels = append(labels, x)
		case *widget.Button:
			buttons = append(buttons, x)
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(x).Objects() {
				walk(c)
			}
		}
	}
	walk(pop.Content)
	return pop.Content, labels, buttons
}

// checkDialogFits fails when the dialog on top leaves the window, or a label of it is
// cut short or runs into its buttons. The title (what) is left out: Fyne's dialog
// draws it without giving its label a size.
func checkDialogFits(t *testing.T, u *UI, what string) {
	t.Helper()
	d := fyne.CurrentApp().Driver()
	content, labels, buttons := dialogParts(t, u)
	win := u.win.Canvas().Size()
	pos := d.AbsolutePositionForObject(content)
	if pos.X < 0 || pos.Y < 0 || pos.X+content.Size().Width > win.Width || pos.Y+content.Size().Height > win.Height {
		t.Errorf("%s: the dialog (%v, %v) leaves the %v window", what, pos, content.Size(), win)
	}
	if len(buttons) == 0 {
		t.Fatalf("%s: the dialog has no buttons", what)
	}
	buttonsTop := win.Height
	for _, b := range buttons {
		buttonsTop = min(buttonsTop, d.AbsolutePositionForObject(b).Y)
	}
	for _, l := range labels {
		if l.Text == "" || l.Text == what {
			continue
		}
		top, need := d.AbsolutePositionForObject(l).Y, l.MinSize().Height
		if need > l.Size().Height+0.5 {
			t.Errorf("%s: %q needs %.0f px and has %.0f", what, l.Text, need, l.Size().Height)
		}
		if top < buttonsTop && top+need > buttonsTop+0.5 {
			t.Errorf("%s: %q runs to %.0f, into the buttons at %.0f", what, l.Text, top+need, buttonsTop)
		}
	}
}

// TestFileDialogsFitSmallWindow: at 800×600, in each language and with a long file
// name, the files' dialogs (remove, adding and downloading, rename with its error, a
// file's error sentence) show their whole text above their buttons.
func TestFileDialogsFitSmallWindow(t *testing.T) {
	const long = "passport-scan-2026-front-and-back-pages-for-the-embassy-appointment.pdf"
	for _, lang := range []string{"en", "sv", "id", "vi"} {
		t.Run(lang, func(t *testing.T) {
			if err := SetLanguage(lang); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() {
				if err := SetLanguage("en"); err != nil {
					t.Error(err)
				}
			})
			ta, d := withNote(t)
			u := ta.u
			u.win.Resize(fyne.NewSize(800, 600))

			u.confirmDanger(T("attach.removeTitle"), T("attach.removeBody", map[string]any{"Name": long, "Title": d.it.Title}), T("attach.remove"), func() {})
			checkDialogFits(t, u, T("attach.removeTitle"))
			u.closeAllDialogs()

			p := u.showProgress(T("attach.adding", map[string]any{"Name": long}))
			checkDialogFits(t, u, T("attach.section"))
			p.say(T("attach.downloading", map[string]any{"Name": long}))
			checkDialogFits(t, u, T("attach.section"))
			p.close()

			r := showRenameFile(u, long, func(string) error { return vault.ErrAttachmentExists })
			test.Tap(r.save)
			if !r.message.Visible() {
				t.Fatal("the rename dialog shows no error")
			}
			checkDialogFits(t, u, T("attach.renameTitle"))
			u.closeAllDialogs()

			u.showMessage(T("dialog.errorTitle"), say(appcore.AttachMessage(&appcore.FileError{Name: long, Err: vault.ErrAttachmentTooLarge})))
			checkDialogFits(t, u, T("dialog.errorTitle"))
			u.closeAllDialogs()
		})
	}
}
