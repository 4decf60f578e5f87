package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/valvpm/valv/vault"
	"github.com/valvpm/valv/vault/transfer"
	"golang.org/x/term"
)

func init() {
	var (
		format                   string
		dryRun, progress, strict bool
	)
	register(&command{
		name: "import", args: "FILE [--format F] [--dry-run] [--progress] [--strict] [--json]\n\nWith --password-stdin, standard input holds the master password, then (for an encrypted Valv export or a KeePass database) the file's own password, one per line.",
		summary:    "import items from another password manager's export or a Valv export",
		needsVault: true, unlockFirst: true,
		flags: func(fs *flag.FlagSet, e *env) {
			fs.StringVar(&format, "format", "", "the file's format, if detection guesses wrong: "+formatNames())
			fs.BoolVar(&dryRun, "dry-run", false, "show what would be imported and write nothing")
			fs.BoolVar(&progress, "progress", false, "show progress on standard error even when it is not a terminal")
			fs.BoolVar(&strict, "strict", false, "import nothing if any row cannot be read")
			e.jsonFlag(fs)
		},
		check: func(e *env, args []string) error {
			if len(args) != 1 {
				return usagef("import needs one file: valv-cli import FILE")
			}
			if _, err := transfer.ParseFormat(format); err != nil {
				return usagef("%v", err)
			}
			if _, err := os.Stat(args[0]); err != nil {
				return fmt.Errorf("cannot read %s: %w", args[0], errors.Unwrap(err))
			}
			return nil
		},
		run: func(e *env, args []string) error {
			f, err := transfer.ParseFormat(format)
			if err != nil {
				return usagef("%v", err)
			}
			data, err := transfer.ReadFile(args[0])
			if err != nil {
				return err
			}
			bar := e.progressBar(progress)
			prompt := filePasswordPrompt(f, data)
			plan, err := transfer.Prepare(e.v, data, transfer.ImportOptions{
				Format: f,
				// With --password-stdin the master password was the first line; the
				// file's own password (an encrypted export, a KeePass database) is
				// the second.
				Password: func() ([]byte, error) { bar.pause(); return e.readPassword(prompt) },
				Progress: bar.report,
			})
			if err != nil {
				bar.done()
				return fmt.Errorf("importing %s: %w", args[0], err)
			}
			added := 0
			switch {
			case dryRun:
			case strict && len(plan.Problems) > 0:
				bar.done()
				e.importReport(args[0], plan, true, 0)
				return fmt.Errorf("%d entries cannot be read, so nothing was imported (without --strict the rest is imported)", len(plan.Problems))
			default:
				if added, err = plan.Apply(e.v); err != nil {
					bar.done()
					return err
				}
			}
			bar.done()
			return e.importReport(args[0], plan, dryRun, added)
		},
	})
}

// filePasswordPrompt names the password a file of format f (detected when "") asks for.
func filePasswordPrompt(f transfer.Format, data []byte) string {
	if f == "" {
		f, _ = transfer.Detect(data) // a file that cannot be detected asks for nothing
	}
	if f == transfer.FormatKDBX {
		return "KeePass database password: "
	}
	return "Export password: "
}

func formatNames() string {
	names := make([]string, len(transfer.Formats))
	for i, f := range transfer.Formats {
		names[i] = string(f)
	}
	return strings.Join(names, ", ")
}

// typeNames are the plural names of item types in reports.
var typeNames = map[vault.Type][2]string{
	vault.TypeLogin:    {"website login", "website logins"},
	vault.TypeApp:      {"application login", "application logins"},
	vault.TypeCard:     {"bank card", "bank cards"},
	vault.TypeAddress:  {"address", "addresses"},
	vault.TypeNote:     {"note", "notes"},
	vault.TypeDocument: {"document", "documents"},
}

func countOf(n int, t vault.Type) string {
	if n == 1 {
		return "1 " + typeNames[t][0]
	}
	return fmt.Sprintf("%d %s", n, typeNames[t][1])
}

// importReport prints what an import did, or would do on a dry run: counts per type,
// duplicates, and every entry that could not be read or was changed, with its line.
func (e *env) importReport(file string, p *transfer.Plan, dryRun bool, added int) error {
	counts := p.Counts()
	if e.jsonOut {
		byType := map[string]int{}
		for t, n := range counts {
			byType[t.String()] = n
		}
		skipped := make([]map[string]any, 0, len(p.Skipped))
		for _, s := range p.Skipped {
			skipped = append(skipped, map[string]any{"kind": s.Kind, "count": s.Count, "message": s.String()})
		}
		return e.printJSON(map[string]any{
			"file": file, "format": p.Format, "dry_run": dryRun, "items": len(p.Items), "imported": added,
			"by_type": byType, "duplicates": p.Duplicates, "skipped": skipped,
			"problems": problemsJSON(p.Problems), "notices": problemsJSON(p.Notices),
		})
	}
	w := e.stdout
	fmt.Fprintf(w, "%s: %s, %d entries.\n", file, p.Format.Describe(), p.Rows)
	var parts []string
	for _, t := range vault.Types {
		if n := counts[t]; n > 0 {
			parts = append(parts, countOf(n, t))
		}
	}
	list := ""
	if len(parts) > 0 {
		list = ": " + strings.Join(parts, ", ")
	}
	if dryRun {
		fmt.Fprintf(w, "Would import %d items%s.\n", len(p.Items), list)
	} else {
		fmt.Fprintf(w, "Imported %d items%s.\n", added, list)
	}
	if p.Duplicates > 0 {
		fmt.Fprintf(w, "Skipped %d exact duplicates (already in the vault, or repeated in the file).\n", p.Duplicates)
	}
	for _, s := range p.Skipped {
		fmt.Fprintf(w, "Skipped %s.\n", s)
	}
	if len(p.Problems) > 0 {
		fmt.Fprintf(w, "%d entries cannot be read and are not imported:\n", len(p.Problems))
		for _, pr := range p.Problems {
			fmt.Fprintf(w, "  %s\n", pr)
		}
	}
	if len(p.Notices) > 0 {
		fmt.Fprintf(w, "%d entries are imported with a change:\n", len(p.Notices))
		for _, pr := range p.Notices {
			fmt.Fprintf(w, "  %s\n", pr)
		}
	}
	if dryRun {
		fmt.Fprintln(w, "Dry run: nothing was written.")
	}
	return nil
}

func problemsJSON(ps []transfer.Problem) []map[string]any {
	out := make([]map[string]any, 0, len(ps))
	for _, p := range ps {
		m := map[string]any{"reason": p.Reason, "message": p.String()}
		if p.Line > 0 {
			m["line"] = p.Line
		}
		if p.Entry > 0 {
			m["entry"] = p.Entry
		}
		if p.Title != "" {
			m["title"] = p.Title
		}
		out = append(out, m)
	}
	return out
}

// progressLine draws an import's progress on one line of standard error: only on a
// terminal, or when asked with --progress, so scripts and logs stay clean.
type progressLine struct {
	w       io.Writer
	on      bool
	drawn   bool
	lastPct int
	stage   transfer.Stage
}

func (e *env) progressBar(force bool) *progressLine {
	on := force
	if f, ok := e.stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		on = true
	}
	return &progressLine{w: e.stderr, on: on, lastPct: -1}
}

func (p *progressLine) report(s transfer.Stage, done, total int) {
	if !p.on || total <= 0 {
		return
	}
	pct := done * 100 / total
	if s == p.stage && pct == p.lastPct {
		return
	}
	p.stage, p.lastPct = s, pct
	const width = 30
	filled := pct * width / 100
	fmt.Fprintf(p.w, "\r%-8s [%s%s] %3d%%", s, strings.Repeat("#", filled), strings.Repeat(".", width-filled), pct)
	p.drawn = true
}

// pause ends the progress line before a prompt.
func (p *progressLine) pause() { p.done() }

// done ends the progress line so what follows starts on a fresh line.
func (p *progressLine) done() {
	if p.drawn {
		fmt.Fprintln(p.w)
		p.drawn = false
	}
}
