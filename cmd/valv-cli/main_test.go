package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
	"github.com/valvpm/valv/internal/testenv"
	"github.com/valvpm/valv/vault"
)

// TestMain makes the test binary double as valv-cli, so the scripts in
// testdata/script run the real command in its own process, end to end.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"valv-cli": func() { os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) },
	})
}

// TestScripts runs every testdata/script/*.txtar. Each gets a fresh VALV_HOME.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			env.Setenv(vault.HomeEnv, filepath.Join(env.WorkDir, "home"))
			return nil
		},
		Condition: func(cond string) (bool, error) {
			if cond != "netns" {
				return false, fmt.Errorf("unknown condition %q", cond)
			}
			// [netns]: `unshare -n` can run a command with no network at all (root,
			// or user namespaces). Under CI it must, so the condition holds there and
			// a missing unshare fails the script instead of skipping it.
			return testenv.InCI() || exec.Command("unshare", "-n", "true").Run() == nil, nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			// holdvault opens the default vault in this process (taking its lock) until
			// releasevault, to check that a second instance fails fast.
			"holdvault": func(ts *testscript.TestScript, neg bool, args []string) {
				p := filepath.Join(ts.Getenv(vault.HomeEnv), userName(), "vault.db")
				v, err := vault.Open(p)
				ts.Check(err)
				held[ts] = v
			},
			"releasevault": func(ts *testscript.TestScript, neg bool, args []string) {
				ts.Check(held[ts].Close())
				delete(held, ts)
			},
		},
	})
}

var held = map[*testscript.TestScript]*vault.Vault{}

// userName is the per-OS-user folder name under VALV_HOME, as vault.DefaultPath uses it.
func userName() string {
	old := os.Getenv(vault.HomeEnv)
	os.Setenv(vault.HomeEnv, "/x")
	defer os.Setenv(vault.HomeEnv, old)
	p, _ := vault.DefaultPath()
	return filepath.Base(filepath.Dir(p))
}
