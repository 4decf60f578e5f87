package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/valvpm/valv/account"
	"github.com/valvpm/valv/cloud"
	"github.com/valvpm/valv/cloud/cloudtest"
	"github.com/valvpm/valv/internal/testenv"
	cloudsync "github.com/valvpm/valv/sync"
	"github.com/valvpm/valv/vault"
)

// cliFunc runs valv-cli with stdin and returns its standard output and error; a
// non-zero exit fails the test.
type cliFunc func(stdin string, args ...string) (string, string)

// linkedDevice is a device (the vault.HomeEnv set before) signed in to a new account
// of env by valv-cli login, with a vault holding one note that its first valv-cli sync
// linked. It returns the CLI, the account's client and the note.
func linkedDevice(t *testing.T, env *cloudtest.Env, email, master string) (cliFunc, *account.Client, *vault.Item) {
	t.Helper()
	const accountPW = "Account-Pass1"
	ctx := context.Background()
	t.Setenv("VALV_CLOUD_URL", env.URL)
	cli := func(stdin string, args ...string) (string, string) {
		t.Helper()
		var out, errb bytes.Buffer
		if code := run(args, strings.NewReader(stdin), &out, &errb); code != 0 {
			t.Fatalf("valv-cli %s: exit %d: %s", strings.Join(args, " "), code, errb.String())
		}
		return out.String(), errb.String()
	}
	c, err := account.New(env.URL, account.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if st, err := c.NewFlow("").CreateAccount(ctx, account.CreateForm{Email: email, Password: accountPW, Confirm: accountPW, Region: "eu"}); err != nil || st.Step != account.StepConnected {
		t.Fatalf("sign up: %v at %s", err, st.Step)
	}
	cli(accountPW+"\n", "login", "--email", email, "--password-stdin")
	t.Cleanup(func() { run([]string{"logout"}, strings.NewReader(""), io.Discard, io.Discard) })
	path, err := vault.DefaultPath()
	if err != nil {
		t.Fatal(err)
	}
	kdf := vault.FloorKDF()
	v, err := vault.Create(path, []byte(master), vault.CreateOptions{KDF: &kdf})
	if err != nil {
		t.Fatal(err)
	}
	it, err := v.Add(&vault.Item{Type: vault.TypeNote, Title: "passport"})
	if err != nil {
		t.Fatal(err)
	}
	if err := v.Close(); err != nil {
		t.Fatal(err)
	}
	cli(master+"\n", "sync", "--password-stdin")
	return cli, c, it
}

// TestSyncCarriesAttachments: a file attached with valv-cli on device A goes up with
// A's `valv-cli sync`, comes down on device B with B's `valv-cli sync --json` (which
// counts the chunks both ways), and `valv-cli attachment` writes the very bytes on B
// and on a device C that has the item but not the file yet, which fetches it through
// the cloud first.
func TestSyncCarriesAttachments(t *testing.T) {
	if os.Getenv("VALV_SECRET_SERVICE") != "1" {
		testenv.Unavailable(t, "no Secret Service: run through scripts/with-keyring (make test does)")
	}
	const email, master = "files@example.com", "Files-Master-2026"
	env := cloudtest.Start(t)
	ctx := context.Background()
	root := t.TempDir()
	home := func(name string) { t.Setenv(vault.HomeEnv, filepath.Join(root, name)) }
	home("a")
	cli, c, it := linkedDevice(t, env, email, master)

	// Device B downloads the vault before the file exists.
	home("b")
	cli(master+"\n", "sync", "--password-stdin")

	// A attaches a file of three chunks and syncs.
	home("a")
	content := make([]byte, 2*vault.ChunkSize+12345)
	rand.Read(content)
	file := filepath.Join(t.TempDir(), "scan.bin")
	if err := os.WriteFile(file, content, 0o600); err != nil {
		t.Fatal(err)
	}
	cli(master+"\n", "attach", it.ID.String(), file, "--password-stdin")
	out, _ := cli(master+"\n", "sync", "--json", "--password-stdin")
	var line syncLine
	if err := json.Unmarshal([]byte(out), &line); err != nil {
		t.Fatalf("not a JSON line: %q", out)
	}
	if line.Sent != 1 || line.FileChunksSent != 3 || line.FileChunksToUpload != 0 || line.FilesError != "" {
		t.Fatalf("A's sync: %+v, want 1 item and 3 file chunks sent", line)
	}

	// B: sync brings the item and the file.
	home("b")
	out, _ = cli(master+"\n", "sync", "--json", "--password-stdin")
	line = syncLine{}
	if err := json.Unmarshal([]byte(out), &line); err != nil {
		t.Fatalf("not a JSON line: %q", out)
	}
	if line.Received != 1 || line.FileChunksReceived != 3 || line.FileChunksToDownload != 0 || line.FilesError != "" {
		t.Fatalf("B's sync: %+v, want 1 item and 3 file chunks received", line)
	}
	out, errOut := cli(master+"\n", "attachment", it.ID.String(), "scan.bin", "--out", "-", "--password-stdin")
	if !bytes.Equal([]byte(out), content) {
		t.Fatalf("B wrote %d bytes, not the %d attached on A", len(out), len(content))
	}
	if strings.Contains(errOut, "Fetching") {
		t.Error("B fetched a file its sync had brought")
	}
	out, _ = cli(master+"\n", "sync", "--password-stdin")
	if !strings.Contains(out, "Synced: 0 received, 0 sent.") {
		t.Errorf("text report of a sync with nothing to do: %q", out)
	}

	// C: the item arrives by an items-only sync; the file is fetched when saved.
	home("c")
	pathC, err := vault.DefaultPath()
	if err != nil {
		t.Fatal(err)
	}
	vc, _, err := cloudsync.Download(ctx, c, pathC, []byte(master), env.URL, email)
	if err != nil {
		t.Fatal(err)
	}
	if err := vc.Close(); err != nil {
		t.Fatal(err)
	}
	saved := filepath.Join(t.TempDir(), "saved.bin")
	_, errOut = cli(master+"\n", "attachment", it.ID.String(), "scan.bin", "--out", saved, "--password-stdin")
	if !strings.Contains(errOut, "Fetching") {
		t.Errorf("C did not fetch the file: %q", errOut)
	}
	if got, err := os.ReadFile(saved); err != nil || !bytes.Equal(got, content) {
		t.Fatalf("C saved %d bytes (%v), not the %d attached on A", len(got), err, len(content))
	}
}

// TestAttachKeepsToThePlan: on a plan that keeps 64 KiB of files, valv-cli attach on a
// linked vault learns the room first: a file that fits goes in, one that would not is
// refused before it is read, saying the plan's room, and the item keeps one file.
func TestAttachKeepsToThePlan(t *testing.T) {
	if os.Getenv("VALV_SECRET_SERVICE") != "1" {
		testenv.Unavailable(t, "no Secret Service: run through scripts/with-keyring (make test does)")
	}
	const master = "Plan-Master-2026"
	plans := cloud.DefaultPlans()
	for i := range plans {
		plans[i].Entitlements.MaxEntries = 0
		plans[i].Entitlements.MaxAttachmentBytes = 64 << 10
	}
	env := cloudtest.Start(t, func(c *cloud.Config) { c.Plans = plans })
	t.Setenv(vault.HomeEnv, t.TempDir())
	cli, _, it := linkedDevice(t, env, "plan@example.com", master)
	dir := t.TempDir()
	file := func(name string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, make([]byte, 40<<10), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cli(master+"\n", "attach", it.ID.String(), file("first.bin"), "--password-stdin")
	var out, errb bytes.Buffer
	code := run([]string{"attach", it.ID.String(), file("second.bin"), "--password-stdin"}, strings.NewReader(master+"\n"), &out, &errb)
	if code == 0 || !strings.Contains(errb.String(), "more space than your plan allows (64 KiB in all)") {
		t.Fatalf("a file over the plan's room: exit %d, %q", code, errb.String())
	}
	list, _ := cli(master+"\n", "attachments", it.ID.String(), "--password-stdin")
	if !strings.Contains(list, "first.bin") || strings.Contains(list, "second.bin") {
		t.Fatalf("after the refusal the item lists:\n%s", list)
	}
}
