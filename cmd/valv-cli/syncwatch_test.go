package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/valvpm/valv/account"
	"github.com/valvpm/valv/cloud/cloudtest"
	"github.com/valvpm/valv/internal/testenv"
	cloudsync "github.com/valvpm/valv/sync"
	"github.com/valvpm/valv/vault"
)

// TestSyncWatchNewDevice: `valv-cli sync --watch --json` on a device with no vault
// downloads the account's vault and stays, printing one JSON line for each sync the
// server's notices start: an item added on the first device arrives without another
// command, and the command ends cleanly when stopped.
func TestSyncWatchNewDevice(t *testing.T) {
	if os.Getenv("VALV_SECRET_SERVICE") != "1" {
		testenv.Unavailable(t, "no Secret Service: run through scripts/with-keyring (make test does)")
	}
	const email, accountPW, master = "watch@example.com", "Account-Pass1", "Watch-Master-2026"
	env := cloudtest.Start(t)
	ctx := context.Background()

	// The first device, through the packages the desktop app uses.
	c, err := account.New(env.URL, account.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if st, err := c.NewFlow("").CreateAccount(ctx, account.CreateForm{Email: email, Password: accountPW, Confirm: accountPW, Region: "eu"}); err != nil || st.Step != account.StepConnected {
		t.Fatalf("sign up: %v at %s", err, st.Step)
	}
	kdf := vault.FloorKDF()
	v1, err := vault.Create(filepath.Join(t.TempDir(), "vault.db"), []byte(master), vault.CreateOptions{KDF: &kdf})
	if err != nil {
		t.Fatal(err)
	}
	defer v1.Close()
	if _, err := v1.Add(&vault.Item{Type: vault.TypeNote, Title: "before"}); err != nil {
		t.Fatal(err)
	}
	e1 := cloudsync.New(v1, c)
	if _, err := e1.Upload(ctx, []byte(master)); err != nil {
		t.Fatal(err)
	}

	// The new device: valv-cli, signed in, with no vault.
	t.Setenv(vault.HomeEnv, t.TempDir())
	t.Setenv("VALV_CLOUD_URL", env.URL)
	var errb strings.Builder
	if code := run([]string{"login", "--email", email, "--password-stdin"}, strings.NewReader(accountPW+"\n"), io.Discard, &errb); code != 0 {
		t.Fatalf("login: exit %d: %s", code, errb.String())
	}
	t.Cleanup(func() { run([]string{"logout"}, strings.NewReader(""), io.Discard, io.Discard) })

	wctx, stop := context.WithCancel(ctx)
	defer stop()
	pr, pw := io.Pipe()
	exit := make(chan int, 1)
	go func() {
		code := runContext(wctx, []string{"sync", "--watch", "--json", "--password-stdin"}, strings.NewReader(master+"\n"), pw, &errb)
		pw.Close()
		exit <- code
	}()
	lines := make(chan string)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	next := func(what string) syncLine {
		t.Helper()
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("valv-cli ended before %s (stderr: %s)", what, errb.String())
			}
			var got syncLine
			if err := json.Unmarshal([]byte(l), &got); err != nil {
				t.Fatalf("%s: not a JSON line: %q", what, l)
			}
			return got
		case <-time.After(30 * time.Second):
			t.Fatalf("no line for %s", what)
		}
		return syncLine{}
	}
	if l := next("the download"); l.Received != 1 || l.Sent != 0 {
		t.Fatalf("the download: %+v, want 1 received", l)
	}

	if _, err := v1.Add(&vault.Item{Type: vault.TypeNote, Title: "while watching"}); err != nil {
		t.Fatal(err)
	}
	if rep, err := e1.SyncOnce(ctx); err != nil || rep.Pushed != 1 {
		t.Fatalf("first device's sync: %v, %+v", err, rep)
	}
	if l := next("the first device's change"); l.Received != 1 || l.Sent != 0 {
		t.Fatalf("after the first device's change: %+v, want 1 received", l)
	}

	stop()
	select {
	case code := <-exit:
		if code != 0 {
			t.Fatalf("sync --watch ended with %d: %s", code, errb.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("sync --watch did not end when stopped")
	}
	path, err := vault.DefaultPath()
	if err != nil {
		t.Fatal(err)
	}
	v2, err := vault.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer v2.Close()
	if err := v2.Unlock([]byte(master)); err != nil {
		t.Fatal(err)
	}
	if l, _ := v2.Search("while watching", vault.Filter{}); len(l) != 1 {
		t.Fatal("the item added while watching is not in the new device's vault")
	}
}
