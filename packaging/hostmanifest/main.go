// Command hostmanifest writes the native messaging host manifests the packages install
// system-wide, so the browser extension finds valv-browser-host without anyone running
// `valv-cli browser install`. The manifests come from browser/hostinstall, the same
// code that writes the per-user ones, so both allow exactly Valv's extension.
//
//	go run ./packaging/hostmanifest -browser chromium|firefox -host PATH -o FILE
//
// PATH is absolute on Linux. The Windows installer passes the program's bare file
// name: Chromium-family browsers and Firefox on Windows read a relative path as
// relative to the manifest's folder, where the installer puts both.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/valvpm/valv/browser/hostinstall"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "hostmanifest:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("hostmanifest", flag.ContinueOnError)
	browser := fs.String("browser", "", "chromium (every Chromium-family browser) or firefox")
	host := fs.String("host", "", "the host program as the manifest names it")
	out := fs.String("o", "", "the manifest file to write")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *host == "" || *out == "" || fs.NArg() != 0 {
		return errors.New("usage: hostmanifest -browser chromium|firefox -host PATH -o FILE")
	}
	bs, err := hostinstall.ParseBrowsers(*browser)
	if err != nil || len(bs) != 1 {
		return fmt.Errorf("-browser takes one of chromium or firefox, not %q", *browser)
	}
	m, err := manifest(bs[0], *host)
	if err != nil {
		return err
	}
	return os.WriteFile(*out, m, 0o644)
}

// manifest is hostinstall's manifest for b with "path" set to host. A relative host
// is given to hostinstall as if absolute and put back afterwards: hostinstall refuses
// relative paths because a per-user manifest lives far from the program.
func manifest(b hostinstall.Browser, host string) ([]byte, error) {
	if filepath.IsAbs(host) {
		return hostinstall.Manifest(b, host)
	}
	if filepath.Base(host) != host {
		return nil, fmt.Errorf("a relative -host is a bare file name beside the manifest, not %q", host)
	}
	raw, err := hostinstall.Manifest(b, string(filepath.Separator)+host)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	m["path"] = host
	out, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}
