package cloud

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/valvpm/valv/cloud/api"
)

// BenchmarkSignIn measures password sign-ins over HTTP into bbolt with the cheap test
// Argon2id parameters, so what is left is the bookkeeping around the password check:
// the failure counters (read, reserve, clear) and the session write.
//
//   - right-password: parallel sign-ins, each goroutine of its own account (attempts
//     in flight count against the account's window until they succeed, so more than
//     three at once for one account would meet the captcha); each clears its failures.
//   - wrong-password: sign-ins of unknown e-mails, one after another; the clock moves
//     past the failure window every few tries so the address never needs a captcha.
func BenchmarkSignIn(b *testing.B) {
	b.Run("right-password", func(b *testing.B) {
		e := newEnv(b)
		const goroutines = 4
		b.SetParallelism(goroutines) // × GOMAXPROCS goroutines
		var bodies [][]byte
		for i := range goroutines * runtime.GOMAXPROCS(0) {
			email := fmt.Sprintf("bench%d@example.com", i)
			e.newAccount(email)
			body, err := json.Marshal(api.SignInRequest{Email: email, Password: testPassword})
			if err != nil {
				b.Fatal(err)
			}
			bodies = append(bodies, body)
		}
		var next atomic.Int32
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			body := bodies[int(next.Add(1)-1)%len(bodies)]
			for pb.Next() {
				// b.Fatal may not run on these goroutines: report and go on.
				resp, err := http.Post(e.base+api.PathSessions, api.ContentTypeJSON, bytes.NewReader(body))
				if err != nil {
					b.Error(err)
					return
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					b.Errorf("sign-in answered %s", resp.Status)
					return
				}
			}
		})
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "sign-ins/s")
	})
	b.Run("wrong-password", func(b *testing.B) {
		e := newEnv(b)
		b.ResetTimer()
		i := 0
		for b.Loop() {
			if i%(failsPerAddress-1) == 0 {
				e.clock.Advance(failWindow + time.Second)
			}
			i++
			e.wantErr(401, api.CodeInvalidCredentials, "POST", api.PathSessions, "",
				api.SignInRequest{Email: fmt.Sprintf("nobody%d@example.com", i), Password: "Wrong-pass-1"})
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "sign-ins/s")
	})
}
