// Package testenv lets tests ask for real outside parts (a browser, Xvfb, a Secret
// Service) without hiding their absence: on a developer's machine a missing part skips
// the test with the reason, but under CI (CI=true) it fails it, so a green CI run means
// every real-part test really ran. scripts/setup installs all of them.
package testenv

import (
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
