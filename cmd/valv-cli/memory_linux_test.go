package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/valvpm/valv/internal/memscan"
	"github.com/valvpm/valv/internal/testenv"
)

// TestMemoryDuringImport reads the memory of the real valv-cli while a long import
// runs with --password-stdin, as a same-machine attacker or a crash dump would: the
// master password typed on standard input must not be there (no read-ahead buffer, no
// kept copy). VALV_MEMSCAN_TABLE=1 prints the table.
func TestMemoryDuringImport(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the real valv-cli and imports 20,000 items")
	}
	if os.Geteuid() != 0 && testenv.InCI() {
		t.Fatal("CI runs as root so the memory of the non-dumpable process can be read")
	}
	if os.Geteuid() != 0 {
		t.Skip("valv-cli is non-dumpable: only root (CAP_SYS_PTRACE) can read its memory")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "valv-cli")
	if out, err := exec.Command(testenv.LookPath(t, "go"), "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("building valv-cli: %v\n%s", err, out)
	}
	master := "Cm" + strings.Repeat("R8-Cobalt", 2) + "-Meadow-Qv" // built at run time
	vaultPath := filepath.Join(dir, "v.db")
	initCmd := exec.Command(bin, "init", "--vault", vaultPath, "--password-stdin", "--kdf-target", "0")
	initCmd.Stdin = strings.NewReader(master + "\n")
	if out, err := initCmd.CombinedOutput(); err != nil {
		t.Fatalf("init: %v\n%s", err, out)
	}
	var items strings.Builder
	items.WriteString("[")
	for i := range 20000 {
		fmt.Fprintf(&items, `%s{"type":"login","title":"Item %d","username":"u%d","password":"pw-%d-xyzzy"}`, map[bool]string{true: ",", false: ""}[i > 0], i, i, i)
	}
	items.WriteString("]")
	file := filepath.Join(dir, "items.json")
	if err := os.WriteFile(file, []byte(items.String()), 0o600); err != nil {
		t.Fatal(err)
	}

	imp := exec.Command(bin, "import", "--vault", vaultPath, file, "--password-stdin", "--progress")
	stdin, err := imp.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr, err := imp.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := imp.Start(); err != nil {
		t.Fatal(err)
	}
	// Standard input stays open (and holds a second line) for the whole import, as a
	// script's pipe would.
	if _, err := fmt.Fprintf(stdin, "%s\nnot-read-%s\n", master, master); err != nil {
		t.Fatal(err)
	}
	canaries := map[string]string{"master": master}
	var stages []string
	var results []memscan.Result
	lines := bufio.NewScanner(stderr)
	lines.Split(scanProgress)
	for lines.Scan() {
		// Each progress report means the import is under way: read the memory then.
		if len(stages) >= 3 || !strings.Contains(lines.Text(), "%") {
			continue
		}
		r, err := memscan.Scan(imp.Process.Pid, canaries)
		if err != nil {
			continue // the process may have just exited
		}
		stages, results = append(stages, fmt.Sprintf("importing (%s)", strings.TrimSpace(lines.Text()))), append(results, r)
	}
	if err := stdin.Close(); err != nil {
		t.Error(err)
	}
	if err := imp.Wait(); err != nil {
		t.Fatalf("import: %v", err)
	}
	if len(results) == 0 {
		t.Fatal("the import ended before its memory could be read")
	}
	table := memscan.Table(stages, results, []string{"master"})
	if os.Getenv("VALV_MEMSCAN_TABLE") != "" {
		t.Logf("copies in valv-cli's memory (full/first %d characters):\n%s", memscan.Partial, table)
	}
	for i, r := range results {
		if n := r.FullCopies("master"); n != 0 {
			t.Errorf("%s: %d full copies of the master password:\n%s", stages[i], n, table)
		}
	}
}

// scanProgress splits progress output at line ends and carriage returns.
func scanProgress(data []byte, atEOF bool) (int, []byte, error) {
	for i, b := range data {
		if b == '\n' || b == '\r' {
			return i + 1, data[:i], nil
		}
	}
	if atEOF && len(data) > 0 {
		return len(data), data, nil
	}
	return 0, nil, nil
}
