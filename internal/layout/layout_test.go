package layout

import (
	"bufio"
	"bytes"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/valvpm/valv/"

// A rule says which project packages the packages it covers may import directly
// (patterns: "vault" is that package, "vault/..." it and everything under it). Every
// package of the module must be covered by a rule, so a new one is placed on purpose.
type rule struct {
	name     string
	covers   []string // packages the rule is about
	except   []string // packages under covers that have a rule of their own
	may      []string // project packages they may import; nil: none
	stdlib   bool     // and nothing outside the standard library either
	anything bool     // may import anything (the desktop app's wiring)
}

var rules = []rule{
	{name: "the vault imports nothing of the project but its own packages and internal helpers",
		covers: []string{"vault/..."}, may: []string{"vault/...", "internal/argon2", "internal/secret", "internal/testenv"}},
	{name: "account imports only cloud/api",
		covers: []string{"account/..."}, may: []string{"account/...", "cloud/api", "internal/secret", "internal/testenv"}},
	{name: "sync imports only vault and cloud/api",
		covers: []string{"sync"}, may: []string{"vault", "cloud/api", "internal/secret"}},
	{name: "the server never imports a client package",
		covers: []string{"cloud/...", "cmd/valv-cloud"}, except: []string{"cloud/api"}, may: []string{"cloud/...", "internal/version"}},
	{name: "cloud/api is the wire contract: the standard library only",
		covers: []string{"cloud/api"}, stdlib: true},
	{name: "valv-cli imports the client packages",
		covers: []string{"cmd/valv-cli"}, may: []string{"vault/...", "account", "sync", "cloud/api", "internal/secret", "internal/harden", "internal/version", "browser/hostinstall"}},
	{name: "the browser side reaches the vault, never the server or the UI",
		covers: []string{"browser/..."}, may: []string{"browser/...", "vault/...", "internal/secret", "internal/testenv"}},
	{name: "the native messaging host only relays: the browser package and its own hardening at most",
		covers: []string{"cmd/valv-browser-host"}, may: []string{"browser", "internal/harden"}},
	{name: "ui reaches the server only through account and sync: no cloud/api",
		covers: []string{"ui/..."}, may: []string{"ui/...", "vault/...", "account", "sync", "assets", "internal/secret", "internal/version", "browser", "browser/hostinstall"}},
	{name: "the desktop app's Fyne-free package imports no view",
		covers: []string{"ui/appcore/..."}, may: []string{"ui/appcore/...", "ui/localeenv", "vault/...", "account", "sync", "internal/secret", "browser", "browser/hostinstall"}},
	{name: "assets imports nothing of the project",
		covers: []string{"assets"}},
	{name: "internal helpers and scripts import the vault at most",
		covers: []string{"internal/...", "scripts/..."}, may: []string{"internal/...", "vault/..."}},
	{name: "packaging checks metadata and writes the browser host manifests the packages carry",
		covers: []string{"packaging/..."}, may: []string{"internal/testenv", "internal/version", "browser/hostinstall"}},
	{name: "cmd/valv is the desktop app's wiring",
		covers: []string{"cmd/valv"}, anything: true},
}

// fyneAllowed are the only packages that may depend on Fyne, even indirectly; the
// Fyne-free packages of the desktop app under ui/ are listed in fyneFreeUnderUI.
var (
	fyneAllowed     = []string{"ui/...", "assets", "cmd/valv"}
	fyneFreeUnderUI = []string{"ui/appcore/...", "ui/localeenv"}
)

type pkg struct {
	path    string   // relative to the module: "vault/transfer"
	imports []string // direct imports, non-test files, full paths
	deps    []string // every dependency, full paths
}

// list runs `go list` over the module from its root.
func list(t *testing.T) []pkg {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to list the packages: %v", err)
	}
	cmd := exec.Command(goBin, "list", "-f", "{{.ImportPath}}|{{join .Imports \" \"}}|{{join .Deps \" \"}}", "./...")
	cmd.Dir = "../.."
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	var pkgs []pkg
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		f := strings.Split(sc.Text(), "|")
		if len(f) != 3 {
			t.Fatalf("go list printed %q", sc.Text())
		}
		pkgs = append(pkgs, pkg{strings.TrimPrefix(f[0], module), strings.Fields(f[1]), strings.Fields(f[2])})
	}
	if len(pkgs) < 10 {
		t.Fatalf("go list found only %d packages", len(pkgs))
	}
	return pkgs
}

// match reports whether p (relative) matches one of patterns.
func match(p string, patterns []string) bool {
	return slices.ContainsFunc(patterns, func(pat string) bool {
		if base, ok := strings.CutSuffix(pat, "/..."); ok {
			return p == base || strings.HasPrefix(p, base+"/")
		}
		return p == pat
	})
}

func (r rule) applies(p string) bool { return match(p, r.covers) && !match(p, r.except) }

// TestImportRules checks each rule as a subtest of its own, so a failure names the
// rule broken and the import that breaks it.
func TestImportRules(t *testing.T) {
	pkgs := list(t)
	for _, p := range pkgs {
		if !slices.ContainsFunc(rules, func(r rule) bool { return r.applies(p.path) }) {
			t.Errorf("package %s is covered by no import rule: add it to a row of rules", p.path)
		}
	}
	for _, r := range rules {
		t.Run(r.name, func(t *testing.T) {
			for _, p := range pkgs {
				if !r.applies(p.path) || r.anything {
					continue
				}
				for _, imp := range p.imports {
					rel, ours := strings.CutPrefix(imp, module)
					switch {
					case ours && !match(rel, r.may):
						t.Errorf("%s imports %s", p.path, rel)
					case !ours && r.stdlib && strings.Contains(strings.Split(imp, "/")[0], "."):
						t.Errorf("%s imports %s, which is not the standard library", p.path, imp)
					}
				}
			}
		})
	}
	t.Run("only ui, assets and cmd/valv depend on Fyne", func(t *testing.T) {
		for _, p := range pkgs {
			if match(p.path, fyneAllowed) && !match(p.path, fyneFreeUnderUI) {
				continue
			}
			for _, d := range p.deps {
				if strings.HasPrefix(d, "fyne.io/") {
					t.Errorf("%s depends on %s", p.path, d)
					break
				}
			}
		}
	})
}

// The checker itself: a package breaking a rule is found.
func TestRulesCatchViolations(t *testing.T) {
	for _, tc := range []struct {
		pkg, imp string
		broken   bool
	}{
		{"vault", module + "account", true},
		{"vault/transfer", module + "vault", false},
		{"ui", module + "cloud/api", true},
		{"ui/appcore", module + "sync", false},
		{"ui/appcore", module + "assets", true},
		{"ui/appcore", module + "ui", true},
		{"cloud", module + "vault", true},
		{"cloud/store", module + "cloud/api", false},
		{"sync", module + "account", true},
		{"cmd/valv", module + "cloud", false},
	} {
		broken := false
		for _, r := range rules {
			if r.applies(tc.pkg) && !r.anything {
				rel := strings.TrimPrefix(tc.imp, module)
				broken = broken || !match(rel, r.may)
			}
		}
		if broken != tc.broken {
			t.Errorf("%s importing %s: broken=%v, want %v", tc.pkg, tc.imp, broken, tc.broken)
		}
	}
}
