package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/valvpm/valv/internal/testenv"
)

// cliOK runs one valv-cli command line in this process with the master password on
// standard input and returns its output; a non-zero exit fails the test.
func cliOK(t *testing.T, args ...string) (stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	if code := run(append(args, "--password-stdin"), strings.NewReader("pw\n"), &out, &errOut); code != 0 {
		t.Fatalf("valv-cli %s: exit %d: %s", strings.Join(args, " "), code, errOut.String())
	}
	return out.String(), errOut.String()
}

// TestTOTPAgreesWithOathtool: the codes valv-cli totp prints are those of OATH
// Toolkit's oathtool, an independent RFC 6238 implementation, for SHA1/6/30 and
// SHA256/8/60 keys — at fixed times, and now.
func TestTOTPAgreesWithOathtool(t *testing.T) {
	oathtool := testenv.LookPath(t, "oathtool")
	vaultFile := filepath.Join(t.TempDir(), "vault.db")
	cliOK(t, "init", "--vault", vaultFile, "--kdf-target", "0")
	keys := []struct {
		title, uri, secret, alg string
		digits, period          int
	}{
		{"Bank Sunda", "otpauth://totp/Bank%20Sunda:ayu?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Bank%20Sunda",
			"JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "SHA1", 6, 30},
		{"Förening", "otpauth://totp/F%C3%B6rening:%C3%A5sa?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZA&algorithm=SHA256&digits=8&period=60",
			"GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZA", "SHA256", 8, 60},
	}
	for _, k := range keys {
		cliOK(t, "add", "login", "--vault", vaultFile, "--title", k.title, "--username", "u", "--totp", k.uri)
	}
	oath := func(t *testing.T, secret, alg string, digits, period int, extra ...string) []string {
		t.Helper()
		args := append([]string{"--totp=" + alg, "--digits", fmt.Sprint(digits), "--time-step-size", fmt.Sprintf("%ds", period), "--base32"}, extra...)
		out, err := exec.Command(oathtool, append(args, secret)...).Output()
		if err != nil {
			t.Fatalf("oathtool: %v", err)
		}
		return strings.Fields(string(out))
	}
	for _, k := range keys {
		t.Run(k.alg, func(t *testing.T) {
			for _, unix := range []int64{59, 1111111109, 1700000030, 2000000000} {
				want := oath(t, k.secret, k.alg, k.digits, k.period, "--now", fmt.Sprintf("@%d", unix))
				var j struct {
					Code              string
					Remaining, Period int
				}
				out, _ := cliOK(t, "totp", k.title, "--json", "--vault", vaultFile, "--at", fmt.Sprint(unix))
				if err := json.Unmarshal([]byte(out), &j); err != nil {
					t.Fatal(err)
				}
				left := k.period - int(unix%int64(k.period))
				if len(want) != 1 || j.Code != want[0] || j.Period != k.period || j.Remaining != left {
					t.Errorf("at %d: valv-cli %+v; want oathtool's %q, period %d, remaining %d", unix, j, want, k.period, left)
				}
			}
			// Now: oathtool first, with the next step's code too, so a period that
			// turns between the two commands still compares like with like.
			window := oath(t, k.secret, k.alg, k.digits, k.period, "--window", "1")
			out, stderr := cliOK(t, "totp", k.title, "--vault", vaultFile)
			if got := strings.SplitN(out, "\n", 2)[0]; !slices.Contains(window, got) {
				t.Errorf("now: valv-cli %q, oathtool %q", got, window)
			}
			if !strings.Contains(stderr, "valid for") {
				t.Errorf("stderr %q does not say how long the code lasts", stderr)
			}
		})
	}
}
