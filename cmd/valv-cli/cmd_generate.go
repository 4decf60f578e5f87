package main

import (
	"flag"
	"fmt"

	"github.com/valvpm/valv/vault"
)

func init() {
	var (
		o         = vault.DefaultGenOptions
		words     int
		sep       string
		noSymbols bool
		allChars  bool
	)
	register(&command{
		name: "generate", args: "[--length N] [--words N]",
		summary: "print a random password, or a passphrase with --words",
		flags: func(fs *flag.FlagSet, e *env) {
			fs.IntVar(&o.Length, "length", vault.DefaultGenOptions.Length, fmt.Sprintf("password length (%d–%d)", vault.MinGenLength, vault.MaxGenLength))
			fs.IntVar(&words, "words", 0, fmt.Sprintf("make a passphrase of N words (%d–%d) instead", vault.MinWords, vault.MaxWords))
			fs.StringVar(&sep, "separator", "-", "what joins passphrase words")
			fs.BoolVar(&noSymbols, "no-symbols", false, "letters and digits only")
			fs.BoolVar(&allChars, "look-alikes", false, "allow look-alike characters such as l, 1, O and 0")
		},
		run: func(e *env, args []string) error {
			if len(args) > 0 {
				return usagef("generate takes no arguments")
			}
			var pw string
			var err error
			if words > 0 {
				pw, err = vault.Passphrase(words, sep, false)
			} else {
				o.Symbols = !noSymbols
				o.NoLookAlikes = !allChars
				pw, err = vault.Generate(o)
			}
			if err != nil {
				return usagef("%v", err)
			}
			fmt.Fprintln(e.stdout, pw)
			return nil
		},
	})
}
