// Command genbuiltin builds the breach filter that ships inside Valv from a password
// list, one password a line (go generate runs it; see package breach). The output
// depends only on the list, so running it again on the same list gives the same bytes.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/valvpm/valv/vault/breach"
)

func main() {
	list := flag.String("list", "", "the password list, one a line")
	out := flag.String("out", "", "the filter file to write")
	flag.Parse()
	if err := run(*list, *out); err != nil {
		fmt.Fprintln(os.Stderr, "genbuiltin:", err)
		os.Exit(1)
	}
}

func run(list, out string) error {
	b, err := os.ReadFile(list)
	if err != nil {
		return err
	}
	pws := breach.ListPasswords(b)
	tmp := out + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	n, err := breach.BuildPasswords(f, pws)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, out); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "genbuiltin: %d passwords from %s into %s\n", n, list, out)
	return nil
}
