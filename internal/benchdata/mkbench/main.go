// Command mkbench writes the benchmark data sets used by scripts/bench: a Valv vault
// and a KeePass 2 XML file holding the same N items. Not part of the product.
//
//	go run ./internal/benchdata/mkbench -n 10000 -vault DIR/vault.db -xml DIR/entries.xml
//
// The vault gets the floor KDF (Valv's minimum setting); its master password is read
// from the first line of standard input.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/valvpm/valv/internal/benchdata"
	"github.com/valvpm/valv/vault"
)

func main() {
	n := flag.Int("n", 10000, "number of items")
	vaultPath := flag.String("vault", "", "vault file to create")
	xmlPath := flag.String("xml", "", "KeePass 2 XML file to write")
	flag.Parse()
	if err := run(*n, *vaultPath, *xmlPath); err != nil {
		fmt.Fprintln(os.Stderr, "mkbench:", err)
		os.Exit(1)
	}
}

func run(n int, vaultPath, xmlPath string) error {
	items := benchdata.Items(n, 1)
	if vaultPath != "" {
		line, err := bufio.NewReader(os.Stdin).ReadString('\n')
		if err != nil {
			return fmt.Errorf("reading the master password: %w", err)
		}
		kdf := vault.FloorKDF()
		v, err := vault.Create(vaultPath, []byte(strings.TrimRight(line, "\r\n")), vault.CreateOptions{KDF: &kdf})
		if err != nil {
			return err
		}
		if _, err := v.AddAll(items); err != nil {
			return err
		}
		if err := v.Close(); err != nil {
			return err
		}
	}
	if xmlPath != "" {
		f, err := os.Create(xmlPath)
		if err != nil {
			return err
		}
		if err := benchdata.WriteKeePassXML(f, items); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}
	return nil
}
