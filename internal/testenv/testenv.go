// Package testenv lets tests ask for real outside parts (a browser, Xvfb, a Secret
// Service) without hiding their absence: on a developer's machine a missing part skips
// the test with the reason, but under CI (CI=true) it fails it, so a green CI run means
// every real-part test really ran. scripts/setup installs all of them.
package testenv

import (
	"io"
	"os"
	"os/exec"
	"testing"
)

// InCI reports whether the tests run under CI, where nothing may be skipped.
func InCI() bool { return os.Getenv("CI") == "true" }

// Unavailable skips the test with reason, or fails it under CI.
func Unavailable(t testing.TB, reason string) {
	t.Helper()
	if InCI() {
		t.Fatalf("required test dependency missing under CI: %s (run scripts/setup)", reason)
	}
	t.Skipf("skipped: %s (run scripts/setup)", reason)
}

// LookPath returns the path of the named program, or skips/fails as Unavailable does.
func LookPath(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		Unavailable(t, name+" is not installed")
	}
	return p
}

// Start starts cmd with pipes to its standard input and from its standard output,
// failing the test if it cannot, for tests that talk to a child line by line.
func Start(t testing.TB, cmd *exec.Cmd) (stdin io.WriteCloser, stdout io.ReadCloser) {
	t.Helper()
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err = cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return stdin, stdout
}

// Self is a command that runs this test binary again with env added and no test, for
// a test whose TestMain turns the binary into a child process when env says so.
func Self(t testing.TB, env ...string) *exec.Cmd {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(self, "-test.run=^$")
	cmd.Env = append(os.Environ(), env...)
	return cmd
}
