package main

import (
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/valvpm/valv/vault"
)

// shortID is how many hex digits of an ID listings show; any unique prefix of 4 or
// more digits is accepted wherever an ID is asked for.
const shortID = 8

func init() {
	var f itemFlags
	register(&command{
		name: "add", args: "{login|app|card|address|note|document} --title TITLE [fields]",
		summary:    "add an item (see valv-cli help add for the fields)",
		needsVault: true, unlockFirst: true,
		flags: func(fs *flag.FlagSet, e *env) { f.declare(fs); e.jsonFlag(fs) },
		run: func(e *env, args []string) error {
			if len(args) != 1 {
				return usagef("add needs the item type: login, app, card, address, note or document")
			}
			t, err := vault.ParseType(args[0])
			if err != nil {
				return usagef("%v", err)
			}
			it := &vault.Item{Type: t}
			if err := f.apply(e.fs, it); err != nil {
				return err
			}
			added, err := e.v.Add(it)
			if err != nil {
				return err
			}
			if e.jsonOut {
				return e.printJSON(map[string]string{"id": added.ID.String()})
			}
			fmt.Fprintf(e.stdout, "Added %s %q (%s).\n", t, added.Title, added.ID)
			if f.generate {
				fmt.Fprintln(e.stdout, "A strong password was generated: see it with valv-cli show", added.ID.String()[:shortID], "--reveal")
			}
			return nil
		},
	})

	var ef itemFlags
	register(&command{
		name: "edit", args: "ID [fields]", summary: "change the given fields of an item",
		needsVault: true, unlockFirst: true,
		flags: func(fs *flag.FlagSet, e *env) { ef.declare(fs) },
		run: func(e *env, args []string) error {
			it, err := e.item(args)
			if err != nil {
				return err
			}
			if e.fs.NFlag() == boolInt(e.passwordStdin)+boolInt(e.vaultPath != "") {
				return usagef("say what to change, e.g. --title or --password (see valv-cli help edit)")
			}
			if err := ef.apply(e.fs, it); err != nil {
				return err
			}
			if _, err := e.v.Update(it); err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "Updated %q.\n", it.Title)
			return nil
		},
	})

	var rmYes bool
	register(&command{
		name: "rm", args: "ID [--yes]", summary: "delete an item",
		needsVault: true, unlockFirst: true,
		flags: func(fs *flag.FlagSet, e *env) {
			fs.BoolVar(&rmYes, "yes", false, "do not ask for confirmation on a terminal")
		},
		run: func(e *env, args []string) error {
			id, err := e.resolve(args)
			if err != nil {
				return err
			}
			it, err := e.v.Get(id)
			if err == nil && !rmYes && !e.passwordStdin && !e.confirm(fmt.Sprintf("Delete %q?", it.Title)) {
				return fmt.Errorf("nothing deleted")
			}
			if err := e.v.Delete(id); err != nil {
				return err
			}
			title := id.String()
			if it != nil {
				title = it.Title
			}
			fmt.Fprintf(e.stdout, "Deleted %q.\n", title)
			return nil
		},
	})

	var lf listFlags
	register(&command{
		name: "ls", args: "[--type T] [--favourites] [--folder F] [--json]", summary: "list items",
		needsVault: true, unlockFirst: true,
		flags: func(fs *flag.FlagSet, e *env) { lf.declare(fs); e.jsonFlag(fs) },
		run: func(e *env, args []string) error {
			if len(args) > 0 {
				return usagef("ls takes no arguments; to search, use valv-cli search QUERY")
			}
			return e.list("", lf)
		},
	})
	var sf listFlags
	register(&command{
		name: "search", args: "QUERY [--type T] [--json]", summary: "find items by title, site, user name, folder or notes",
		needsVault: true, unlockFirst: true,
		flags: func(fs *flag.FlagSet, e *env) { sf.declare(fs); e.jsonFlag(fs) },
		run: func(e *env, args []string) error {
			if len(args) == 0 {
				return usagef("search needs a query")
			}
			return e.list(strings.Join(args, " "), sf)
		},
	})

	var reveal bool
	register(&command{
		name: "show", args: "ID [--reveal] [--json]", summary: "show an item; secrets stay hidden unless --reveal",
		needsVault: true, unlockFirst: true,
		flags: func(fs *flag.FlagSet, e *env) {
			fs.BoolVar(&reveal, "reveal", false, "show passwords, card numbers, CVC, PIN and history")
			e.jsonFlag(fs)
		},
		run: func(e *env, args []string) error {
			it, err := e.item(args)
			if err != nil {
				return err
			}
			if e.jsonOut && !reveal {
				return e.printJSON(it.Redacted())
			}
			if e.jsonOut {
				return e.printJSON(it)
			}
			printItem(e, it, reveal)
			return nil
		},
	})
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

type listFlags struct {
	typ        string
	favourites bool
	folder     string
}

func (l *listFlags) declare(fs *flag.FlagSet) {
	fs.StringVar(&l.typ, "type", "", "only this type: login, app, card, address or note")
	fs.BoolVar(&l.favourites, "favourites", false, "only favourites")
	fs.StringVar(&l.folder, "folder", "", "only this folder")
}

func (e *env) list(query string, l listFlags) error {
	f := vault.Filter{Favourites: l.favourites, Folder: l.folder}
	if l.typ != "" {
		t, err := vault.ParseType(l.typ)
		if err != nil {
			return usagef("%v", err)
		}
		f.Type = t
	}
	items, err := e.v.Search(query, f)
	if err != nil {
		return err
	}
	if e.jsonOut {
		out := make([]*vault.Item, len(items))
		for i, it := range items {
			out[i] = it.Redacted()
		}
		return e.printJSON(out)
	}
	if len(items) == 0 {
		fmt.Fprintln(e.stderr, "No items.")
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	for _, it := range items {
		fav := ""
		if it.Favourite {
			fav = "★"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s %s\t%s\n", it.ID.String()[:shortID], it.Type, oneLine(it.Title), fav, oneLine(subtitle(it)))
	}
	return tw.Flush()
}

// subtitle is the one line that tells items of the same title apart.
func subtitle(it *vault.Item) string {
	switch it.Type {
	case vault.TypeLogin:
		s := it.Username
		if len(it.URLs) > 0 {
			s = strings.TrimSpace(s + "  " + it.URLs[0])
		}
		return s
	case vault.TypeApp:
		return strings.TrimSpace(it.Username + "  " + it.Application)
	case vault.TypeCard:
		return vault.MaskCardNumber(it.Number)
	case vault.TypeAddress:
		return strings.TrimSpace(it.Name + "  " + it.City)
	}
	return ""
}

func oneLine(s string) string {
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		s = s[:i] + "…"
	}
	return s
}

// resolve turns the one ID argument (full or a unique prefix) into an ID.
func (e *env) resolve(args []string) (vault.ID, error) {
	if len(args) != 1 {
		return vault.ID{}, usagef("give one item ID (the first characters are enough)")
	}
	id, err := e.v.Resolve(strings.ToLower(args[0]))
	if err != nil {
		return id, fmt.Errorf("item %s: %w", args[0], err)
	}
	return id, nil
}

func (e *env) item(args []string) (*vault.Item, error) {
	id, err := e.resolve(args)
	if err != nil {
		return nil, err
	}
	return e.v.Get(id)
}

// printItem prints it for `show`. Unless reveal, secrets stay hidden: a field that
// Redacted keeps a part of (the card number's last digits) shows that part, any other
// secret that has a value a placeholder, and the password history is left out.
func printItem(e *env, it *vault.Item, reveal bool) {
	shown := it
	if !reveal {
		shown = it.Redacted()
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	line := func(k, v string) {
		if v != "" {
			fmt.Fprintf(tw, "%s:\t%s\n", k, strings.ReplaceAll(v, "\n", "\n\t"))
		}
	}
	line("ID", it.ID.String())
	line("Type", it.Type.String())
	for _, sp := range vault.FieldsOf(it.Type) {
		if sp.Name == "notes" {
			for _, f := range it.Fields {
				line(f.Name, f.Value)
			}
		}
		for _, v := range sp.Values(shown) {
			line(sp.Label, v)
		}
		if sp.Secret && !sp.IsSet(shown) && sp.IsSet(it) {
			line(sp.Label, "•••••••• (--reveal to show)")
		}
		if sp.Name == "folder" && it.Favourite {
			line("Favourite", "yes")
		}
	}
	line("Created", it.Created.Local().Format(time.DateTime))
	line("Modified", it.Modified.Local().Format(time.DateTime))
	for _, h := range shown.History {
		line("Old password", h.Password+"  (until "+h.Replaced.Local().Format(time.DateTime)+")")
	}
	tw.Flush()
}
