package ui

import (
	"bytes"
	"encoding/csv"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/valvpm/valv/vault"
	"github.com/valvpm/valv/vault/transfer"
)

// fixturePath is a file of vault/transfer's hand-written fixtures.
func fixturePath(name string) string {
	return filepath.Join("..", "vault", "transfer", "testdata", name)
}

// unlockedApp is a test app with a fresh, unlocked vault holding items.
func unlockedApp(t *testing.T, items ...*vault.Item) *testApp {
	t.Helper()
	ta := newTestApp(t, true)
	ta.createVault(strongPassword)
	for _, it := range items {
		if _, err := ta.ctrl.Save(it); err != nil {
			t.Fatal(err)
		}
	}
	ta.u.main.reload()
	return ta
}

// dialogTexts returns the text of every label and button on the window's overlays (the
// open dialogs), for asserting what a person reads there.
func dialogTexts(u *UI) string {
	var b strings.Builder
	for _, o := range u.win.Canvas().Overlays().List() {
		for _, x := range test.LaidOutObjects(o) {
			switch w := x.(type) {
			case *widget.Label:
				if w.Visible() {
					b.WriteString(w.Text + "\n")
				}
			case *widget.Button:
				if w.Visible() {
					b.WriteString(w.Text + "\n")
				}
			case *canvas.Text: // form labels and radio options
				if w.Visible() {
					b.WriteString(w.Text + "\n")
				}
			}
		}
	}
	return b.String()
}

// importTo walks File → Import with path up to the summary (or the step an error or
// an export password stops at).
func importTo(t *testing.T, ta *testApp, path string) *importDialog {
	t.Helper()
	d := showImport(ta.u)
	d.askPath = func(done func(string)) { done(path) }
	test.Tap(d.choose)
	if d.check.Disabled() {
		t.Fatal("choosing a file left Check file disabled")
	}
	test.Tap(d.check)
	return d
}

// TestImportSummaryCancelImportAgain: the summary tells what the file holds; Cancel
// writes nothing; Import writes it; a second import finds only duplicates.
func TestImportSummaryCancelImportAgain(t *testing.T) {
	ta := unlockedApp(t)
	u := ta.u
	d := importTo(t, ta, fixturePath("chrome.csv"))
	if d.summary == nil || d.job.Plan() == nil {
		t.Fatalf("no summary; the dialog says:\n%s", dialogTexts(u))
	}
	p := d.job.Plan()
	if got := p.Counts(); got[vault.TypeLogin] != 4 || len(got) != 1 || p.Duplicates != 1 || len(p.Problems) != 1 {
		t.Fatalf("plan: counts %v, %d duplicates, %d problems; want 4 logins, 1, 1", got, p.Duplicates, len(p.Problems))
	}
	txt := dialogTexts(u)
	for _, want := range []string{
		T("transfer.format.chrome"), "chrome.csv", T("transfer.toImport"), typeName(vault.TypeLogin),
		T("transfer.duplicates"), T("transfer.problemsHead"),
		`Line 7 (“broken.example”): the row has 3 columns, the header has 5`,
	} {
		if !strings.Contains(txt, want) {
			t.Errorf("the summary lacks %q; it says:\n%s", want, txt)
		}
	}
	if d.doImport.Disabled() {
		t.Error("Import is disabled with 4 new items")
	}

	// Cancel: nothing written, and the job that held the file's bytes is dropped
	// (appcore's tests check that dropping wipes them).
	test.Tap(d.cancel)
	if len(u.dialogs) != 0 {
		t.Error("Cancel left the dialog open")
	}
	if n := len(ta.ctrl.Items()); n != 0 {
		t.Fatalf("Cancel wrote %d items", n)
	}
	if d.job.Plan() != nil || !d.job.Dropped() {
		t.Error("Cancel kept the plan or the file's bytes")
	}

	// Import: one transaction, the list shows the new items.
	d = importTo(t, ta, fixturePath("chrome.csv"))
	test.Tap(d.doImport)
	if got := d.result.Text; !strings.Contains(got, T("transfer.imported", map[string]any{"Count": 4})) ||
		!strings.Contains(got, T("transfer.importedDuplicates", map[string]any{"Count": 1})) {
		t.Errorf("the result says %q", got)
	}
	if n := len(ta.ctrl.Items()); n != 4 {
		t.Fatalf("Import wrote %d items, want 4", n)
	}
	if got := u.main.count.Text; got != T("main.count", map[string]any{"Count": 4}) {
		t.Errorf("the list count says %q after the import", got)
	}
	if !slices.Contains(ta.titles(), "forum.example.se") {
		t.Errorf("the list lacks an imported title: %q", ta.titles())
	}
	test.Tap(d.done)

	// Again: everything is a duplicate, so there is nothing to import.
	d = importTo(t, ta, fixturePath("chrome.csv"))
	if p := d.job.Plan(); p == nil || len(p.Items) != 0 || p.Duplicates != 5 {
		t.Fatalf("second import: %+v", p)
	}
	if !strings.Contains(dialogTexts(u), T("transfer.nothingNew")) || !d.doImport.Disabled() {
		t.Error("a file with nothing new still offers Import")
	}
	test.Tap(d.doImport)
	if n := len(ta.ctrl.Items()); n != 4 {
		t.Errorf("%d items after importing only duplicates", n)
	}
}

// TestImportErrors: a file that is no export, a missing file and a forced wrong format
// each give a sentence and leave the person on the first step.
func TestImportErrors(t *testing.T) {
	ta := unlockedApp(t)
	junk := filepath.Join(t.TempDir(), "notes.txt")
	if err := os.WriteFile(junk, []byte("just some words\nand more words\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path   string
		format int // index in the Select; 0 detects
		want   string
	}{
		{junk, 0, T("transfer.errUnknownFormat")},
		{filepath.Join(t.TempDir(), "gone.csv"), 0, T("transfer.errFile")},
		{fixturePath("chrome.csv"), 1 + slices.Index(transfer.Formats, transfer.FormatKeePassXML), T("transfer.errUnreadable")},
	} {
		d := showImport(ta.u)
		d.askPath = func(done func(string)) { done(tc.path) }
		test.Tap(d.choose)
		d.format.SetSelectedIndex(tc.format)
		test.Tap(d.check)
		if !d.message.Visible() || d.message.Text != tc.want {
			t.Errorf("%s: the dialog says %q, want %q", filepath.Base(tc.path), d.message.Text, tc.want)
		}
		if d.check.Disabled() || len(ta.u.dialogs) != 1 {
			t.Errorf("%s: the first step is not back", filepath.Base(tc.path))
		}
		ta.u.closeAllDialogs()
	}
	if n := len(ta.ctrl.Items()); n != 0 {
		t.Errorf("failed imports wrote %d items", n)
	}
}

// TestExportJSONReimport: a JSON export imported into a fresh vault gives the same
// items; the file is 0600; Import then Export of every type loses nothing.
func TestExportJSONReimport(t *testing.T) {
	ta := unlockedApp(t, sampleItems()...)
	path := filepath.Join(t.TempDir(), "all.json")
	d := exportTo(t, ta, transfer.JSONExport, strongPassword, path)
	if !strings.Contains(d.result.Text, T("transfer.exportedAll", map[string]any{"Count": len(sampleItems()), "File": "all.json"})) ||
		!strings.Contains(d.result.Text, T("transfer.exportedPlain")) {
		t.Errorf("the result says %q", d.result.Text)
	}
	assertPrivate(t, path)

	fresh := unlockedApp(t)
	imp := importTo(t, fresh, path)
	if imp.job.Plan() == nil || imp.job.Plan().Format != transfer.FormatValvJSON {
		t.Fatalf("the export did not import as Valv JSON:\n%s", dialogTexts(fresh.u))
	}
	test.Tap(imp.doImport)
	assertSameItems(t, ta, fresh)
}

// exportTo walks File → Export as kind with password (the master password for plain
// text, the export password for encrypted) and saves to path.
func exportTo(t *testing.T, ta *testApp, kind transfer.ExportKind, password, path string) *exportDialog {
	t.Helper()
	d := showExport(ta.u)
	asked := ""
	d.askPath = func(name string, done func(string)) { asked = name; done(path) }
	d.kind.SetSelected(d.kinds[kind])
	if kind == transfer.EncryptedExport {
		typeSecret(d.pair.pw1, password)
		typeSecret(d.pair.pw2, password)
	} else {
		typeSecret(d.master, password)
	}
	test.Tap(d.next)
	if asked == "" {
		t.Fatalf("Export… did not ask where to save; the dialog says:\n%s", dialogTexts(ta.u))
	}
	if filepath.Ext(asked) != map[transfer.ExportKind]string{transfer.EncryptedExport: ".valv", transfer.JSONExport: ".json", transfer.CSVExport: ".csv"}[kind] {
		t.Errorf("the suggested name %q does not fit the kind", asked)
	}
	return d
}

func assertPrivate(t *testing.T, path string) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("%s has mode %v, want 0600", path, fi.Mode().Perm())
	}
}

// assertSameItems compares two vaults' items without IDs (an import assigns new ones).
func assertSameItems(t *testing.T, a, b *testApp) {
	t.Helper()
	strip := func(ta *testApp) []*vault.Item {
		v, err := ta.ctrl.Unlocked()
		if err != nil {
			t.Fatal(err)
		}
		items, err := v.List(vault.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		out := make([]*vault.Item, len(items))
		for i, it := range items {
			c := it.Clone()
			c.ID = vault.ID{}
			out[i] = c
		}
		slices.SortFunc(out, func(x, y *vault.Item) int { return strings.Compare(x.Title, y.Title) })
		return out
	}
	want, got := strip(a), strip(b)
	if len(want) != len(got) {
		t.Fatalf("%d items, want %d", len(got), len(want))
	}
	for i := range want {
		w, g := want[i], got[i]
		if w.Type != g.Type || w.Title != g.Title || w.Username != g.Username || w.Password != g.Password ||
			w.Notes != g.Notes || w.Number != g.Number || w.City != g.City || !slices.Equal(w.URLs, g.URLs) ||
			w.Favourite != g.Favourite || !w.Modified.Equal(g.Modified) {
			t.Errorf("item %q differs:\n got %+v\nwant %+v", w.Title, g, w)
		}
	}
}

// TestEncryptedExportImport: export encrypted; importing it asks for the export
// password, says when it is wrong and lets the person try again.
func TestEncryptedExportImport(t *testing.T) {
	ta := unlockedApp(t, sampleItems()...)
	path := filepath.Join(t.TempDir(), "backup.valv")
	const exportPW = "ekspor: rahasia ✓ hallå Ý"
	d := exportTo(t, ta, transfer.EncryptedExport, exportPW, path)
	if !strings.Contains(d.result.Text, T("transfer.exportedKeepPassword")) {
		t.Errorf("the result says %q", d.result.Text)
	}
	if d.job.Ready() {
		t.Error("the export password outlived the write")
	}
	assertPrivate(t, path)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(b, []byte("GitHub")) || bytes.Contains(b, []byte("x7!Rk2#pQ9vL")) {
		t.Fatal("the encrypted export holds plaintext")
	}

	fresh := unlockedApp(t)
	imp := importTo(t, fresh, path)
	if !imp.password.Visible() || imp.summary != nil {
		t.Fatalf("an encrypted export did not ask for its password:\n%s", dialogTexts(fresh.u))
	}
	test.Tap(imp.open)
	if imp.pwMessage.Text != T("transfer.needExportPassword") {
		t.Errorf("Open with no password says %q", imp.pwMessage.Text)
	}
	typeSecret(imp.password, "not the password")
	test.Tap(imp.open)
	if !imp.pwMessage.Visible() || imp.pwMessage.Text != T("transfer.wrongExportPassword") || imp.password.Len() != 0 {
		t.Fatalf("a wrong export password: message %q, entry holds %d", imp.pwMessage.Text, imp.password.Len())
	}
	typeSecret(imp.password, exportPW)
	imp.password.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) // Enter opens
	if imp.job.Plan() == nil || imp.job.Plan().Format != transfer.FormatValvEncrypted || len(imp.job.Plan().Items) != len(sampleItems()) {
		t.Fatalf("the right export password gave no summary:\n%s", dialogTexts(fresh.u))
	}
	test.Tap(imp.doImport)
	assertSameItems(t, ta, fresh)

	test.Tap(imp.done)

	// Esc in the password entry closes the dialog.
	imp = importTo(t, fresh, path)
	imp.password.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if len(fresh.u.dialogs) != 0 {
		t.Error("Esc left the import dialog open")
	}
}

// TestExportCSVCount: the CSV export says, before and after, how many items of other
// types it leaves out, and writes the website logins.
func TestExportCSVCount(t *testing.T) {
	items := sampleItems()
	logins := 0
	for _, it := range items {
		if it.Type == vault.TypeLogin {
			logins++
		}
	}
	ta := unlockedApp(t, items...)
	path := filepath.Join(t.TempDir(), "browser.csv")
	d := showExport(ta.u)
	d.kind.SetSelected(d.kinds[transfer.CSVExport])
	note := T("transfer.csvNote", map[string]any{"Logins": logins, "Others": len(items) - logins})
	if !strings.Contains(dialogTexts(ta.u), note) {
		t.Errorf("the CSV choice does not say what is left out; the dialog says:\n%s", dialogTexts(ta.u))
	}
	if !strings.Contains(dialogTexts(ta.u), T("transfer.plainWarning")) {
		t.Error("the CSV choice shows no plain-text warning")
	}
	ta.u.closeAllDialogs()

	d = exportTo(t, ta, transfer.CSVExport, strongPassword, path)
	for _, want := range []string{
		T("transfer.exportedCSV", map[string]any{"Count": logins, "File": "browser.csv"}),
		T("transfer.exportedSkipped", map[string]any{"Count": len(items) - logins}),
	} {
		if !strings.Contains(d.result.Text, want) {
			t.Errorf("the result %q lacks %q", d.result.Text, want)
		}
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != logins+1 || strings.Join(rows[0], ",") != "name,url,username,password,note" {
		t.Errorf("the CSV has %d rows, header %q", len(rows), rows[0])
	}
	assertPrivate(t, path)
}

// TestPlainExportNeedsMasterPassword: no file is asked for, let alone written, until
// the master password is typed right; the vault's header is left as it was.
func TestPlainExportNeedsMasterPassword(t *testing.T) {
	ta := unlockedApp(t, sampleItems()...)
	v, _ := ta.ctrl.Unlocked()
	header := v.HeaderBytes()
	d := showExport(ta.u)
	asked := 0
	d.askPath = func(string, func(string)) { asked++ }
	d.kind.SetSelected(d.kinds[transfer.JSONExport])
	if !strings.Contains(dialogTexts(ta.u), T("transfer.plainWarning")) {
		t.Error("a plain-text export shows no warning")
	}
	test.Tap(d.next)
	if d.message.Text != T("transfer.needMaster") || asked != 0 {
		t.Errorf("Export… with no master password: %q, asked %d", d.message.Text, asked)
	}
	typeSecret(d.master, "not my master password")
	test.Tap(d.next)
	if d.message.Text != T("error.wrongPassword") || asked != 0 || d.job.Ready() {
		t.Errorf("a wrong master password: %q, asked %d, ready %v", d.message.Text, asked, d.job.Ready())
	}
	if d.master.Len() != 0 {
		t.Error("the wrong master password stayed in the entry")
	}
	// Writing is refused too if reached without the check.
	d.saveTo(filepath.Join(t.TempDir(), "x.json"))
	if _, err := os.Stat(filepath.Join(t.TempDir(), "x.json")); err == nil {
		t.Error("an unconfirmed export was written")
	}
	typeSecret(d.master, strongPassword)
	d.master.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if asked != 1 || !d.job.Ready() {
		t.Errorf("the right master password: asked %d, ready %v, message %q", asked, d.job.Ready(), d.message.Text)
	}
	if !bytes.Equal(v.HeaderBytes(), header) {
		t.Error("checking the master password changed the vault header")
	}
	entries, err := os.ReadDir(filepath.Dir(v.Path()))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".check-") {
			t.Errorf("the password check left %s behind", e.Name())
		}
	}
}

// TestLockClosesTransferDialogs: a lock (Ctrl+L or auto-lock) while the summary or the
// export dialog is open closes them and drops what they held.
func TestLockClosesTransferDialogs(t *testing.T) {
	ta := unlockedApp(t)
	u := ta.u
	d := importTo(t, ta, fixturePath("chrome.csv"))
	if d.summary == nil {
		t.Fatal("no summary")
	}
	u.win.Canvas().(fyne.Shortcutable).TypedShortcut(lockShortcut)
	if u.unlock == nil || len(u.dialogs) != 0 || len(u.win.Canvas().Overlays().List()) != 0 {
		t.Fatal("Ctrl+L left the import summary open")
	}
	if d.job.Plan() != nil || !d.job.Dropped() || d.summary != nil {
		t.Error("the closed import kept the plan or the file's bytes")
	}
	typeSecret(u.unlock.pw, strongPassword)
	test.Tap(u.unlock.submit)
	if n := len(ta.ctrl.Items()); n != 0 {
		t.Errorf("locking during the summary imported %d items", n)
	}

	e := showExport(u)
	typeSecret(e.pair.pw1, "a long export password 42")
	typeSecret(e.pair.pw2, "a long export password 42")
	e.askPath = func(string, func(string)) {} // the save dialog is open…
	test.Tap(e.next)
	if !e.job.Ready() {
		t.Fatal("the export password was not taken")
	}
	ta.ctrl.Lock() // …when auto-lock strikes
	if len(u.dialogs) != 0 || !e.job.Dropped() || e.job.Ready() || e.pair.pw1.Len() != 0 {
		t.Error("the lock kept the export dialog or its password")
	}
}

// TestFileMenu: File has Import… and Export…, enabled only while the vault is open.
func TestFileMenu(t *testing.T) {
	ta := newTestApp(t, true)
	items := func() []*fyne.MenuItem {
		m := ta.u.win.MainMenu()
		if m == nil || len(m.Items) != 3 || m.Items[0].Label != T("transfer.menuFile") {
			t.Fatalf("no File menu: %+v", m)
		}
		return m.Items[0].Items
	}
	if it := items(); !it[0].Disabled || !it[1].Disabled {
		t.Error("Import/Export are enabled with no vault")
	}
	ta.createVault(strongPassword)
	it := items()
	if it[0].Label != T("transfer.menuImport") || it[1].Label != T("transfer.menuExport") || it[0].Disabled || it[1].Disabled {
		t.Fatalf("File menu of the open vault: %q %v, %q %v", it[0].Label, it[0].Disabled, it[1].Label, it[1].Disabled)
	}
	if last := it[len(it)-1]; !last.IsQuit || last.Label != T("transfer.menuQuit") {
		t.Errorf("the last item is %q, want Quit", last.Label)
	}
	it[0].Action()
	if len(ta.u.dialogs) != 1 || !strings.Contains(dialogTexts(ta.u), T("transfer.importIntro")) {
		t.Error("File → Import… did not open the import dialog")
	}
	ta.u.closeAllDialogs()
	it[1].Action()
	if len(ta.u.dialogs) != 1 || !strings.Contains(dialogTexts(ta.u), T("transfer.kindEncrypted")) {
		t.Error("File → Export… did not open the export dialog")
	}
	test.Tap(ta.u.main.lock)
	if it := items(); !it[0].Disabled || !it[1].Disabled {
		t.Error("Import/Export are enabled while locked")
	}
	it[0].Action() // a menu built before the lock does nothing either
	if len(ta.u.dialogs) != 0 {
		t.Error("File → Import… opened on the locked screen")
	}
}

// TestEveryFormatNamed: each importable format has a translated name.
func TestEveryFormatNamed(t *testing.T) {
	for _, f := range transfer.Formats {
		if formatName(f) == "transfer.format."+string(f) {
			t.Errorf("no English name for format %s", f)
		}
	}
}

// TestTransferTranslated walks both dialogs in Swedish and fails on any text that did
// not come through T (file names, titles and transfer's English reasons aside).
func TestTransferTranslated(t *testing.T) {
	if err := SetLanguage("sv"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = SetLanguage("en") })
	fromT := trackTranslations()
	t.Cleanup(func() { trackOutput = false })
	ta := unlockedApp(t, sampleItems()...)
	u := ta.u
	check := func(step string, data ...string) {
		t.Helper()
		for _, o := range u.win.Canvas().Overlays().List() {
			for _, x := range test.LaidOutObjects(o) {
				txt, ok := x.(*canvas.Text)
				if !ok || !txt.Visible() {
					continue
				}
				s := strings.TrimSpace(txt.Text)
				if s == "" || fromT(s) || strings.Trim(s, "•") == "" || slices.ContainsFunc(data, func(d string) bool { return strings.Contains(d, s) }) {
					continue
				}
				if parts := strings.Split(s, " · "); len(parts) > 1 && !slices.ContainsFunc(parts, func(p string) bool { return !fromT(p) }) {
					continue // the counts per type, each from T
				}
				t.Errorf("%s shows %q, which did not come through T", step, s)
			}
		}
	}
	d := showImport(u)
	check("import")
	d.askPath = func(done func(string)) { done(fixturePath("bitwarden.json")) }
	test.Tap(d.choose)
	check("import with a file", "bitwarden.json")
	test.Tap(d.check)
	var data []string
	for _, p := range append(d.job.Plan().Problems, d.job.Plan().Notices...) {
		data = append(data, p.Title, p.Reason)
	}
	check("summary", append(data, "bitwarden.json")...)
	test.Tap(d.doImport)
	check("import result")
	u.closeAllDialogs()
	e := showExport(u)
	check("export")
	for _, k := range []transfer.ExportKind{transfer.JSONExport, transfer.CSVExport} {
		e.kind.SetSelected(e.kinds[k])
		check("export kind")
	}
	test.Tap(e.next)
	check("export without master password")
}

// TestGoldenImportSummary compares the summary of an import with problems and notices
// with golden markup (after a deliberate change, copy testdata/failed/ over it).
func TestGoldenImportSummary(t *testing.T) {
	ta := unlockedApp(t)
	d := importTo(t, ta, fixturePath("bitwarden.json"))
	if d.summary == nil {
		t.Fatalf("no summary:\n%s", dialogTexts(ta.u))
	}
	test.AssertObjectRendersToMarkup(t, "import_summary.xml", d.summary)
}

// TestTransferScreenshots renders the dialogs to PNG files like TestScreenshots, when
// VALV_SCREENSHOTS names a folder.
func TestTransferScreenshots(t *testing.T) {
	forScreenshotLanguages(t, func(t *testing.T, dir, code string) {
		ta := unlockedApp(t, sampleItems()...)
		ta.app.Settings().SetTheme(forcedVariant{theme.DefaultTheme(), theme.VariantLight})
		u := ta.u
		shot := func(name string) {
			t.Helper()
			f, err := os.Create(filepath.Join(dir, name+"-"+code+".png"))
			if err != nil {
				t.Fatal(err)
			}
			if err := png.Encode(f, u.win.Canvas().Capture()); err != nil {
				t.Fatal(err)
			}
			if err := f.Close(); err != nil {
				t.Fatal(err)
			}
		}
		d := importTo(t, ta, fixturePath("bitwarden.json"))
		if d.summary == nil {
			t.Fatal("no summary")
		}
		shot("import")
		u.closeAllDialogs()
		e := showExport(u)
		typeSecret(e.pair.pw1, "correct horse battery")
		shot("export")
		e.kind.SetSelected(e.kinds[transfer.CSVExport])
		shot("export-csv")
		u.closeAllDialogs()
	})
}

// TestProblemReasonsTranslated: why an entry was left out is said in the person's
// language, not in the parser's English.
func TestProblemReasonsTranslated(t *testing.T) {
	if err := SetLanguage("sv"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = SetLanguage("en") })
	for _, c := range []struct {
		p    transfer.Problem
		want string
	}{
		{transfer.Problem{Line: 3, Kind: transfer.KindColumns, Got: 2, Want: 4, Reason: "the row has 2 columns, the header has 4"}, "raden har 2 kolumner, rubrikraden har 4"},
		{transfer.Problem{Entry: 2, Kind: transfer.KindField, Field: "password", FieldCode: vault.FieldNotApplicable, Reason: "the password does not apply"}, "hör inte till den här sortens objekt"},
		{transfer.Problem{Entry: 5, Kind: transfer.KindCardAsNote, Reason: "the card number fails"}, "kontrollsiffran"},
	} {
		got := problemText(c.p)
		if !strings.Contains(got, c.want) || strings.Contains(got, c.p.Reason) {
			t.Errorf("%s: %q, want it to say %q in Swedish", c.p.Kind, got, c.want)
		}
	}
}
