package cloudsync

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/valvpm/valv/account"
	"github.com/valvpm/valv/cloud/cloudtest"
	"github.com/valvpm/valv/vault"
)

var bg = context.Background()

var masterPW = []byte("Sync-Test-Master-2026")

// device is one simulated computer: its own vault file, its own signed-in client.
type device struct {
	name string
	v    *vault.Vault
	c    *account.Client
	e    *Engine
}

// signIn makes a client of env signed in to email, creating the account the first
// time. (Trying to sign in first would count failures towards the captcha threshold.)
func signIn(t testing.TB, env *cloudtest.Env, email string) *account.Client {
	t.Helper()
	return signInAt(t, env.URL, env, email)
}

// signInAt is signIn through another address of env's server (a proxy in front).
func signInAt(t testing.TB, base string, env *cloudtest.Env, email string) *account.Client {
	t.Helper()
	c, err := account.New(base, account.Options{Now: env.Clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	st, err := c.NewFlow("").CreateAccount(bg, account.CreateForm{Email: email, Password: "Account-Pass1", Confirm: "Account-Pass1", Region: "eu"})
	if errors.Is(err, account.ErrEmailTaken) {
		st, err = c.NewFlow("").SignIn(bg, email, "Account-Pass1")
	}
	if err != nil || st.Step != account.StepConnected {
		t.Fatalf("sign in %s: %v at %s", email, err, st.Step)
	}
	return c
}

// firstDevice creates a vault with items and uploads it.
func firstDevice(t testing.TB, env *cloudtest.Env, email string, items ...*vault.Item) *device {
	t.Helper()
	kdf := vault.FloorKDF()
	v, err := vault.Create(filepath.Join(t.TempDir(), "d1", "vault.db"), masterPW, vault.CreateOptions{KDF: &kdf})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { v.Close() })
	for _, it := range items {
		if _, err := v.Add(it); err != nil {
			t.Fatal(err)
		}
	}
	d := &device{name: "d1", v: v, c: signIn(t, env, email)}
	d.e = New(v, d.c)
	if _, err := d.e.Upload(bg, masterPW); err != nil {
		t.Fatalf("upload: %v", err)
	}
	return d
}

// nextDevice downloads the account's vault onto a new device.
func nextDevice(t testing.TB, env *cloudtest.Env, email, name string) *device {
	t.Helper()
	c := signIn(t, env, email)
	v, _, err := Download(bg, c, filepath.Join(t.TempDir(), name, "vault.db"), masterPW, env.URL, email)
	if err != nil {
		t.Fatalf("download on %s: %v", name, err)
	}
	t.Cleanup(func() { v.Close() })
	return &device{name: name, v: v, c: c, e: New(v, c)}
}

func (d *device) sync(t testing.TB) Report {
	t.Helper()
	rep, err := d.e.SyncOnce(bg)
	if err != nil {
		t.Fatalf("sync on %s: %v", d.name, err)
	}
	return rep
}

// snapshot renders a device's items comparably: ID → content.
func snapshot(t testing.TB, v *vault.Vault) map[vault.ID]string {
	t.Helper()
	items, err := v.List(vault.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[vault.ID]string{}
	for _, it := range items {
		out[it.ID] = fmt.Sprintf("%s|%s|%s|%v|%s", it.Type, it.Title, it.Password, passwords(it.History), it.Notes)
	}
	return out
}

func passwords(h []vault.PastPassword) []string {
	var out []string
	for _, p := range h {
		out = append(out, p.Password)
	}
	return out
}
