package main

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/valvpm/valv/vault/breach/breachtest"
)

// TestHealthOnline: --online=URL asks the range endpoint (a loopback stand-in speaking
// the Pwned Passwords protocol) with nothing but five hex digits per password, and
// flags what it knows; when it cannot be reached, the offline report is still printed
// and the command fails saying the online part did not happen.
func TestHealthOnline(t *testing.T) {
	srv := breachtest.New(map[string]int{"vK7#qP2$wN9!mZ4x-Sunda": 2})
	defer srv.Close()
	vaultFile := filepath.Join(t.TempDir(), "vault.db")
	cliOK(t, "init", "--vault", vaultFile, "--kdf-target", "0")
	cliOK(t, "add", "login", "--vault", vaultFile, "--title", "Bank", "--password", "vK7#qP2$wN9!mZ4x-Sunda")
	cliOK(t, "add", "login", "--vault", vaultFile, "--title", "Mail", "--password", "password")

	out, _ := cliOK(t, "health", "--vault", vaultFile, "--json", "--online="+srv.Endpoint())
	var got []healthJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	byTitle := map[string]string{}
	for _, f := range got {
		var ps []string
		for _, p := range f.Problems {
			ps = append(ps, string(p))
		}
		byTitle[f.Title] = strings.Join(ps, ",")
	}
	if byTitle["Bank"] != "exposed" || byTitle["Mail"] != "weak,exposed" {
		t.Errorf("flagged %v", byTitle)
	}
	fivehex := regexp.MustCompile(`^/range/[0-9A-F]{5}$`)
	reqs := srv.Requests()
	if len(reqs) != 2 {
		t.Errorf("%d requests, want one per password", len(reqs))
	}
	for _, r := range reqs {
		if !fivehex.MatchString(r.Path) || r.RawQuery != "" || r.Body != "" || r.Header.Get("Add-Padding") != "true" {
			t.Errorf("request %+v", r)
		}
	}

	srv.Close()
	var stdout, stderr bytes.Buffer
	code := run([]string{"health", "--vault", vaultFile, "--online=" + srv.Endpoint(), "--password-stdin"}, strings.NewReader("pw\n"), &stdout, &stderr)
	if code != 1 || !strings.Contains(stderr.String(), "checked against the list in Valv only") || !strings.Contains(stderr.String(), "could not be reached") {
		t.Errorf("service down: exit %d, stderr %q", code, stderr.String())
	}
	if !strings.Contains(stdout.String(), "Mail") || strings.Contains(stdout.String(), "Bank") {
		t.Errorf("service down: the offline report is not printed:\n%s", stdout.String())
	}
}
