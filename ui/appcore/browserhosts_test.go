package appcore

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/valvpm/valv/browser/hostinstall"
)

// TestInstallBrowsers: Install writes a manifest naming the host for every browser in
// a throw-away home, Installed sees them, Uninstall removes them, and a missing host
// program is refused with ErrNoHost before anything is written.
func TestInstallBrowsers(t *testing.T) {
	home := t.TempDir()
	o := HostOptions{Install: hostinstall.Options{Home: home, ConfigDir: filepath.Join(home, ".config")},
		Host: filepath.Join(t.TempDir(), "valv-browser-host")}

	if _, err := InstallBrowsers(o); !errors.Is(err, ErrNoHost) {
		t.Fatalf("install without the host program: %v", err)
	}
	if got := BrowsersInstalled(o); len(got) != 0 {
		t.Fatalf("a refused install left manifests for %v", got)
	}
	if m := MessageFor(ErrNoHost); m.Key != "browser.error.noHost" {
		t.Fatalf("said as %q", m.Key)
	}

	if err := os.WriteFile(o.Host, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	got, err := InstallBrowsers(o)
	if err != nil || !slices.Equal(got, hostinstall.Browsers) {
		t.Fatalf("install: %v %v", got, err)
	}
	if got := BrowsersInstalled(o); !slices.Equal(got, hostinstall.Browsers) {
		t.Fatalf("installed: %v", got)
	}
	if runtime.GOOS == "linux" { // the other systems keep it elsewhere (and in the registry)
		m, err := os.ReadFile(filepath.Join(home, ".config", "chromium", "NativeMessagingHosts", hostinstall.HostName+".json"))
		if err != nil || !strings.Contains(string(m), o.Host) || !strings.Contains(string(m), hostinstall.ChromiumExtensionID) {
			t.Fatalf("Chromium's manifest: %s %v", m, err)
		}
	}
	if err := UninstallBrowsers(o); err != nil {
		t.Fatal(err)
	}
	if got := BrowsersInstalled(o); len(got) != 0 {
		t.Fatalf("after uninstall: %v", got)
	}
}
