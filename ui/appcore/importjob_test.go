package appcore

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/valvpm/valv/vault/transfer"
)

const chromeCSV = "name,url,username,password,note\n" +
	"Mail,https://mail.example,ann,pw-Mail-1,\n" +
	"Bank,https://bank.example,ann,pw-Bank-2,first account\n"

// TestImportJob: Check gives the dry run and writes nothing, Apply writes it and the
// list shows it, a second Check finds only duplicates, and Drop wipes the file's bytes
// and ignores results that arrive after it.
func TestImportJob(t *testing.T) {
	tc := newTestCore(t, DefaultSettings())
	tc.create(t)
	path := filepath.Join(t.TempDir(), "passwords.csv")
	if err := os.WriteFile(path, []byte(chromeCSV), 0o600); err != nil {
		t.Fatal(err)
	}
	j := tc.NewImport()
	j.SetFile(path)
	stages := 0
	var cerr error
	j.Check(nil, func(transfer.Stage, int, int) { stages++ }, func(err error) { cerr = err })
	if cerr != nil || j.Plan() == nil || len(j.Plan().Items) != 2 || j.Plan().Format != transfer.FormatChrome {
		t.Fatalf("check: %v, plan %+v", cerr, j.Plan())
	}
	if stages == 0 {
		t.Error("no progress was reported")
	}
	if len(tc.Items()) != 0 {
		t.Fatal("Check wrote to the vault")
	}
	var added int
	j.Apply(func(n int, err error) { added, cerr = n, err })
	if cerr != nil || added != 2 || len(tc.Items()) != 2 {
		t.Fatalf("apply: %d added, %v; the list has %d", added, cerr, len(tc.Items()))
	}

	again := tc.NewImport()
	again.SetFile(path)
	again.Check(nil, func(transfer.Stage, int, int) {}, func(err error) { cerr = err })
	if cerr != nil || len(again.Plan().Items) != 0 || again.Plan().Duplicates != 2 {
		t.Fatalf("the same file again: %v, plan %+v", cerr, again.Plan())
	}
	data := again.data
	again.Drop()
	if again.Plan() != nil || again.data != nil || !allZero(data) || !again.Dropped() {
		t.Error("Drop kept the plan or the file's bytes")
	}
	called := false
	again.Apply(func(int, error) { called = true })
	if !called || len(tc.Items()) != 2 {
		t.Error("Apply after Drop did something")
	}

	// A result that arrives after the dialog closed is dropped, and its bytes wiped.
	late := tc.NewImport()
	late.SetFile(path)
	var pending func()
	tc.run.OnUI = func(f func()) { pending = f }
	late.Check(nil, func(transfer.Stage, int, int) {}, func(error) { t.Error("a dropped job reported back") })
	late.Drop()
	tc.run.OnUI = Inline.OnUI
	pending()
	if late.data != nil || late.Plan() != nil {
		t.Error("a dropped job took the late result")
	}
}
