// Command valv-cli is Valv's terminal client: the same encrypted vault as the desktop
// app, for scripts and people who live in a terminal. Run `valv-cli help` for the
// commands. Errors are one clear line on stderr and a non-zero exit status.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/valvpm/valv/internal/harden"
	"github.com/valvpm/valv/internal/secret"
	"github.com/valvpm/valv/internal/version"
)

// command is one subcommand. Each lives in its own file and registers itself in init,
// so adding a command touches no other file.
type command struct {
	name    string
	args    string // usage after the name, e.g. "ID [--reveal]"
	summary string
	flags   func(fs *flag.FlagSet, e *env) // declares the command's own flags
	run     func(e *env, args []string) error
	// check, if set, validates the arguments before the vault is opened, so a mistyped
	// command is told so before anyone is asked for a password.
	check func(e *env, args []string) error
	// needsVault: open (and, unlockFirst, unlock) the vault before run.
	needsVault, unlockFirst bool
	// readsSecrets: the command asks for passwords, so it takes --password-stdin.
	readsSecrets bool
	// keepsMaster: run needs the master password itself (e.masterPW), not only the
	// unlocked vault; for every other command it is wiped as soon as the vault opens.
	keepsMaster bool
}

var commands = map[string]*command{}

func register(c *command) { commands[c.name] = c }

// exitUsage is the exit status for a command line that is wrong.
const exitUsage = 2

// usageError marks errors in how the command was called (exit status 2).
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return usageError{fmt.Sprintf(format, a...)} }

func main() {
	version.ExitIfRequested("valv-cli", os.Args[1:])
	if err := harden.Process(); err != nil {
		fmt.Fprintln(os.Stderr, "valv-cli: warning:", err)
	}
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run executes one command line and returns the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return runContext(context.Background(), args, stdin, stdout, stderr)
}

// runContext is run whose long-running commands (sync --watch) also end with ctx.
func runContext(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{ctx: ctx, stdin: stdin, stdout: stdout, stderr: stderr}
	err := e.dispatch(args)
	if err == nil {
		return 0
	}
	fmt.Fprintln(stderr, "valv-cli: "+message(err))
	var ue usageError
	if errors.As(err, &ue) {
		return exitUsage
	}
	return 1
}

// message makes the one line a person sees from an error.
func message(err error) string {
	s := err.Error()
	if s == "" {
		return "something went wrong"
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func (e *env) dispatch(args []string) (err error) {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		if len(args) > 1 {
			if c, ok := commands[args[1]]; ok {
				e.commandHelp(c)
				return nil
			}
		}
		e.help()
		return nil
	}
	c, ok := commands[args[0]]
	if !ok {
		return usagef("unknown command %q (see valv-cli help)", args[0])
	}
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	e.commonFlags(fs, c)
	if c.flags != nil {
		c.flags(fs, e)
	}
	pos, err := parseInterspersed(fs, args[1:])
	if errors.Is(err, flag.ErrHelp) {
		e.commandHelp(c)
		return nil
	}
	if err != nil {
		msg := err.Error()
		if name, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
			msg = "unknown flag --" + name
		}
		return usagef("%s (see valv-cli help %s)", msg, c.name)
	}
	e.fs = fs
	if c.check != nil {
		if err := c.check(e, pos); err != nil {
			return err
		}
	}
	if c.needsVault {
		if err := e.openVault(c.unlockFirst); err != nil {
			return err
		}
		if !c.keepsMaster {
			secret.Wipe(e.masterPW)
			e.masterPW = nil
		}
		defer func() {
			secret.Wipe(e.masterPW)
			if cerr := e.v.Close(); cerr != nil && err == nil {
				err = cerr
			}
		}()
	}
	return c.run(e, pos)
}

// parseInterspersed lets flags stand before or after positional arguments, which the
// standard flag package does not (it stops at the first argument). "--" ends flags.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

func (e *env) help() {
	w := e.stdout
	fmt.Fprintln(w, "valv-cli — Valv's encrypted password vault from the terminal.")
	fmt.Fprintln(w, "\nUsage: valv-cli COMMAND [arguments] [flags]   (flags may stand anywhere)")
	fmt.Fprintln(w, "\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		c := commands[n]
		fmt.Fprintf(w, "  %-10s %s\n", n, c.summary)
	}
	fmt.Fprintln(w, "\nCommon flags:")
	fmt.Fprintln(w, "  --vault PATH       the vault file (default: the OS user's vault; VALV_HOME moves the root)")
	fmt.Fprintln(w, "  --password-stdin   read the master password from the first line of standard input")
	fmt.Fprintln(w, "\nRun 'valv-cli help COMMAND' for a command's flags, 'valv-cli --version' for the version.")
}

func (e *env) commandHelp(c *command) {
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	e.commonFlags(fs, c)
	if c.flags != nil {
		c.flags(fs, e)
	}
	fmt.Fprintf(e.stdout, "Usage: valv-cli %s %s\n\n%s\n", c.name, c.args, c.summary)
	var lines []string
	fs.VisitAll(func(f *flag.Flag) {
		name := "--" + f.Name
		if _, isBool := f.Value.(interface{ IsBoolFlag() bool }); !isBool {
			name += " VALUE"
		}
		lines = append(lines, fmt.Sprintf("  %-22s %s", name, f.Usage))
	})
	if len(lines) > 0 {
		fmt.Fprintln(e.stdout, "\nFlags:")
		fmt.Fprintln(e.stdout, strings.Join(lines, "\n"))
	}
}
