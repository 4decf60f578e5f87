package hostinstall

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
)

// TestExtensionIDs checks that the IDs the manifests allow are the extension's own:
// Chromium derives the ID from the manifest's public key (the first 128 bits of its
// SHA-256, written with the letters a–p), Firefox takes gecko.id as it is.
func TestExtensionIDs(t *testing.T) {
	b, err := os.ReadFile("../../extension/manifest.json")
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Chromium struct{ Key string }
		Firefox  struct {
			Settings struct{ Gecko struct{ ID string } } `json:"browser_specific_settings"`
		}
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	der, err := base64.StdEncoding.DecodeString(m.Chromium.Key)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(der)
	id := make([]byte, 32)
	for i, c := range sum[:16] {
		id[2*i], id[2*i+1] = 'a'+c>>4, 'a'+c&0xf
	}
	if string(id) != ChromiumExtensionID {
		t.Errorf("the manifest key gives the ID %s, the host manifests allow %s", id, ChromiumExtensionID)
	}
	if m.Firefox.Settings.Gecko.ID != FirefoxExtensionID {
		t.Errorf("gecko.id is %q, the host manifests allow %q", m.Firefox.Settings.Gecko.ID, FirefoxExtensionID)
	}
}

func TestParseBrowsers(t *testing.T) {
	all, err := ParseBrowsers("all")
	if err != nil || !slices.Equal(all, Browsers) {
		t.Fatalf("all: %v %v", all, err)
	}
	bs, err := ParseBrowsers("Firefox, chromium,firefox")
	if err != nil || !slices.Equal(bs, []Browser{Firefox, Chromium}) {
		t.Fatalf("list: %v %v", bs, err)
	}
	if _, err := ParseBrowsers("safari"); !errors.Is(err, ErrUnknownBrowser) {
		t.Fatalf("safari: %v", err)
	}
}

func fakeHost(t *testing.T) string {
	p := filepath.Join(t.TempDir(), "valv-browser-host")
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestInstallUninstall(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the paths checked are Linux's")
	}
	home := t.TempDir()
	host := fakeHost(t)
	o := Options{Home: home}
	res, err := Install(o, Browsers, host)
	if err != nil {
		t.Fatal(err)
	}
	want := map[Browser]string{
		Chromium: ".config/chromium/NativeMessagingHosts",
		Chrome:   ".config/google-chrome/NativeMessagingHosts",
		Edge:     ".config/microsoft-edge/NativeMessagingHosts",
		Brave:    ".config/BraveSoftware/Brave-Browser/NativeMessagingHosts",
		Firefox:  ".mozilla/native-messaging-hosts",
	}
	if len(res) != len(Browsers) {
		t.Fatalf("results: %+v", res)
	}
	for _, r := range res {
		if r.Manifest != filepath.Join(home, want[r.Browser], HostName+".json") {
			t.Errorf("%s manifest at %s", r.Browser, r.Manifest)
		}
		b, err := os.ReadFile(r.Manifest)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		if m["name"] != HostName || m["path"] != host || m["type"] != "stdio" {
			t.Errorf("%s manifest: %s", r.Browser, b)
		}
		allowed, field := m["allowed_origins"], "allowed_extensions"
		if r.Browser == Firefox {
			allowed, field = m["allowed_extensions"], "allowed_origins"
		}
		list, _ := allowed.([]any)
		wantID := "chrome-extension://" + ChromiumExtensionID + "/"
		if r.Browser == Firefox {
			wantID = FirefoxExtensionID
		}
		if len(list) != 1 || list[0] != wantID {
			t.Errorf("%s allows %v, want only %s", r.Browser, allowed, wantID)
		}
		if _, ok := m[field]; ok {
			t.Errorf("%s manifest has %s", r.Browser, field)
		}
		if !Installed(o, r.Browser) {
			t.Errorf("%s not reported installed", r.Browser)
		}
	}
	// XDG_CONFIG_HOME moves the Chromium family's folder when no Home is given.
	cfg := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", cfg)
	t.Setenv("HOME", home)
	r2, err := Install(Options{}, []Browser{Chromium}, host)
	if err != nil || r2[0].Manifest != filepath.Join(cfg, "chromium", "NativeMessagingHosts", HostName+".json") {
		t.Fatalf("with XDG_CONFIG_HOME: %+v %v", r2, err)
	}

	if _, err := Uninstall(o, Browsers); err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if _, err := os.Stat(r.Manifest); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s manifest left after uninstall", r.Browser)
		}
	}
	if _, err := Uninstall(o, Browsers); err != nil {
		t.Fatalf("uninstalling twice: %v", err)
	}
}

func TestInstallRefusesBadHost(t *testing.T) {
	o := Options{Home: t.TempDir()}
	if _, err := Install(o, Browsers, "valv-browser-host"); err == nil {
		t.Fatal("a relative host path was accepted")
	}
	if _, err := Install(o, Browsers, filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Fatal("a missing host was accepted")
	}
	if _, err := os.Stat(filepath.Join(o.Home, ".config")); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("a refused install wrote something")
	}
}
