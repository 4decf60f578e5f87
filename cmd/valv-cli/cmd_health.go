package main

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/valvpm/valv/vault"
	"github.com/valvpm/valv/vault/breach"
	"github.com/valvpm/valv/vault/health"
)

// onlineFlag is --online (the default endpoint) or --online=URL: a bool flag that may
// carry a value, since the check is off unless asked for.
type onlineFlag struct{ endpoint string }

func (o *onlineFlag) String() string   { return o.endpoint }
func (o *onlineFlag) IsBoolFlag() bool { return true }
func (o *onlineFlag) Set(s string) error {
	switch s {
	case "false":
		s = ""
	case "true":
		s = breach.DefaultRangeEndpoint
	}
	o.endpoint = s // checked with the other arguments, where the message reads better
	return nil
}

func init() {
	var (
		filterPath string
		online     onlineFlag
	)
	register(&command{
		name: "health", args: "[--json] [--breach-filter FILE] [--online[=URL]]",
		summary:    "list weak, reused, exposed and old passwords",
		needsVault: true, unlockFirst: true,
		flags: func(fs *flag.FlagSet, e *env) {
			fs.StringVar(&filterPath, "breach-filter", "", "a full breach filter (from valv-cli breach-filter build) instead of the list built into Valv")
			fs.Var(&online, "online", "also ask the Pwned Passwords range API (or --online=URL) about each password; only 5 hex digits of its SHA-1 are sent")
			e.jsonFlag(fs)
		},
		check: func(e *env, args []string) error {
			if len(args) > 0 {
				return usagef("health takes no arguments (give an address as --online=URL)")
			}
			if online.endpoint != "" {
				if err := breach.CheckEndpoint(online.endpoint); err != nil {
					return usagef("--online: %v", err)
				}
			}
			return nil
		},
		run: func(e *env, args []string) (err error) {
			var o health.Options
			if filterPath != "" {
				f, err := breach.OpenFile(filterPath)
				if err != nil {
					return err
				}
				defer func() {
					if cerr := f.Close(); cerr != nil && err == nil {
						err = cerr
					}
				}()
				o.Filter = f
			}
			if online.endpoint != "" {
				o.Online = &breach.Range{Endpoint: online.endpoint}
			}
			items, err := e.v.List(vault.Filter{})
			if err != nil {
				return err
			}
			r, err := health.Check(context.Background(), items, o)
			if r == nil {
				return err
			}
			if perr := e.printHealth(r); perr != nil {
				return perr
			}
			return err
		},
	})

	register(&command{
		name: "breach-filter", args: "build PWNED-PASSWORDS.txt FILTER",
		summary: "build a full breach filter from the Have I Been Pwned SHA-1 list",
		check: func(e *env, args []string) error {
			if len(args) != 3 || args[0] != "build" {
				return usagef("say what to do: valv-cli breach-filter build PWNED-PASSWORDS.txt FILTER")
			}
			return nil
		},
		run: func(e *env, args []string) error { return e.buildBreachFilter(args[1], args[2]) },
	})
}

// healthJSON is one flagged item in `health --json`.
type healthJSON struct {
	ID       string           `json:"id"`
	Title    string           `json:"title"`
	Problems []health.Problem `json:"problems"`
}

func (e *env) printHealth(r *health.Report) error {
	if e.jsonOut {
		out := make([]healthJSON, 0, len(r.Items))
		for _, f := range r.Items {
			out = append(out, healthJSON{f.ID.String(), f.Title, f.Problems})
		}
		return e.printJSON(out)
	}
	var counts []string
	for _, p := range health.Problems {
		counts = append(counts, fmt.Sprintf("%d %s", r.Counts[p], p))
	}
	fmt.Fprintf(e.stdout, "Checked %s: %s.\n", plural(r.Checked, "password", "passwords"), strings.Join(counts, ", "))
	if len(r.Items) == 0 {
		return nil
	}
	fmt.Fprintln(e.stdout)
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	for _, f := range r.Items {
		ps := make([]string, len(f.Problems))
		for i, p := range f.Problems {
			ps[i] = string(p)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", f.ID.String()[:shortID], oneLine(f.Title), strings.Join(ps, ", "))
	}
	return tw.Flush()
}
