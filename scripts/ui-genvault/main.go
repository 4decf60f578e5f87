// Command ui-genvault writes a vault full of made-up items, for measuring the desktop
// app with a realistic amount of data (scripts/ui-measure). Usage:
//
//	VALV_PASSWORD=… go run ./scripts/ui-genvault -n 10000 [-path file]
//	go run ./scripts/ui-genvault -print-path
//
// The vault goes to the default path (honouring VALV_HOME) unless -path is given. The
// key derivation is calibrated as for a real vault, so unlocking costs what it would.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/valvpm/valv/vault"
)

func main() {
	n := flag.Int("n", 10000, "how many items")
	path := flag.String("path", "", "vault file (default: vault.DefaultPath())")
	printPath := flag.Bool("print-path", false, "print the default vault path, create its folder and stop")
	flag.Parse()
	if *printPath {
		if err := printDefault(); err != nil {
			fmt.Fprintln(os.Stderr, "ui-genvault:", err)
			os.Exit(1)
		}
		return
	}
	if err := run(*n, *path); err != nil {
		fmt.Fprintln(os.Stderr, "ui-genvault:", err)
		os.Exit(1)
	}
}

// printDefault lets scripts/ui-measure put another writer's vault where the app looks.
func printDefault() error {
	p, err := vault.DefaultPath()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return err
	}
	fmt.Println(p)
	return nil
}

func run(n int, path string) error {
	pw := os.Getenv("VALV_PASSWORD")
	if pw == "" {
		return fmt.Errorf("set VALV_PASSWORD")
	}
	if path == "" {
		p, err := vault.DefaultPath()
		if err != nil {
			return err
		}
		path = p
	}
	v, err := vault.Create(path, []byte(pw), vault.CreateOptions{})
	if err != nil {
		return err
	}
	words := []string{"mail", "bank", "shop", "forum", "cloud", "game", "news", "travel", "music", "photo"}
	items := make([]*vault.Item, 0, n)
	for i := range n {
		w := words[i%len(words)]
		it := &vault.Item{Title: fmt.Sprintf("%s %05d", w, i), Notes: "generated for measuring"}
		switch i % 5 {
		case 0, 1:
			it.Type = vault.TypeLogin
			it.URLs = []string{fmt.Sprintf("https://%s%d.example", w, i)}
			it.Username = fmt.Sprintf("user%d@example.com", i)
			it.Password = fmt.Sprintf("Pw-%d-%s!", i*7919, w)
		case 2:
			it.Type = vault.TypeApp
			it.Application = w
			it.Username = fmt.Sprintf("user%d", i)
			it.Password = fmt.Sprintf("App-%d!", i*104729)
		case 3:
			it.Type = vault.TypeAddress
			it.Name = fmt.Sprintf("Person %d", i)
			it.City = "Uppsala"
		default:
			it.Type = vault.TypeNote
		}
		items = append(items, it)
	}
	// In chunks: one transaction per chunk keeps memory use modest.
	for len(items) > 0 {
		k := min(1000, len(items))
		if _, err := v.AddAll(items[:k]); err != nil {
			_ = v.Close()
			return err
		}
		items = items[k:]
	}
	if err := v.Close(); err != nil {
		return err
	}
	fmt.Printf("wrote %d items to %s\n", n, path)
	return nil
}
