package main

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/valvpm/valv/internal/memscan"
	"github.com/valvpm/valv/internal/testenv"
	"github.com/valvpm/valv/vault"
)

// memCanaries are the secrets the memory test types. They are built at run time so
// neither the test binary nor the app binary holds them as constants; mixed case so a
// lower-cased copy is told apart.
func memCanaries() (master, item string) {
	return "Mc" + strings.Repeat("Q7-Violet", 2) + "-Harbour-Xz", "Ic" + strings.Repeat("K4-Amber", 2) + "-Lantern-Wy"
}

// TestMemoryAfterLock performs the memory attack on the real app: it types a
// canary master password and a canary item password under Xvfb, copies the password
// with Ctrl+C (read back by xclip, another X client), locks, waits, and
// reads the whole process memory through /proc/PID/mem as a debugger or a core dump
// would. It fails on any full copy, in UTF-8, UTF-16LE, UTF-32LE or lower case, of the
// master password or the item password, and prints the table of every stage.
func TestMemoryAfterLock(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the real app")
	}
	if os.Geteuid() != 0 && testenv.InCI() {
		t.Fatal("CI runs as root so the memory of the non-dumpable process can be read")
	}
	if os.Geteuid() != 0 {
		t.Skip("valv is non-dumpable: only root (CAP_SYS_PTRACE) can read its memory")
	}
	master, itemPW := memCanaries()
	canaries := map[string]string{"master": master, "item-pw": itemPW}
	a := startApp(t)
	var stages []string
	var results []memscan.Result
	scan := func(stage string) memscan.Result {
		t.Helper()
		a.alive(stage)
		r, err := memscan.Scan(a.cmd.Process.Pid, canaries)
		if err != nil {
			t.Fatal(err)
		}
		stages, results = append(stages, stage), append(results, r)
		return r
	}

	a.createVault(master)
	scan("created, unlocked")
	a.key("ctrl+n")
	a.typ("Memory item")
	// To the password field by Tab: past Folder, Website address, its + button and
	// User name (the test below fails if the password lands anywhere else).
	for range 5 {
		a.key("Tab")
	}
	a.typ(itemPW)
	a.key("Return") // waits until the editor has closed and the detail view shows the item
	scan("item saved, shown")
	a.key("ctrl+c") // copies the shown item's password, as a person would to log in
	if got := a.clipboard(); got != itemPW {
		t.Fatalf("Ctrl+C put %d characters on the clipboard, not the item's password", len(got))
	}
	scan("password copied")
	a.key("ctrl+l")
	a.waitTitle("locking", "Valv – locked")
	scan("locked")
	time.Sleep(5 * time.Second) // the target is "after lock + 5 s": what a late reader finds
	final := scan("locked + 5 s")

	table := memscan.Table(stages, results, []string{"master", "item-pw"})
	t.Logf("copies in valv's memory (full/first %d characters):\n%s", memscan.Partial, table)
	t.Logf("after lock + 5 s: master password %s; item password %s", counts(final["master"]), counts(final["item-pw"]))
	if n := final.FullCopies("master"); n != 0 {
		t.Errorf("%d full copies of the master password after lock + 5 s:\n%s", n, table)
	}
	// The vault's own copies of item secrets are wiped by Lock (vault/secretmem.go), and
	// the editor types secrets into a SecretEntry it wipes on close (ui/secretfield.go).
	if n := final.FullCopies("item-pw"); n != 0 {
		t.Errorf("%d full copies of the item password after lock + 5 s:\n%s", n, table)
	}

	a.quit()
	items, err := a.openVault(master).List(vault.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 1 || items[0].Password != itemPW {
		t.Fatalf("the typing did not land: %d items (the password must be the item's password field)", len(items))
	}
}

// counts formats one canary's full copies per encoding, then the total:
// "UTF-8 12, UTF-16LE 0, UTF-32LE 6, lower 0: 18 full copies".
func counts(byEncoding map[string]memscan.Count) string {
	var parts []string
	total := 0
	for _, e := range memscan.Encodings {
		c := byEncoding[e]
		parts = append(parts, fmt.Sprintf("%s %d", e, c.Full))
		total += c.Full
	}
	return fmt.Sprintf("%s: %d full copies", strings.Join(parts, ", "), total)
}
