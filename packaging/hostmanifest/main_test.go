package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/valvpm/valv/browser/hostinstall"
)

func decode(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s: %v", b, err)
	}
	return m
}

func TestWritesHostinstallsManifest(t *testing.T) {
	for _, tc := range []struct{ browser, host, origins string }{
		{"chromium", "/usr/bin/valv-browser-host", "allowed_origins"},
		{"firefox", "/usr/bin/valv-browser-host", "allowed_extensions"},
		{"chromium", "valv-browser-host.exe", "allowed_origins"},
		{"firefox", "valv-browser-host.exe", "allowed_extensions"},
	} {
		out := filepath.Join(t.TempDir(), "m.json")
		if err := run([]string{"-browser", tc.browser, "-host", tc.host, "-o", out}); err != nil {
			t.Fatalf("%s %s: %v", tc.browser, tc.host, err)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		got := decode(t, b)
		if got["path"] != tc.host {
			t.Errorf("%s %s: path %v", tc.browser, tc.host, got["path"])
		}
		// Everything but the path is what the per-user install writes.
		want, err := hostinstall.Manifest(hostinstall.Browser(tc.browser), "/elsewhere/valv-browser-host")
		if err != nil {
			t.Fatal(err)
		}
		w := decode(t, want)
		delete(w, "path")
		delete(got, "path")
		if !reflect.DeepEqual(got, w) {
			t.Errorf("%s %s: %v, want %v", tc.browser, tc.host, got, w)
		}
		if _, ok := got[tc.origins]; !ok {
			t.Errorf("%s: no %s in %v", tc.browser, tc.origins, got)
		}
	}
}

func TestRefusesBadArguments(t *testing.T) {
	out := filepath.Join(t.TempDir(), "m.json")
	for _, args := range [][]string{
		{"-browser", "chromium", "-host", "bin/valv-browser-host", "-o", out}, // relative but not beside the manifest
		{"-browser", "netscape", "-host", "/usr/bin/h", "-o", out},
		{"-browser", "chromium,firefox", "-host", "/usr/bin/h", "-o", out},
		{"-browser", "chromium", "-o", out},
		{"-browser", "chromium", "-host", "/usr/bin/h"},
	} {
		if err := run(args); err == nil {
			t.Errorf("%q: no error", args)
		}
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a refused run wrote %s (%v)", out, err)
	}
}
