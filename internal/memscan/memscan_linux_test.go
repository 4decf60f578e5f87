package memscan

import (
	"os"
	"runtime"
	"strings"
	"testing"
)

// The scanner finds what is there (scanning itself, it also finds its own patterns, so
// only lower bounds are asserted; the app tests scan another process): a canary held by this process in UTF-8 and as a
// []rune (UTF-32LE), built at run time so the test binary's file holds none.
func TestScanFindsWhatIsThere(t *testing.T) {
	name := strings.Repeat("Scan", 2) + "Me-Canary-2026"
	held := []byte(name)
	runes := []rune(name)
	r, err := Scan(os.Getpid(), map[string]string{"c": name})
	if err != nil {
		t.Fatal(err)
	}
	if c := r["c"]["UTF-8"]; c.Full < 1 || c.Partial < c.Full {
		t.Errorf("UTF-8: %+v, want at least the copy held", c)
	}
	if c := r["c"]["UTF-32LE"]; c.Full < 1 {
		t.Errorf("UTF-32LE: %+v, want the []rune", c)
	}
	runtime.KeepAlive(held)
	runtime.KeepAlive(runes)
	if tb := Table([]string{"now"}, []Result{r}, []string{"c"}); !strings.Contains(tb, "now") || !strings.Contains(tb, "UTF-16LE full/12") {
		t.Errorf("table:\n%s", tb)
	}
}
