package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"text/tabwriter"
	"time"

	cloudsync "github.com/valvpm/valv/sync"
	"github.com/valvpm/valv/vault"
)

// Files attached to items: attach, list, save and remove.

func init() {
	var name string
	var attachAF accountFlags
	register(&command{
		name: "attach", args: "ID FILE [--name NAME] [--json] [--server URL]", summary: "attach a file (up to 100 MiB, and what the plan keeps) to an item",
		needsVault: true, unlockFirst: true,
		flags: func(fs *flag.FlagSet, e *env) {
			attachAF.declareServer(fs)
			fs.StringVar(&name, "name", "", "the name to keep the file under (default: the file's own)")
			e.jsonFlag(fs)
		},
		check: func(e *env, args []string) error {
			if len(args) != 2 {
				return usagef("attach needs an item ID and a file")
			}
			return nil
		},
		run: func(e *env, args []string) error { return e.attach(args, name, &attachAF) },
	})
	register(&command{
		name: "attachments", args: "ID [--json]", summary: "list the files of an item",
		needsVault: true, unlockFirst: true,
		flags: func(fs *flag.FlagSet, e *env) { e.jsonFlag(fs) },
		run: func(e *env, args []string) error {
			it, err := e.item(args)
			if err != nil {
				return err
			}
			if e.jsonOut {
				return e.printJSON(append([]vault.Attachment{}, it.Attachments...))
			}
			if len(it.Attachments) == 0 {
				fmt.Fprintf(e.stdout, "%q has no files.\n", it.Title)
				return nil
			}
			tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
			for _, a := range it.Attachments {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", a.ID.String()[:shortID], a.Name, humanSize(a.Size), a.MediaType, a.Added.Local().Format(time.DateTime))
			}
			return tw.Flush()
		},
	})
	var out string
	var force bool
	var af accountFlags
	register(&command{
		name: "attachment", args: "ID NAME --out PATH|- [--force] [--server URL]", summary: "save a file of an item (- for standard output; fetched through the Valv Account when not on this device yet)",
		needsVault: true, unlockFirst: true,
		flags: func(fs *flag.FlagSet, e *env) {
			af.declareServer(fs)
			fs.StringVar(&out, "out", "", "where to save the file; - writes it to standard output")
			fs.BoolVar(&force, "force", false, "replace PATH if it exists")
		},
		check: func(e *env, args []string) error {
			if len(args) != 2 || out == "" {
				return usagef("attachment needs an item ID, a file name and --out PATH (or --out - for standard output)")
			}
			return nil
		},
		run: func(e *env, args []string) error { return e.saveAttachment(args, out, force, &af) },
	})
	register(&command{
		name: "detach", args: "ID NAME", summary: "remove a file from an item",
		needsVault: true, unlockFirst: true,
		run: func(e *env, args []string) error {
			if len(args) != 2 {
				return usagef("detach needs an item ID and a file name")
			}
			it, a, err := e.attachment(args)
			if err != nil {
				return err
			}
			if _, err := e.v.Detach(it.ID, a.ID); err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "Removed %q from %q.\n", a.Name, it.Title)
			return nil
		},
	})
}

// attachment finds the item args[0] and its file args[1] (a name or an ID prefix).
func (e *env) attachment(args []string) (*vault.Item, vault.Attachment, error) {
	it, err := e.item(args[:1])
	if err != nil {
		return nil, vault.Attachment{}, err
	}
	a, err := it.AttachmentNamed(args[1])
	if err != nil {
		return nil, vault.Attachment{}, fmt.Errorf("item %q: %w", it.Title, err)
	}
	return it, a, nil
}

// attach adds the file args[1] to the item args[0]; Ctrl-C stops it with nothing added.
// A vault linked to an account first learns how many bytes of files the plan keeps, so
// a file that would not fit is refused before it is read, as the app does.
func (e *env) attach(args []string, name string, af *accountFlags) error {
	id, err := e.resolve(args[:1])
	if err != nil {
		return err
	}
	e.learnPlanRoom(af)
	f, err := os.Open(args[1])
	if err != nil {
		return fmt.Errorf("cannot read the file: %w", err)
	}
	if fi, err := f.Stat(); err == nil && fi.IsDir() {
		return closeAlso(fmt.Errorf("%s is a folder, not a file", args[1]), f)
	}
	if name == "" {
		name = filepath.Base(args[1])
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	it, a, err := e.v.Attach(ctx, id, name, f)
	err = closeAlso(err, f)
	if errors.Is(err, context.Canceled) {
		return errors.New("interrupted, so the file was not added")
	}
	if err != nil {
		return err
	}
	if e.jsonOut {
		return e.printJSON(a)
	}
	fmt.Fprintf(e.stdout, "Attached %q (%s) to %q.\n", a.Name, humanSize(a.Size), it.Title)
	return nil
}

// saveAttachment writes a file of an item to out, or to standard output for "-". A file
// is written beside out under a temporary name and renamed only once every chunk and
// the SHA-256 are verified, so a damaged file never lands at out.
func (e *env) saveAttachment(args []string, out string, force bool, af *accountFlags) error {
	it, a, err := e.attachment(args)
	if err != nil {
		return err
	}
	r, err := e.v.OpenAttachment(it.ID, a.ID)
	if errors.Is(err, vault.ErrAttachmentNotHere) {
		if ferr := e.fetchAttachment(a.ID, af); ferr != nil {
			return ferr
		}
		r, err = e.v.OpenAttachment(it.ID, a.ID)
	}
	if err != nil {
		return err
	}
	if out == "-" {
		_, err := io.Copy(e.stdout, r)
		return closeAlso(err, r)
	}
	if _, err := os.Lstat(out); err == nil && !force {
		return closeAlso(fmt.Errorf("there is already a file at %s (use --force to replace it)", out), r)
	}
	tmp, err := os.CreateTemp(filepath.Dir(out), ".valv-*")
	if err != nil {
		return closeAlso(fmt.Errorf("cannot write the file: %w", err), r)
	}
	_, err = io.Copy(tmp, r)
	err = closeAlso(err, r)
	if err == nil {
		err = tmp.Sync()
	}
	err = closeAlso(err, tmp)
	if err == nil {
		err = os.Rename(tmp.Name(), out)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return err
	}
	fmt.Fprintf(e.stderr, "Saved %q (%s) to %s.\n", a.Name, humanSize(a.Size), out)
	return nil
}

// fetchAttachment downloads a file this device lacks through the Valv Account, as the
// app does when a file is opened: a vault not linked to an account has nowhere to get
// it from, and the error stays vault.ErrAttachmentNotHere.
func (e *env) fetchAttachment(att vault.AttachmentID, af *accountFlags) error {
	st, err := e.v.SyncState()
	if err != nil {
		return err
	}
	if !st.Linked {
		return fmt.Errorf("%w; this vault is not linked to a Valv Account", vault.ErrAttachmentNotHere)
	}
	c, err := e.signedInClient(af)
	if err != nil {
		return err
	}
	ctx, cancel := accountContext()
	defer cancel()
	fmt.Fprintln(e.stderr, "Fetching the file through the Valv Account…")
	return cloudsync.New(e.v, c).Fetch(ctx, att)
}

// learnPlanRoom gives the vault the plan's max_attachment_bytes when the vault is linked
// and the account signed in. Offline or signed out it says nothing and the vault keeps
// no bound: the cloud still refuses at the next sync what does not fit.
func (e *env) learnPlanRoom(af *accountFlags) {
	if st, err := e.v.SyncState(); err != nil || !st.Linked {
		return
	}
	c, err := e.signedInClient(af)
	if err != nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if subs, err := c.Subscriptions(ctx); err == nil {
		e.v.SetAttachmentLimit(subs.Effective.MaxAttachmentBytes)
	}
}

// humanSize is a byte count as people read it: "812 B", "4.2 KiB", "17.0 MiB".
func humanSize(n int64) string {
	switch {
	case n < 1<<10:
		return fmt.Sprintf("%d B", n)
	case n < 1<<20:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
}
