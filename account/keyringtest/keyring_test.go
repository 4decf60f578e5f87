package keyringtest

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/valvpm/valv/account"
	"github.com/valvpm/valv/cloud/cloudtest"
	"github.com/valvpm/valv/internal/testenv"
)

// requireSecretService skips (or, under CI, fails) unless a real Secret Service runs.
func requireSecretService(t *testing.T) {
	t.Helper()
	if os.Getenv("VALV_SECRET_SERVICE") != "1" {
		testenv.Unavailable(t, "no Secret Service: run the tests through scripts/with-keyring (make test does)")
	}
}

func TestSessionSurvivesRestart(t *testing.T) {
	requireSecretService(t)
	env := cloudtest.Start(t)
	ctx := context.Background()
	store := &account.KeyringStore{}
	c, err := account.New(env.URL, account.Options{Store: store, ShareSignIn: true, Now: env.Clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	st, err := c.NewFlow("").CreateAccount(ctx, account.CreateForm{Email: "ks@example.com", Password: "Keyring-Test1", Confirm: "Keyring-Test1", Region: "eu"})
	if err != nil || st.Step != account.StepConnected {
		t.Fatalf("create: %v at %s", err, st.Step)
	}
	if w := store.Warning(); w != nil {
		t.Fatalf("the real keyring failed: %v", w)
	}
	t.Cleanup(func() { c.SignOut(ctx); account.DeleteFamilyEntry() })

	// A new client with a new store (the app restarted) finds the session in the keyring.
	c2, err := account.New(env.URL, account.Options{Store: &account.KeyringStore{}, ShareSignIn: true, Now: env.Clock.Now})
	if err != nil || !c2.SignedIn() || c2.Email() != "ks@example.com" {
		t.Fatalf("after restart: signed in %v as %q (%v)", c2.SignedIn(), c2.Email(), err)
	}
	if a, err := c2.Account(ctx); err != nil || a.Email != "ks@example.com" {
		t.Fatalf("account after restart: %v", err)
	}
	// valv-cli keeps its own entry: the desktop app's session is not visible to it.
	c3, _ := account.New(env.URL, account.Options{Store: &account.KeyringStore{App: "valv-cli"}})
	if c3.SignedIn() {
		t.Error("valv-cli picked up the desktop app's session")
	}
	// The family-wide entry was written for the other apps — and rewritten when the
	// restart's token refresh rotated the refresh token — and auto-connect finds it.
	fe := account.ReadFamilyEntry()
	if fe == nil || fe.Email != "ks@example.com" || !strings.HasPrefix(fe.Server, "http://127.0.0.1:") {
		t.Fatalf("family entry = %+v", fe)
	}
	cands, err := c3.AutoConnect(ctx)
	if err != nil || len(cands) != 1 || cands[0].Email != "ks@example.com" || cands[0].Included {
		t.Errorf("auto-connect = %+v, %v", cands, err)
	}
	// Sign-out removes the session from the keyring.
	if err := c2.SignOut(ctx); err != nil {
		t.Fatal(err)
	}
	c4, _ := account.New(env.URL, account.Options{Store: &account.KeyringStore{}})
	if c4.SignedIn() {
		t.Error("session still in the keyring after sign-out")
	}
}

func TestFamilyEntryRoundTrip(t *testing.T) {
	requireSecretService(t)
	want := &account.FamilyEntry{Server: "https://cloud.example", Email: "a@example.com", RefreshToken: "tok"}
	if err := account.WriteFamilyEntry(want); err != nil {
		t.Fatal(err)
	}
	if got := account.ReadFamilyEntry(); got == nil || *got != *want {
		t.Errorf("read back %+v", got)
	}
	if err := account.DeleteFamilyEntry(); err != nil {
		t.Fatal(err)
	}
	if got := account.ReadFamilyEntry(); got != nil {
		t.Errorf("entry survived deletion: %+v", got)
	}
	if err := account.DeleteFamilyEntry(); err != nil && !errors.Is(err, nil) {
		t.Errorf("deleting a missing entry: %v", err)
	}
}
