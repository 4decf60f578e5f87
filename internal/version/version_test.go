package version

import (
	"bytes"
	"testing"
)

func TestString(t *testing.T) {
	old := Version
	t.Cleanup(func() { Version = old })

	Version = "1.2.0-3-gabc1234"
	if got := String(); got != "1.2.0-3-gabc1234" {
		t.Errorf("linked version: String() = %q", got)
	}
	// A test binary has no version stamped by the toolchain, so it must say "dev" rather
	// than an empty string or "(devel)".
	Version = ""
	if got := String(); got != "dev" {
		t.Errorf("no linked version: String() = %q, want dev", got)
	}
}

func TestRequested(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want bool
	}{
		{[]string{"--version"}, true},
		{[]string{"-version"}, true},
		{nil, false},
		{[]string{"list", "--version"}, false}, // a command's own argument, not ours
		{[]string{"--versions"}, false},
		{[]string{"version"}, false},
	} {
		if got := Requested(tc.args); got != tc.want {
			t.Errorf("Requested(%q) = %v, want %v", tc.args, got, tc.want)
		}
	}
}

func TestPrint(t *testing.T) {
	old := Version
	t.Cleanup(func() { Version = old })
	Version = "0.4.1"
	var b bytes.Buffer
	if err := Print(&b, "valv-cli"); err != nil {
		t.Fatal(err)
	}
	if b.String() != "valv-cli 0.4.1\n" {
		t.Errorf("Print wrote %q", b.String())
	}
}
