// Package hostinstall writes and removes the native messaging host manifests that
// let browsers start valv-browser-host for Valv's extension — and only for it: each
// manifest allows exactly Valv's fixed extension ID. `valv-cli browser install` and
// the app's Settings → Browsers both use it.
//
// Where each browser looks (per user, so no administrator rights are needed):
//
//	Linux    ~/.config/{chromium,google-chrome,microsoft-edge,BraveSoftware/Brave-Browser}/NativeMessagingHosts/,
//	         ~/.mozilla/native-messaging-hosts/ (XDG_CONFIG_HOME replaces ~/.config)
//	macOS    ~/Library/Application Support/{Chromium,Google/Chrome,Microsoft Edge,BraveSoftware/Brave-Browser}/NativeMessagingHosts/,
//	         ~/Library/Application Support/Mozilla/NativeMessagingHosts/
//	Windows  a manifest file under %LOCALAPPDATA%\Valv\NativeMessagingHosts\ and the registry value
//	         HKCU\Software\{Chromium,Google\Chrome,Microsoft\Edge,BraveSoftware\Brave-Browser,Mozilla}\NativeMessagingHosts\<name>
package hostinstall

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// HostName is the native messaging host's name, as the extension connects to it.
const HostName = "io.github.valvpm.valv"

// ChromiumExtensionID is the ID of Valv's extension in Chromium-family browsers. It
// follows from the public key in the extension's manifest ("key"), so it is the same
// on every computer; a test checks the two agree.
const ChromiumExtensionID = "lnfhomhhbboimfoimmfijhbmjnmgoljm"

// FirefoxExtensionID is browser_specific_settings.gecko.id in the extension's manifest.
const FirefoxExtensionID = "valv@valvpm.github.io"

// Browser names one browser family, as --browser takes it.
type Browser string

// The browsers Valv installs for.
const (
	Chromium Browser = "chromium"
	Chrome   Browser = "chrome"
	Edge     Browser = "edge"
	Brave    Browser = "brave"
	Firefox  Browser = "firefox"
)

// Browsers lists every supported browser in the order they are reported.
var Browsers = []Browser{Chromium, Chrome, Edge, Brave, Firefox}

// ErrUnknownBrowser means a browser name is not one of Browsers (or "all").
var ErrUnknownBrowser = errors.New("unknown browser")

// ParseBrowsers reads --browser: one name, several separated by commas, or "all".
func ParseBrowsers(s string) ([]Browser, error) {
	if s == "" || s == "all" {
		return slices.Clone(Browsers), nil
	}
	var out []Browser
	for _, n := range strings.Split(s, ",") {
		b := Browser(strings.ToLower(strings.TrimSpace(n)))
		if !slices.Contains(Browsers, b) {
			return nil, fmt.Errorf("%w %q (choose from chromium, chrome, edge, brave, firefox, all)", ErrUnknownBrowser, n)
		}
		if !slices.Contains(out, b) {
			out = append(out, b)
		}
	}
	return out, nil
}

// Options say where to install. The zero value is the current user's own places.
type Options struct {
	// Home replaces the user's home folder (tests, portable installs).
	Home string
	// ConfigDir replaces the Linux configuration folder ($XDG_CONFIG_HOME, else
	// Home/.config), where Chromium-family browsers look.
	ConfigDir string
}

func (o Options) home() (string, error) {
	if o.Home != "" {
		return o.Home, nil
	}
	h, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("cannot find your home folder: %w", err)
	}
	return h, nil
}

// Result says what was done for one browser.
type Result struct {
	Browser  Browser
	Manifest string // the manifest file
	Registry string // Windows: the registry key that points to it
}

// Manifest is the host manifest for browser b with the host program at hostPath.
func Manifest(b Browser, hostPath string) ([]byte, error) {
	if !filepath.IsAbs(hostPath) {
		return nil, fmt.Errorf("the host program's path must be absolute, not %q", hostPath)
	}
	m := map[string]any{
		"name":        HostName,
		"description": "Valv password manager",
		"path":        hostPath,
		"type":        "stdio",
	}
	if b == Firefox {
		m["allowed_extensions"] = []string{FirefoxExtensionID}
	} else {
		m["allowed_origins"] = []string{"chrome-extension://" + ChromiumExtensionID + "/"}
	}
	out, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}

// CheckHost reports whether hostPath is a program that can be installed.
func CheckHost(hostPath string) error {
	if !filepath.IsAbs(hostPath) {
		return fmt.Errorf("the host program's path must be absolute, not %q", hostPath)
	}
	fi, err := os.Stat(hostPath)
	if err != nil {
		return fmt.Errorf("the host program %s is missing; build it with: make build", hostPath)
	}
	if fi.IsDir() || (fi.Mode().Perm()&0o111 == 0 && !isWindows) {
		return fmt.Errorf("%s is not a program", hostPath)
	}
	return nil
}

// Install writes the manifest of every browser in bs, for the host program at
// hostPath. A browser that is not installed gets its manifest anyway (it is found
// when the browser is installed later).
func Install(o Options, bs []Browser, hostPath string) ([]Result, error) {
	if err := CheckHost(hostPath); err != nil {
		return nil, err
	}
	var out []Result
	for _, b := range bs {
		m, err := Manifest(b, hostPath)
		if err != nil {
			return out, err
		}
		r, err := install(o, b, m)
		if err != nil {
			return out, fmt.Errorf("%s: %w", b, err)
		}
		out = append(out, r)
	}
	return out, nil
}

// Uninstall removes the manifests (and on Windows the registry values) of bs; one
// that is not there is no error.
func Uninstall(o Options, bs []Browser) ([]Result, error) {
	var out []Result
	for _, b := range bs {
		r, err := uninstall(o, b)
		if err != nil {
			return out, fmt.Errorf("%s: %w", b, err)
		}
		out = append(out, r)
	}
	return out, nil
}

// Installed reports whether the manifest for b is in place (for Settings → Browsers).
func Installed(o Options, b Browser) bool {
	p, err := manifestPath(o, b)
	if err != nil {
		return false
	}
	_, err = os.Stat(p)
	return err == nil
}

// writeManifest writes m to path, creating its folder.
func writeManifest(path string, m []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, m, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

func removeManifest(path string) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}
