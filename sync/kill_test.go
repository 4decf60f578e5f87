package cloudsync

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/valvpm/valv/account"
	"github.com/valvpm/valv/cloud/cloudtest"
	"github.com/valvpm/valv/vault"
)

// cloudProcess is the real valv-cloud binary, restartable on the same port and data.
type cloudProcess struct {
	t         *testing.T
	bin, data string
	addr      string
	plans     string // -plans: none with an entry limit (the test is about crashes, not plans)
	extra     []string
	cmd       *exec.Cmd
}

func (p *cloudProcess) start() {
	p.t.Helper()
	p.cmd = exec.Command(p.bin, "-dev", "-addr", p.addr, "-data", p.data, "-argon2-memory", "64", "-argon2-time", "1", "-plans", p.plans)
	p.cmd.Args = append(p.cmd.Args, p.extra...)
	p.cmd.Stdout, p.cmd.Stderr = nil, nil
	if err := p.cmd.Start(); err != nil {
		p.t.Fatal(err)
	}
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if resp, err := http.Get("http://" + p.addr + "/healthz"); err == nil {
			resp.Body.Close()
			return
		}
	}
	p.t.Fatal("valv-cloud did not start")
}

func (p *cloudProcess) kill() {
	p.cmd.Process.Kill() // SIGKILL: no shutdown, no flush
	p.cmd.Wait()
}

// TestServerKilledMidPush kills the real server with SIGKILL while a device uploads
// thousands of items in small batches, restarts it on the same data, and retries:
// every item arrives, once, and a second device downloads them all.
func TestServerKilledMidPush(t *testing.T) {
	bin := cloudtest.BuildBinary(t)
	dir := t.TempDir()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	p := &cloudProcess{t: t, bin: bin, data: filepath.Join(dir, "data"), addr: addr, plans: cloudtest.UnlimitedPlansFile(t)}
	p.start()
	t.Cleanup(p.kill)
	url := "http://" + addr

	c, err := account.New(url, account.Options{})
	if err != nil {
		t.Fatal(err)
	}
	f := c.NewFlow("")
	st, err := f.CreateAccount(bg, account.CreateForm{Email: "kill@example.com", Password: "Account-Pass1", Confirm: "Account-Pass1", Region: "eu"})
	if err == nil && st.Step == account.StepVerifyEmail { // the second device signs in with the password
		_, err = f.VerifyEmail(bg, cloudtest.OutboxCode(t, url, "kill@example.com"))
	}
	if err != nil {
		t.Fatal(err)
	}
	kdf := vault.FloorKDF()
	v, err := vault.Create(filepath.Join(dir, "a", "vault.db"), masterPW, vault.CreateOptions{KDF: &kdf})
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	var items []*vault.Item
	for i := range 3000 {
		items = append(items, &vault.Item{Type: vault.TypeLogin, Title: fmt.Sprintf("site %d", i), Password: fmt.Sprintf("pw %d", i)})
	}
	if _, err := v.AddAll(items); err != nil {
		t.Fatal(err)
	}
	e := New(v, c)
	e.PushBatch = 20

	rng := rand.New(rand.NewPCG(5, 5))
	kills := 0
	for attempt := 0; ; attempt++ {
		if attempt > 40 {
			t.Fatal("the upload never completed")
		}
		done := make(chan error, 1)
		go func() {
			st, _ := v.SyncState()
			var err error
			if st.Linked {
				_, err = e.SyncOnce(bg)
			} else {
				_, err = e.Upload(bg, masterPW)
			}
			done <- err
		}()
		var err error
		if kills < 5 {
			select {
			case err = <-done:
			case <-time.After(time.Duration(5+rng.IntN(40)) * time.Millisecond):
				p.kill()
				kills++
				err = <-done
				if err == nil {
					t.Log("the sync finished just before the kill")
				}
				p.start()
			}
		} else {
			err = <-done
		}
		if err == nil {
			if n, _ := v.PendingCount(); n == 0 {
				break
			}
		}
	}
	if kills < 3 {
		t.Fatalf("the server was killed mid-push only %d times", kills)
	}
	c2, _ := account.New(url, account.Options{})
	if _, err := c2.NewFlow("").SignIn(bg, "kill@example.com", "Account-Pass1"); err != nil {
		t.Fatal(err)
	}
	b, _, err := Download(bg, c2, filepath.Join(dir, "b", "vault.db"), masterPW, url, "kill@example.com")
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if b.Len() != 3000 || !maps.Equal(snapshot(t, v), snapshot(t, b)) {
		t.Fatalf("after %d kills the second device has %d of 3000 items", kills, b.Len())
	}
	t.Logf("%d kills mid-push; all 3000 items arrived", kills)
}
