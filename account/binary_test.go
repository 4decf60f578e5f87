package account

import (
	"bufio"
	"encoding/json"
	"net/http"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/valvpm/valv/cloud/api"
	"github.com/valvpm/valv/cloud/cloudtest"
)

// TestAgainstRealBinary runs the sign-in flow against the real valv-cloud binary in
// dev mode, reading the SMS code from its dev outbox as a developer would.
func TestAgainstRealBinary(t *testing.T) {
	bin := cloudtest.BuildBinary(t)
	dir := t.TempDir()
	cmd := exec.Command(bin, "-dev", "-demo", "-addr", "127.0.0.1:0", "-data", filepath.Join(dir, "data"), "-argon2-memory", "64", "-argon2-time", "1")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	urls := make(chan string, 1)
	go func() {
		re := regexp.MustCompile(`listening on (http://127\.0\.0\.1:\d+)`)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				urls <- m[1]
			}
		}
	}()
	var base string
	select {
	case base = <-urls:
	case <-time.After(30 * time.Second):
		t.Fatal("valv-cloud did not say where it listens")
	}

	c, err := New(base, Options{})
	if err != nil {
		t.Fatal(err)
	}
	f := c.NewFlow("bob@example.com")
	st, err := f.SignIn(bg, "bob@example.com", "Bob-demo-1")
	if err != nil || st.Step != StepSMSCode {
		t.Fatalf("sign-in: %v at %s", err, st.Step)
	}
	req, _ := http.NewRequest("GET", base+api.PathDevOutbox, nil)
	req.Header.Set("Accept", api.ContentTypeJSON)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var ob api.OutboxResponse
	err = json.NewDecoder(resp.Body).Decode(&ob)
	resp.Body.Close()
	if err != nil || len(ob.Messages) == 0 {
		t.Fatalf("dev outbox: %v", err)
	}
	code := ob.Messages[len(ob.Messages)-1].Code
	if st, err = f.ConfirmSMS(bg, code); err != nil || st.Step != StepChooseSubscription {
		t.Fatalf("SMS code: %v at %s", err, st.Step)
	}
	if st, err = f.ChooseLicence(st.Licences[0].ID); err != nil || st.Step != StepConnected {
		t.Fatalf("choose: %v", err)
	}
	if a, err := c.Account(bg); err != nil || !a.TwoStep {
		t.Errorf("account: %+v, %v", a, err)
	}
}
