package cloud_test

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/valvpm/valv/cloud/api"
	"github.com/valvpm/valv/cloud/cloudtest"
)

// BenchmarkOversizedPushRSS starts the real valv-cloud and, per iteration, sends eight
// pushes of about 89 MiB at once from eight self-registered accounts: each is more than
// the server accepts. It reports the server process's peak resident memory (VmHWM).
// "content-length" declares the size; "chunked" does not, so the server only learns it
// while reading.
func BenchmarkOversizedPushRSS(b *testing.B) {
	bin := cloudtest.BuildBinary(b)
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
				srv.putHeader(b, toks[i])
			}
			b.ResetTimer()
			for b.Loop() {
				var wg sync.WaitGroup
				for _, tok := range toks {
					wg.Add(1)
					go func() {
						defer wg.Done()
						if status := srv.oversizedPush(tok, chunked); status >= 200 && status < 400 {
							b.Errorf("an oversized push was accepted: %d", status)
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

func startBinary(b *testing.B, bin string) *binaryServer {
	b.Helper()
	cmd := exec.Command(bin, "-dev", "-addr", "127.0.0.1:0", "-data", filepath.Join(b.TempDir(), "data"),
		"-argon2-memory", "64", "-argon2-time", "1")
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

func (s *binaryServer) post(b *testing.B, method, path, tok string, in, out any) {
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

// signUp creates an account and returns its access token.
func (s *binaryServer) signUp(b *testing.B, email string) string {
	var sess api.Session
	s.post(b, "POST", api.PathAccounts, "", api.CreateAccountRequest{Email: email, Password: "Rss-bench-1", AcceptTerms: true, Region: "eu"}, &sess)
	return sess.AccessToken
}

// putHeader stores a well-formed version-1 vault header (docs/vault-format.md) at the
// KDF floor.
func (s *binaryServer) putHeader(b *testing.B, tok string) {
	h := make([]byte, 0, 137)
	id := make([]byte, 16)
	salt := make([]byte, 16)
	wrapped := make([]byte, 72)
	for _, p := range [][]byte{id, salt, wrapped} {
		_, _ = rand.Read(p)
	}
	h = append(h, "VALV"...)
	h = append(h, 1)
	h = append(h, id...)
	h = binary.BigEndian.AppendUint32(h, 1) // epoch
	h = binary.BigEndian.AppendUint32(h, 0) // generation
	h = append(h, 1)
	h = binary.BigEndian.AppendUint32(h, 64*1024)
	h = binary.BigEndian.AppendUint32(h, 3)
	h = append(h, 4, 16)
	h = append(h, salt...)
	h = append(h, 72)
	h = append(h, wrapped...)
	sum := sha256.Sum256(h)
	h = append(h, sum[:8]...)
	kdf, _ := json.Marshal(map[string]any{"format": 1, "header": h})
	hdr := api.VaultHeader{VaultID: fmt.Sprintf("%x", id), KeyEpoch: 1, KDF: kdf, WrappedKey: wrapped}
	s.post(b, "PUT", api.PathVault, tok, api.PutHeaderRequest{Header: hdr}, nil)
}

// oversizedPush streams a push of 267 items of 256 KiB (about 89 MiB of JSON) and
// returns the status.
func (s *binaryServer) oversizedPush(tok string, chunked bool) int {
	blob := base64.StdEncoding.EncodeToString(make([]byte, 256<<10))
	const n = 267
	item := func(i int) string { return fmt.Sprintf(`{"id":"item-%04d","base_change":0,"blob":"%s"}`, i, blob) }
	size := int64(len(`{"key_epoch":1,"items":[`) + len(`]}`) + n - 1)
	for i := range n {
		size += int64(len(item(i)))
	}
	pr, pw := io.Pipe()
	go func() {
		w := bufio.NewWriterSize(pw, 1<<20)
		_, _ = io.WriteString(w, `{"key_epoch":1,"items":[`)
		for i := range n {
			if i > 0 {
				_, _ = io.WriteString(w, ",")
			}
			_, _ = io.WriteString(w, item(i))
		}
		_, _ = io.WriteString(w, `]}`)
		pw.CloseWithError(w.Flush())
	}()
	req, err := http.NewRequest("POST", s.base+api.PathVaultPush, pr)
	if err != nil {
		return 0
	}
	if !chunked {
		req.ContentLength = size
	}
	req.Header.Set("Content-Type", api.ContentTypeJSON)
	req.Header.Set(api.HeaderAuthorize, "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	_ = pr.Close() // the server may answer before reading everything
	if err != nil {
		return 0
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// peakRSS reads the process's high-water mark of resident memory, in bytes.
func (s *binaryServer) peakRSS(b *testing.B) int64 {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		b.Skipf("no /proc: %v", err)
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err != nil {
				b.Fatal(err)
			}
			return kb << 10
		}
	}
	b.Fatal("no VmHWM")
	return 0
}
