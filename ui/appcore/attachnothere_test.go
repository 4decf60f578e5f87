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
// opening one then says so in a sentence and writes no copy.
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
}
