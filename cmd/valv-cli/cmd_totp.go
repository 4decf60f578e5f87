package main

import (
	"errors"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/valvpm/valv/vault"
	"github.com/valvpm/valv/vault/totp"
)

func init() {
	var at string
	register(&command{
		name: "totp", args: "QUERY [--json] [--at TIME]",
		summary:    "print an item's current authenticator code (QUERY: an ID prefix or words of its title)",
		needsVault: true, unlockFirst: true,
		flags: func(fs *flag.FlagSet, e *env) {
			fs.StringVar(&at, "at", "", "the code at this time instead of now (RFC 3339, e.g. 2026-01-02T15:04:05Z, or Unix seconds)")
			e.jsonFlag(fs)
		},
		check: func(e *env, args []string) error {
			if len(args) == 0 {
				return usagef("totp needs the item: an ID prefix or words of its title")
			}
			if at != "" {
				if _, err := parseAt(at); err != nil {
					return err
				}
			}
			return nil
		},
		run: func(e *env, args []string) error {
			it, err := e.totpItem(strings.Join(args, " "))
			if err != nil {
				return err
			}
			k, err := totp.Parse(it.TOTP)
			if err != nil {
				return fmt.Errorf("%q: %w", it.Title, err)
			}
			when := time.Now()
			if at != "" {
				when, _ = parseAt(at)
			}
			c := k.At(when)
			if e.jsonOut {
				return e.printJSON(struct {
					Code      string `json:"code"`
					Remaining int    `json:"remaining"`
					Period    int    `json:"period"`
				}{c.Value, c.RemainingSeconds(), int(c.Period / time.Second)})
			}
			// The code alone on standard output, so `valv-cli totp bank | xclip` copies
			// just the digits; how long it lasts goes to the person on stderr.
			fmt.Fprintln(e.stdout, c.Value)
			fmt.Fprintf(e.stderr, "%s: valid for %s.\n", it.Title, plural(c.RemainingSeconds(), "more second", "more seconds"))
			return nil
		},
	})
}

// plural is "1 second", "2 seconds".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func parseAt(s string) (time.Time, error) {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.Unix(n, 0), nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, usagef("--at takes a time like 2026-01-02T15:04:05Z or Unix seconds, got %q", s)
	}
	return t, nil
}

// totpItem finds the one item the query means among those with an authenticator
// secret: an ID prefix, else the search words; when several match, a title equal to
// the query wins, else the person is shown the candidates.
func (e *env) totpItem(query string) (*vault.Item, error) {
	if id, err := e.v.Resolve(strings.ToLower(query)); err == nil {
		it, err := e.v.Get(id)
		if err != nil {
			return nil, err
		}
		if it.TOTP == "" {
			return nil, fmt.Errorf("%q has no authenticator secret; add one with valv-cli edit %s --totp URI", it.Title, it.ID.String()[:shortID])
		}
		return it, nil
	} else if errors.Is(err, vault.ErrAmbiguous) {
		return nil, fmt.Errorf("item %s: %w", query, err)
	}
	found, err := e.v.Search(query, vault.Filter{})
	if err != nil {
		return nil, err
	}
	var with []*vault.Item
	for _, it := range found {
		if it.TOTP != "" {
			with = append(with, it)
		}
	}
	switch len(with) {
	case 0:
		return nil, fmt.Errorf("no item with an authenticator secret matches %q", query)
	case 1:
		return with[0], nil
	}
	var exact []*vault.Item
	for _, it := range with {
		if strings.EqualFold(strings.TrimSpace(it.Title), strings.TrimSpace(query)) {
			exact = append(exact, it)
		}
	}
	if len(exact) == 1 {
		return exact[0], nil
	}
	var names []string
	for _, it := range with {
		names = append(names, fmt.Sprintf("%s %q", it.ID.String()[:shortID], it.Title))
	}
	return nil, fmt.Errorf("%d items with an authenticator secret match %q: %s; give the ID", len(with), query, strings.Join(names, ", "))
}
