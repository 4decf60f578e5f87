package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"

	"github.com/valvpm/valv/browser/hostinstall"
)

func init() {
	var which, host string
	register(&command{
		name: "browser", args: "install|uninstall [--browser chromium|chrome|edge|brave|firefox|all] [--host PATH]",
		summary: "install or remove the browser extension's connection to Valv (native messaging host manifests)",
		flags: func(fs *flag.FlagSet, e *env) {
			fs.StringVar(&which, "browser", "all", "which browsers: chromium, chrome, edge, brave, firefox (comma-separated) or all")
			fs.StringVar(&host, "host", "", "the valv-browser-host program (default: the one beside valv-cli)")
		},
		check: func(e *env, args []string) error {
			if len(args) != 1 || (args[0] != "install" && args[0] != "uninstall") {
				return usagef("browser takes install or uninstall (see valv-cli help browser)")
			}
			if _, err := hostinstall.ParseBrowsers(which); err != nil {
				return usagef("%v", err)
			}
			return nil
		},
		run: func(e *env, args []string) error {
			bs, err := hostinstall.ParseBrowsers(which)
			if err != nil {
				return usagef("%v", err)
			}
			var res []hostinstall.Result
			if args[0] == "install" {
				if host == "" {
					if host, err = defaultHost(); err != nil {
						return err
					}
				}
				if host, err = filepath.Abs(host); err != nil {
					return err
				}
				res, err = hostinstall.Install(hostinstall.Options{}, bs, host)
			} else {
				res, err = hostinstall.Uninstall(hostinstall.Options{}, bs)
			}
			for _, r := range res {
				where := r.Manifest
				if r.Registry != "" {
					where += " (" + r.Registry + ")"
				}
				verb := "installed"
				if args[0] == "uninstall" {
					verb = "removed"
				}
				fmt.Fprintf(e.stdout, "%-9s %s %s\n", r.Browser+":", verb, where)
			}
			return err
		},
	})
}

// defaultHost is valv-browser-host in the folder valv-cli runs from, where make build
// and the packages put both.
func defaultHost() (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("cannot find valv-cli's own folder (%v); give the host with --host", err)
	}
	name := "valv-browser-host"
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	return filepath.Join(filepath.Dir(exe), name), nil
}
