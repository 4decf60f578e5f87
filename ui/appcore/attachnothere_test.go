package appcore

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/valvpm/valv/account"
	"github.com/valvpm/valv/cloud/cloudtest"
	cloudsync "github.com/valvpm/valv/sync"
	"github.com/valvpm/valv/vault"
)

// signedIn is a client of env signed in to a new account.
func signedIn(t *testing.T, env *cloudtest.Env, email string) *account.Client {
	t.Helper()
	c, err := account.New(env.URL, account.Options{Now: env.Clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	st, err := c.NewFlow("").CreateAccount(context.Background(), account.CreateForm{Email: email, Password: accountPW, Confirm: accountPW, Region: "eu"})
	if errors.Is(err, account.ErrEmailTaken) {
		st, err = c.NewFlow("").SignIn(context.Background(), email, accountPW)
	}
	if err != nil || st.Step != account.StepConnected {
		t.Fatalf("signing in %s: %v at %v", email, err, st.Step)
	}
	return c
}

// A vault downloaded to a new device knows its files before their contents arrive:
// opening one then says so in a sentence and writes no copy, and the Files section says
// where each file stands: not here yet, then in the cloud once fetched; a file added
// here waits to upload until the file sync has sent it.
func TestFileNotOnThisDeviceYet(t *testing.T) {
	env := cloudtest.Start(t)
	ctx := context.Background()
	const email = "ann@example.com"

	// Device A: a Document with a file, uploaded.
	kdf := vault.FloorKDF()
	a, err := vault.Create(filepath.Join(t.TempDir(), "a", "vault.db"), []byte(strongPassword), vault.CreateOptions{KDF: &kdf})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := a.Close(); err != nil {
			t.Error(err)
		}
	})
	doc, err := a.Add(&vault.Item{Type: vault.TypeDocument, Title: "Passport"})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := a.Attach(ctx, doc.ID, "scan.pdf", bytes.NewReader([]byte("%PDF-1.7 passport scan"))); err != nil {
		t.Fatal(err)
	}
	if _, err := cloudsync.New(a, signedIn(t, env, email)).Upload(ctx, []byte(strongPassword)); err != nil {
		t.Fatal(err)
	}

	// Device B: this controller's vault, downloaded from the account.
	tc := newTestCore(t, Settings{})
	b, _, err := cloudsync.Download(ctx, signedIn(t, env, email), tc.Path(), []byte(strongPassword), env.URL, email)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	tc.Open()
	tc.Unlock([]byte(strongPassword), func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	})
	it, err := tc.Item(doc.ID)
	if err != nil || len(it.Attachments) != 1 {
		t.Fatalf("device B's Document: %+v (%v)", it, err)
	}
	var openErr error
	tc.OpenAttachment(doc.ID, it.Attachments[0].ID, func(Message) {}, func(_ string, err error) { openErr = err })
	if !errors.Is(openErr, vault.ErrAttachmentNotHere) {
		t.Fatalf("opening a file whose content is not here: %v", openErr)
	}
	m := AttachMessage(openErr)
	if m.Key != "attach.errNotHere" {
		t.Errorf("sentence %q", m.Key)
	}
	checkSentence(t, "not here", m, translations(t))
	if _, err := os.Stat(tc.OpenedDir()); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a failed open left %s (%v)", tc.OpenedDir(), err)
	}

	scan := it.Attachments[0].ID
	state := func(what string, att vault.AttachmentID, want string) {
		t.Helper()
		got := tc.FileSync(doc.ID)
		if got[att].Key != want {
			t.Fatalf("%s: the file's sync state is %q, want %q (all: %v)", what, got[att].Key, want, got)
		}
		checkSentence(t, what, got[att], translations(t))
	}
	state("before its content came down", scan, "attach.syncNotHere")
	bv, err := tc.Unlocked()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cloudsync.New(a, signedIn(t, env, email)).SyncFiles(ctx, false); err != nil {
		t.Fatal(err) // device A sends the file's content
	}
	state("in the cloud but not yet here", scan, "attach.syncNotHere")
	eng := cloudsync.New(bv, signedIn(t, env, email))
	if err := eng.Fetch(ctx, scan); err != nil {
		t.Fatal(err)
	}
	state("fetched", scan, "attach.syncInCloud")

	local := filepath.Join(t.TempDir(), "visa.pdf")
	if err := os.WriteFile(local, []byte("%PDF-1.7 visa"), 0o600); err != nil {
		t.Fatal(err)
	}
	var added *vault.Item
	tc.AddFiles(doc.ID, []string{local}, func(string) {}, func(i *vault.Item, err error) {
		if err != nil {
			t.Fatal(err)
		}
		added = i
	})
	visa, err := added.AttachmentNamed("visa.pdf")
	if err != nil {
		t.Fatal(err)
	}
	state("added here", visa.ID, "attach.syncToUpload")
	state("added here, the other file", scan, "attach.syncInCloud")
	if _, err := eng.SyncOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := eng.SyncFiles(ctx, true); err != nil {
		t.Fatal(err)
	}
	state("uploaded", visa.ID, "attach.syncInCloud")
}
