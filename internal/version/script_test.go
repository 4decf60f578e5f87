package version

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/valvpm/valv/internal/testenv"
)

// gitRepo is a throw-away repository to run scripts/version in.
type gitRepo struct {
	t   *testing.T
	dir string
	git string
}

func newGitRepo(t *testing.T) *gitRepo {
	r := &gitRepo{t: t, dir: t.TempDir(), git: testenv.LookPath(t, "git")}
	r.run("init", "-q")
	r.commit("first")
	return r
}

func (r *gitRepo) run(args ...string) string {
	r.t.Helper()
	cmd := exec.Command(r.git, args...)
	cmd.Dir = r.dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com",
		"GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com", "GIT_CONFIG_GLOBAL=/dev/null")
	out, err := cmd.CombinedOutput()
	if err != nil {
		r.t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

func (r *gitRepo) commit(msg string) {
	r.t.Helper()
	f := filepath.Join(r.dir, "file")
	if err := os.WriteFile(f, []byte(msg), 0o600); err != nil {
		r.t.Fatal(err)
	}
	r.run("add", "file")
	r.run("commit", "-q", "-m", msg)
}

// version runs scripts/version FORM in the repository; env adds variables.
func (r *gitRepo) version(form string, env ...string) (string, error) {
	script, err := filepath.Abs("../../scripts/version")
	if err != nil {
		r.t.Fatal(err)
	}
	cmd := exec.Command(script, form)
	cmd.Dir = r.dir
	cmd.Env = append(append(os.Environ(), "VALV_VERSION="), env...)
	out, err := cmd.CombinedOutput()
	return strings.TrimSpace(string(out)), err
}

func (r *gitRepo) want(form, want string) {
	r.t.Helper()
	got, err := r.version(form)
	if err != nil {
		r.t.Fatalf("scripts/version %s: %v: %s", form, err, got)
	}
	if !regexp.MustCompile("^" + want + "$").MatchString(got) {
		r.t.Errorf("scripts/version %s = %q, want /%s/", form, got, want)
	}
}

// TestVersionScript walks a repository through the states a release goes through and
// checks the three forms at each: what the programs print, the Debian package version
// (which must sort after the previous release) and Windows' four numbers.
func TestVersionScript(t *testing.T) {
	r := newGitRepo(t)
	r.commit("second")
	r.want("plain", `0\.0\.0-2-g[0-9a-f]{7}`)
	r.want("deb", `0\.0\.0\+2\+g[0-9a-f]{7}`)
	r.want("win", `0\.0\.0\.2`)

	if err := os.WriteFile(filepath.Join(r.dir, "file"), []byte("edited"), 0o600); err != nil {
		t.Fatal(err)
	}
	r.want("plain", `0\.0\.0-2-g[0-9a-f]{7}-dirty`)
	r.run("checkout", "-q", "file")

	r.run("tag", "-a", "-m", "release", "v1.2.0")
	r.want("plain", `1\.2\.0`)
	r.want("deb", `1\.2\.0`)
	r.want("win", `1\.2\.0\.0`)

	r.commit("after the release")
	r.want("plain", `1\.2\.0-1-g[0-9a-f]{7}`)
	r.want("deb", `1\.2\.0\+1\+g[0-9a-f]{7}`)
	r.want("win", `1\.2\.0\.1`)

	// A tag that is not vX.Y.Z must stop the build with a sentence, not give a package a
	// version nothing can parse.
	r.run("tag", "v2-beta")
	if out, err := r.version("plain"); err == nil || !strings.Contains(out, "release tags are vX.Y.Z") {
		t.Errorf("tag v2-beta: err %v, output %q; want a refusal naming vX.Y.Z", err, out)
	}
	if out, err := r.version("rpm"); err == nil || !strings.Contains(out, "unknown form") {
		t.Errorf("form rpm: err %v, output %q; want unknown form", err, out)
	}
}

// TestVersionScriptOverride: a build from a source archive has no .git; VALV_VERSION
// gives the version and is checked like a tag.
func TestVersionScriptOverride(t *testing.T) {
	r := newGitRepo(t)
	if got, err := r.version("deb", "VALV_VERSION=3.1.4"); err != nil || got != "3.1.4" {
		t.Errorf("VALV_VERSION=3.1.4: %q, %v", got, err)
	}
	if got, err := r.version("plain", "VALV_VERSION=latest"); err == nil {
		t.Errorf("VALV_VERSION=latest accepted as %q", got)
	}
}
