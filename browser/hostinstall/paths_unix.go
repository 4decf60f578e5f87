//go:build !windows

package hostinstall

import (
	"os"
	"path/filepath"
	"runtime"
)

const isWindows = false

// manifestPath is where browser b looks for Valv's manifest for this user.
func manifestPath(o Options, b Browser) (string, error) {
	home, err := o.home()
	if err != nil {
		return "", err
	}
	file := HostName + ".json"
	if runtime.GOOS == "darwin" {
		support := filepath.Join(home, "Library", "Application Support")
		dir := map[Browser]string{
			Chromium: "Chromium", Chrome: "Google/Chrome", Edge: "Microsoft Edge",
			Brave: "BraveSoftware/Brave-Browser", Firefox: "Mozilla",
		}[b]
		return filepath.Join(support, filepath.FromSlash(dir), "NativeMessagingHosts", file), nil
	}
	if b == Firefox {
		return filepath.Join(home, ".mozilla", "native-messaging-hosts", file), nil
	}
	// Chromium-family browsers follow XDG_CONFIG_HOME; a Home given in Options means
	// "this home's own places", so only an explicit ConfigDir replaces it then.
	config := o.ConfigDir
	if config == "" && o.Home == "" {
		config = os.Getenv("XDG_CONFIG_HOME")
	}
	if config == "" {
		config = filepath.Join(home, ".config")
	}
	dir := map[Browser]string{
		Chromium: "chromium", Chrome: "google-chrome", Edge: "microsoft-edge", Brave: "BraveSoftware/Brave-Browser",
	}[b]
	return filepath.Join(config, filepath.FromSlash(dir), "NativeMessagingHosts", file), nil
}

func install(o Options, b Browser, m []byte) (Result, error) {
	p, err := manifestPath(o, b)
	if err != nil {
		return Result{}, err
	}
	return Result{Browser: b, Manifest: p}, writeManifest(p, m)
}

func uninstall(o Options, b Browser) (Result, error) {
	p, err := manifestPath(o, b)
	if err != nil {
		return Result{}, err
	}
	return Result{Browser: b, Manifest: p}, removeManifest(p)
}
