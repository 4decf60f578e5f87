package cloud

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"path/filepath"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/valvpm/valv/cloud/api"
)

// BenchmarkOversizedPushRSS starts the real valv-cloud and, per iteration, sends eight
// pushes of about 89 MiB at once from eight self-registered accounts: each is more than
// the server accepts. It reports the server process's peak resident memory (VmHWM).
// "content-length" declares the size; "chunked" does not, so the server only learns it
// while reading.
func BenchmarkOversizedPushRSS(b *testing.B) {
	if testing.Short() {
		b.Skip("builds and starts the real binary")
	}
	bin := buildBinary(b)
	for _, chunked := range []bool{false, true} {
		name := "content-length"
		if chunked {
			name = "chunked"
		}
		b.Run(name, func(b *testing.B) {
			srv := startBinary(b, bin)
			toks := make([]string, 8)
			for i := range toks {
				toks[i] = srv.signUp(b, fmt.Sprintf("rss%d@example.com", i))
				srv.call(b, "PUT", api.PathVault, toks[i], api.PutHeaderRequest{Header: testHeader(fmt.Sprint("rss", i), 1)}, nil)
			}
			b.ResetTimer()
			for b.Loop() {
				var wg sync.WaitGroup
				for _, tok := range toks {
					wg.Add(1)
					go func() {
						defer wg.Done()
						// An error is the server closing the connection: refused too.
						if st, err := newPushStream(267, 256<<10).send(srv.base, tok, chunked); err == nil && st < 400 {
							b.Errorf("an oversized push was accepted: %d", st)
						}
					}()
				}
				wg.Wait()
			}
			b.StopTimer()
			b.ReportMetric(float64(srv.peakRSS(b))/(1<<20), "peak-RSS-MiB")
		})
	}
}

// binaryServer is a running valv-cloud -dev process.
type binaryServer struct {
	base string
	cmd  *exec.Cmd
}

// startBinary starts bin in dev mode with cheap Argon2id (and extra flags) on a free
// loopback port.
func startBinary(b *testing.B, bin string, extra ...string) *binaryServer {
	b.Helper()
	cmd := exec.Command(bin, append([]string{"-dev", "-addr", "127.0.0.1:0", "-data", filepath.Join(b.TempDir(), "data"),
		"-argon2-memory", "64", "-argon2-time", "1"}, extra...)...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
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
	select {
	case base := <-urls:
		return &binaryServer{base: base, cmd: cmd}
	case <-time.After(30 * time.Second):
		b.Fatal("valv-cloud did not start")
	}
	return nil
}

func (s *binaryServer) call(b *testing.B, method, path, tok string, in, out any) {
	b.Helper()
	raw, err := json.Marshal(in)
	if err != nil {
		b.Fatal(err)
	}
	req, err := http.NewRequest(method, s.base+path, bytes.NewReader(raw))
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set("Content-Type", api.ContentTypeJSON)
	if tok != "" {
		req.Header.Set(api.HeaderAuthorize, "Bearer "+tok)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		b.Fatalf("%s %s: %s %s", method, path, resp.Status, body)
	}
	if out != nil {
		if err := json.Unmarshal(body, out); err != nil {
			b.Fatal(err)
		}
	}
}

// signUp creates an account (signed in at once, as the app is) and returns its access
// token.
func (s *binaryServer) signUp(b *testing.B, email string) string {
	var sess api.Session
	s.call(b, "POST", api.PathAccounts, "", api.CreateAccountRequest{Email: email, Password: "Rss-bench-1", AcceptTerms: true, Region: "eu"}, &sess)
	return sess.AccessToken
}

// peakRSS reads the process's high-water mark of resident memory, in bytes.
func (s *binaryServer) peakRSS(b *testing.B) int64 { return s.rss(b, "VmHWM:") }
