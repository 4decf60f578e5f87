package version

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/valvpm/valv/internal/testenv"
)

// TestCommandsReportLinkedVersion builds the three real programs the way make build and
// make dist do, with the version linked in, and asks each for it: one number, three
// programs, and none of them needs a display, a vault or a network to answer.
func TestCommandsReportLinkedVersion(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the three programs")
	}
	gobin := testenv.LookPath(t, "go")
	const want = "7.8.9-4-gfeedbee"
	dir := t.TempDir()
	ldflags := "-X github.com/valvpm/valv/internal/version.Version=" + want
	for _, tc := range []struct{ program, flag string }{
		{"valv", "--version"},
		{"valv-cli", "--version"},
		{"valv-cloud", "-version"},
		{"valv-cloud", "--version"},
	} {
		bin := filepath.Join(dir, tc.program)
		build := exec.Command(gobin, "build", "-ldflags", ldflags, "-o", bin, "github.com/valvpm/valv/cmd/"+tc.program)
		if out, err := build.CombinedOutput(); err != nil {
			t.Fatalf("building %s: %v\n%s", tc.program, err, out)
		}
		cmd := exec.Command(bin, tc.flag)
		cmd.Env = []string{"PATH=/usr/bin:/bin", "HOME=" + dir} // no DISPLAY: the app must not need one
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s %s: %v\n%s", tc.program, tc.flag, err, out)
		}
		if got, wantLine := strings.TrimSpace(string(out)), tc.program+" "+want; got != wantLine {
			t.Errorf("%s %s printed %q, want %q", tc.program, tc.flag, got, wantLine)
		}
	}
}
