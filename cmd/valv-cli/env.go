package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/valvpm/valv/account"
	"github.com/valvpm/valv/internal/secret"
	"github.com/valvpm/valv/vault"
	"golang.org/x/term"
)

// env is what a command runs with: its streams, its parsed flags and the open vault.
type env struct {
	ctx            context.Context // ends the commands that stay running; nil is Background
	stdin          io.Reader
	stdout, stderr io.Writer
	fs             *flag.FlagSet

	vaultPath     string
	passwordStdin bool
	jsonOut       bool
	lines         *stdinLines // standard input, read line by line for --password-stdin
	v             *vault.Vault
	keyring       *account.KeyringStore // the account commands' session store
	masterPW      []byte                // the master password typed for this command (wiped at exit)
}

// context is what ends a command that stays running, besides a signal.
func (e *env) context() context.Context {
	if e.ctx == nil {
		return context.Background()
	}
	return e.ctx
}

// commonFlags declares the flags every command understands.
func (e *env) commonFlags(fs *flag.FlagSet, c *command) {
	fs.StringVar(&e.vaultPath, "vault", "", "the vault file (default: the OS user's vault)")
	if c.needsVault && c.unlockFirst || c.readsSecrets {
		fs.BoolVar(&e.passwordStdin, "password-stdin", false, "read the master password from the first line of standard input")
	}
}

// jsonFlag declares --json for listing and reading commands.
func (e *env) jsonFlag(fs *flag.FlagSet) {
	fs.BoolVar(&e.jsonOut, "json", false, "print JSON instead of text")
}

func (e *env) path() (string, error) {
	if e.vaultPath != "" {
		return e.vaultPath, nil
	}
	return vault.DefaultPath()
}

// openVault opens the vault, and unlocks it when unlock is set.
func (e *env) openVault(unlock bool) error {
	p, err := e.path()
	if err != nil {
		return err
	}
	v, err := vault.Open(p)
	if errors.Is(err, vault.ErrNoVault) {
		return fmt.Errorf("there is no vault at %s yet; create one with: valv-cli init", p)
	}
	if err != nil {
		return err
	}
	e.v = v
	if !unlock {
		return nil
	}
	pw, err := e.readPassword("Master password: ")
	if err != nil {
		return err
	}
	if err := v.Unlock(pw); err != nil {
		secret.Wipe(pw)
		return err
	}
	e.masterPW = pw // some commands re-wrap the header with it; dispatch wipes it (see keepsMaster)
	if d := v.Damaged(); len(d) > 0 {
		fmt.Fprintf(e.stderr, "valv-cli: warning: %d item(s) are damaged and cannot be read (valv-cli info lists them)\n", len(d))
	}
	return nil
}

// readPassword reads one secret: a line of standard input with --password-stdin, else
// a prompt on the terminal without echo.
func (e *env) readPassword(prompt string) ([]byte, error) {
	if e.passwordStdin {
		line, err := e.stdinLine()
		if errors.Is(err, io.EOF) {
			return nil, errors.New("--password-stdin: standard input ended before a password line")
		}
		if err == nil {
			secretRead(line)
		}
		return line, err
	}
	f, ok := e.stdin.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil, errors.New("no terminal to ask for the master password; use --password-stdin")
	}
	fmt.Fprint(e.stderr, prompt)
	pw, err := readTerminalPassword(f)
	fmt.Fprintln(e.stderr)
	if err != nil {
		secret.Wipe(pw)
		return nil, fmt.Errorf("reading the password: %w", err)
	}
	secretRead(pw)
	return pw, nil
}

// secretRead is called with every secret readPassword returns; tests keep the slice
// to check that the command wiped it when it was done.
var secretRead = func([]byte) {}

// readLine reads one line of input that is not secret (a code from a picture or an
// SMS): the next line of standard input with --password-stdin, else from the terminal.
func (e *env) readLine(prompt string) (string, error) {
	if !e.passwordStdin {
		f, ok := e.stdin.(*os.File)
		if !ok || !term.IsTerminal(int(f.Fd())) {
			return "", errors.New("no terminal to ask for " + strings.TrimSuffix(strings.ToLower(prompt), ": ") + "; use --password-stdin")
		}
		fmt.Fprint(e.stderr, prompt)
	}
	line, err := e.stdinLine()
	if errors.Is(err, io.EOF) {
		return "", errors.New("standard input ended before " + strings.TrimSuffix(strings.ToLower(prompt), ": "))
	}
	if err != nil {
		return "", err
	}
	s := string(line)
	secret.Wipe(line)
	return s, nil
}

// stdinLine reads the next line of standard input (see stdinLines).
func (e *env) stdinLine() ([]byte, error) {
	if e.lines == nil {
		e.lines = &stdinLines{r: e.stdin}
	}
	return e.lines.next()
}

// confirm asks a yes/no question on the terminal; without one it answers no.
func (e *env) confirm(question string) bool {
	f, ok := e.stdin.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return false
	}
	fmt.Fprint(e.stderr, question+" [y/N] ")
	line, _ := bufio.NewReader(f).ReadString('\n')
	line = strings.ToLower(strings.TrimSpace(line))
	return line == "y" || line == "yes"
}

func (e *env) printJSON(v any) error {
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// readNew reads a new secret (what names it in errors): not empty, and on a terminal
// typed twice to catch a typo; with --password-stdin it is one line.
func (e *env) readNew(prompt, again, what string) ([]byte, error) {
	pw, err := e.readPassword(prompt)
	if err != nil {
		return nil, err
	}
	if len(pw) == 0 {
		return nil, fmt.Errorf("the %s must not be empty", what)
	}
	if e.passwordStdin {
		return pw, nil
	}
	repeat, err := e.readPassword(again)
	same := err == nil && bytes.Equal(pw, repeat)
	secret.Wipe(repeat)
	switch {
	case err != nil:
		secret.Wipe(pw)
		return nil, err
	case !same:
		secret.Wipe(pw)
		return nil, fmt.Errorf("the two %ss differ", what)
	}
	return pw, nil
}

// closeAlso closes c and returns err, or c's error when err is nil: closing a vault
// writes its last changes, so a failure there is the command's failure too.
func closeAlso(err error, c io.Closer) error {
	if cerr := c.Close(); err == nil {
		return cerr
	}
	return err
}
