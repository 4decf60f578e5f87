// Package version holds the one version number that valv, valv-cli and valv-cloud
// report. The build sets it from `git describe` (scripts/version, used by make build and
// make dist) through the linker:
//
//	go build -ldflags "-X github.com/valvpm/valv/internal/version.Version=1.2.0" ./cmd/...
//
// The package imports nothing but the standard library, so the app's About dialog, the
// terminal client and the server can all read it without pulling in each other's code.
package version

import (
	"fmt"
	"io"
	"os"
	"runtime/debug"
)

// Version is set at link time. Left empty, String falls back to what the Go toolchain
// recorded about the build, so a plain `go build` still says which commit it is.
var Version string

// Source is where the source code of this build lives, for the About dialog.
const Source = "https://github.com/valvpm/valv"

// Licence is the SPDX identifier of the licence in the repository's LICENSE file, which
// every package ships.
const Licence = "MIT"

// String is the version to show: the linked-in Version, else the module version the Go
// toolchain stamped from version control (a pseudo-version such as
// v0.0.0-20250101120000-abcdef123456+dirty), else "dev" for go run and tests.
func String() string {
	if Version != "" {
		return Version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

// Requested reports whether the command line asks only for the version: "--version" or
// "-version" as the first argument. The commands check this before anything else, so
// asking for the version needs no display, vault or network.
func Requested(args []string) bool {
	return len(args) > 0 && (args[0] == "--version" || args[0] == "-version")
}

// Print writes the line every Valv program answers --version with, e.g. "valv-cli 1.2.0".
func Print(w io.Writer, program string) error {
	_, err := fmt.Fprintf(w, "%s %s\n", program, String())
	return err
}

// ExitIfRequested answers a command line that asks only for the version: it prints the
// line on standard output and ends the process (status 1 if that write failed).
// Otherwise it returns and the program goes on.
func ExitIfRequested(program string, args []string) {
	if !Requested(args) {
		return
	}
	if err := Print(os.Stdout, program); err != nil {
		os.Exit(1)
	}
	os.Exit(0)
}
