package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
	"github.com/valvpm/valv/cloud/cloudtest"
	"github.com/valvpm/valv/internal/testenv"
	"github.com/valvpm/valv/vault"
)

// TestAccountScripts runs testdata/account/*.txtar against a real valv-cloud with the
// demo accounts, and the real Secret Service (sessions live in the OS keyring, so the
// scripts need one: make test provides gnome-keyring). One script, run alone, because
// the family-wide keyring entry is shared by everything on the machine.
func TestAccountScripts(t *testing.T) {
	if os.Getenv("VALV_SECRET_SERVICE") != "1" {
		testenv.Unavailable(t, "no Secret Service: run through scripts/with-keyring (make test does)")
	}
	env := cloudtest.Start(t)
	if _, err := env.Server.SeedDemo(); err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, accountParams(t, env, "testdata/account"))
}

// TestAccountVerifyScripts runs testdata/account-verify/*.txtar against a server that
// proves e-mail addresses ("Enter the code we e-mailed").
func TestAccountVerifyScripts(t *testing.T) {
	if os.Getenv("VALV_SECRET_SERVICE") != "1" {
		testenv.Unavailable(t, "no Secret Service: run through scripts/with-keyring (make test does)")
	}
	env := cloudtest.Start(t, cloudtest.ProveEmails)
	testscript.Run(t, accountParams(t, env, "testdata/account-verify"))
}

// accountParams runs the scripts of dir against env.
func accountParams(t *testing.T, env *cloudtest.Env, dir string) testscript.Params {
	return testscript.Params{
		Dir: dir,
		Setup: func(e *testscript.Env) error {
			e.Setenv(vault.HomeEnv, filepath.Join(e.WorkDir, "home"))
			e.Setenv("VALV_CLOUD_URL", env.URL)
			// The sessions live in the test's Secret Service (scripts/with-keyring).
			for _, k := range []string{"DBUS_SESSION_BUS_ADDRESS", "XDG_RUNTIME_DIR"} {
				if v := os.Getenv(k); v != "" {
					e.Setenv(k, v)
				}
			}
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			// outboxcode TO FILE writes the newest code sent to TO (e-mail or phone) to FILE.
			"outboxcode": func(ts *testscript.TestScript, neg bool, args []string) {
				if len(args) != 2 {
					ts.Fatalf("usage: outboxcode TO FILE")
				}
				ts.Check(os.WriteFile(ts.MkAbs(args[1]), []byte(env.LastCode(t, args[0])+"\n"), 0o600))
			},
			// interact TO LINE... -- COMMAND ARGS... runs the command as a person at a
			// terminal would: it types each LINE in turn, where "{code}" stands for the
			// next code the server sends to TO (e-mail or phone) after the command starts.
			// Output goes to the files "out" and "err"; the exit status counts as for exec.
			"interact": func(ts *testscript.TestScript, neg bool, args []string) {
				sep := slices.Index(args, "--")
				if sep < 1 || sep == len(args)-1 {
					ts.Fatalf("usage: interact TO LINE... -- COMMAND ARGS...")
				}
				to, lines, command := args[0], args[1:sep], args[sep+1:]
				seen := len(env.Messages())
				cmd := exec.Command(command[0], command[1:]...)
				cmd.Dir = ts.Getenv("WORK")
				cmd.Env = environ(ts)
				var out, errb bytes.Buffer
				cmd.Stdout, cmd.Stderr = &out, &errb
				in, err := cmd.StdinPipe()
				ts.Check(err)
				ts.Check(cmd.Start())
				for _, l := range lines {
					if l == "{code}" {
						l = ""
						for deadline := time.Now().Add(20 * time.Second); l == "" && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
							msgs := env.Messages()
							for _, m := range msgs[min(seen, len(msgs)):] {
								if m.To == to && m.Code != "" && l == "" {
									l = m.Code
								}
							}
							if l != "" {
								seen = len(msgs)
							}
						}
					}
					fmt.Fprintln(in, l)
				}
				in.Close()
				err = cmd.Wait()
				ts.Check(os.WriteFile(ts.MkAbs("out"), out.Bytes(), 0o600))
				ts.Check(os.WriteFile(ts.MkAbs("err"), errb.Bytes(), 0o600))
				if (err != nil) != neg {
					ts.Fatalf("interact: exit %v (stderr: %s)", err, errb.String())
				}
			},
		},
	}
}

// environ is the script's environment for a command started by a custom command.
func environ(ts *testscript.TestScript) []string {
	var out []string
	for _, k := range []string{"PATH", "HOME", "WORK", "TMPDIR", vault.HomeEnv, "VALV_CLOUD_URL", "DBUS_SESSION_BUS_ADDRESS", "XDG_DATA_HOME", "XDG_RUNTIME_DIR"} {
		if v := ts.Getenv(k); v != "" {
			out = append(out, k+"="+v)
		} else if v := os.Getenv(k); v != "" && !strings.HasPrefix(k, "VALV") {
			out = append(out, k+"="+v)
		}
	}
	return out
}
