package appcore

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"

	"github.com/valvpm/valv/browser/hostinstall"
)

// Settings → Browsers → Install writes the same native messaging manifests as
// `valv-cli browser install`, for every browser Valv knows, pointing at the
// valv-browser-host program that ships beside the app.

// ErrNoHost means valv-browser-host is not beside the app, so browsers cannot be told
// where to find Valv.
var ErrNoHost = errors.New("the valv-browser-host program is not beside the app")

// HostOptions say where the browser manifests go and which host program they name;
// the zero value is this OS user's browsers and the host beside the running program.
type HostOptions struct {
	Install hostinstall.Options
	Host    string // the valv-browser-host program; "" beside os.Executable()
}

// hostPath is the host program the manifests name.
func (o HostOptions) hostPath() (string, error) {
	if o.Host != "" {
		return filepath.Abs(o.Host)
	}
	exe, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("%w (%v)", ErrNoHost, err)
	}
	name := "valv-browser-host"
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	return filepath.Join(filepath.Dir(exe), name), nil
}

// InstallBrowsers writes the host manifest for every browser and returns the browsers
// it was written for.
func InstallBrowsers(o HostOptions) ([]hostinstall.Browser, error) {
	host, err := o.hostPath()
	if err != nil {
		return nil, err
	}
	if err := hostinstall.CheckHost(host); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNoHost, err)
	}
	res, err := hostinstall.Install(o.Install, hostinstall.Browsers, host)
	out := make([]hostinstall.Browser, 0, len(res))
	for _, r := range res {
		out = append(out, r.Browser)
	}
	return out, err
}

// UninstallBrowsers removes the host manifest of every browser.
func UninstallBrowsers(o HostOptions) error {
	_, err := hostinstall.Uninstall(o.Install, hostinstall.Browsers)
	return err
}

// BrowsersInstalled lists the browsers whose manifest is in place.
func BrowsersInstalled(o HostOptions) []hostinstall.Browser {
	var out []hostinstall.Browser
	for _, b := range hostinstall.Browsers {
		if hostinstall.Installed(o.Install, b) {
			out = append(out, b)
		}
	}
	return out
}
