//go:build windows

package hostinstall

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"golang.org/x/sys/windows/registry"
)

const isWindows = true

// registryKeys are the per-user keys under HKCU where each browser looks up hosts.
var registryKeys = map[Browser]string{
	Chromium: `Software\Chromium\NativeMessagingHosts\`,
	Chrome:   `Software\Google\Chrome\NativeMessagingHosts\`,
	Edge:     `Software\Microsoft\Edge\NativeMessagingHosts\`,
	Brave:    `Software\BraveSoftware\Brave-Browser\NativeMessagingHosts\`,
	Firefox:  `Software\Mozilla\NativeMessagingHosts\`,
}

// manifestPath is Valv's own file for browser b; the registry points to it.
func manifestPath(o Options, b Browser) (string, error) {
	base := os.Getenv("LOCALAPPDATA")
	if o.Home != "" || base == "" {
		home, err := o.home()
		if err != nil {
			return "", err
		}
		base = filepath.Join(home, "AppData", "Local")
	}
	return filepath.Join(base, "Valv", "NativeMessagingHosts", string(b), HostName+".json"), nil
}

func install(o Options, b Browser, m []byte) (Result, error) {
	p, err := manifestPath(o, b)
	if err != nil {
		return Result{}, err
	}
	if err := writeManifest(p, m); err != nil {
		return Result{}, err
	}
	key := registryKeys[b] + HostName
	k, _, err := registry.CreateKey(registry.CURRENT_USER, key, registry.SET_VALUE)
	if err != nil {
		return Result{}, fmt.Errorf("cannot write HKCU\\%s: %w", key, err)
	}
	err = k.SetStringValue("", p)
	if cerr := k.Close(); err == nil {
		err = cerr
	}
	return Result{Browser: b, Manifest: p, Registry: `HKCU\` + key}, err
}

func uninstall(o Options, b Browser) (Result, error) {
	p, err := manifestPath(o, b)
	if err != nil {
		return Result{}, err
	}
	key := registryKeys[b] + HostName
	if err := registry.DeleteKey(registry.CURRENT_USER, key); err != nil && !errors.Is(err, registry.ErrNotExist) {
		return Result{}, fmt.Errorf("cannot remove HKCU\\%s: %w", key, err)
	}
	return Result{Browser: b, Manifest: p, Registry: `HKCU\` + key}, removeManifest(p)
}
