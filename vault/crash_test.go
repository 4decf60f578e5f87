package vault

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

const crashChildEnv = "VALV_CRASH_CHILD_VAULT"

// TestMain lets the test binary double as the child process of TestCrashSafety.
func TestMain(m *testing.M) {
	if path := os.Getenv(crashChildEnv); path != "" {
		crashChild(path)
		return
	}
	for env, child := range childModes {
		if arg := os.Getenv(env); arg != "" {
			child(arg)
			return
		}
	}
	os.Exit(m.Run())
}

// childModes are the other ways the test binary runs as a child process: the
// environment variable that selects one, and what it runs with the variable's value.
// Tests of one platform register theirs in init.
var childModes = map[string]func(arg string){}

// crashChild writes items forever, printing each ID only after Add has returned.
func crashChild(path string) {
	v, err := Open(path)
	if err == nil {
		err = v.Unlock(testPassword)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		os.Exit(2)
	}
	fmt.Println("ready")
	for i := 0; ; i++ {
		it, err := v.Add(&Item{Type: TypeLogin, Title: fmt.Sprintf("crash %d", i), Username: "u", Password: fmt.Sprintf("p%d", i)})
		if err != nil {
			fmt.Fprintln(os.Stderr, "child:", err)
			os.Exit(3)
		}
		fmt.Println(it.ID)
	}
}

// TestCrashSafety kills a writing process with SIGKILL at random moments: every item
// whose Add returned before the kill must be there afterwards, and the file must pass
// bbolt's consistency check.
func TestCrashSafety(t *testing.T) {
	if testing.Short() {
		t.Skip("kills a child process 20 times")
	}
	v := newTestVault(t)
	path := v.Path()
	v.Close()
	rng := rand.New(rand.NewPCG(2026, 11))
	var acked []ID
	const kills = 20
	for k := range kills {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), crashChildEnv+"="+path)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(out)
		if !sc.Scan() || sc.Text() != "ready" {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("kill %d: child did not start", k)
		}
		lines := make(chan string, 1<<16)
		go func() {
			for sc.Scan() {
				lines <- sc.Text()
			}
			close(lines)
		}()
		time.Sleep(time.Duration(rng.IntN(150)) * time.Millisecond)
		if err := cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		for l := range lines {
			id, err := ParseID(l)
			if err != nil {
				t.Fatalf("kill %d: child printed %q", k, l)
			}
			acked = append(acked, id)
		}
		cmd.Wait()
		checkConsistent(t, path, acked)
	}
	v2 := reopen(t, mustOpen(t, path), testPassword)
	for _, id := range acked {
		if _, err := v2.Get(id); err != nil {
			t.Fatalf("acknowledged item %s: %v", id, err)
		}
	}
	if len(v2.Damaged()) != 0 {
		t.Errorf("%d damaged items after crashes", len(v2.Damaged()))
	}
	t.Logf("%d kills, %d acknowledged items all present", kills, len(acked))
}

func checkConsistent(t *testing.T, path string, acked []ID) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatalf("reopen after kill: %v", err)
	}
	defer db.Close()
	err = db.View(func(tx *bolt.Tx) error {
		for err := range tx.Check() {
			return err
		}
		b := tx.Bucket(bucketItems)
		for _, id := range acked {
			if b.Get(id[:]) == nil {
				return fmt.Errorf("acknowledged item %s is missing", id)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
