// Package memscan counts copies of known strings (canaries) in another process's
// memory, the way an attacker with a core dump would look for them. The tests of
// valv and valv-cli type canaries as passwords, lock, and scan the real process, so
// a change that leaves a secret behind fails a test; scripts/memscan prints the table.
package memscan

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf16"
)

// Partial is the length of the prefix also counted: a 12-character prefix of a
// password is most of it.
const Partial = 12

// Encodings are the forms a canary is counted in: as typed (UTF-8), as a toolkit or
// OS may hold text (UTF-16LE, UTF-32LE as in a []rune), and lower-cased.
var Encodings = []string{"UTF-8", "UTF-16LE", "UTF-32LE", "lower"}

// encode returns s in the named encoding.
func encode(s, enc string) []byte {
	switch enc {
	case "UTF-16LE":
		var b []byte
		for _, u := range utf16.Encode([]rune(s)) {
			b = append(b, byte(u), byte(u>>8))
		}
		return b
	case "UTF-32LE":
		var b []byte
		for _, r := range s {
			b = append(b, byte(r), byte(r>>8), byte(r>>16), byte(r>>24))
		}
		return b
	case "lower":
		return []byte(strings.ToLower(s))
	}
	return []byte(s)
}

// Count is how often one canary was found in one encoding.
type Count struct {
	Full, Partial int // whole canary; its first Partial characters (full ones included)
}

// Result maps canary name → encoding → count.
type Result map[string]map[string]Count

// FullCopies is the number of full copies of canary name in every encoding.
func (r Result) FullCopies(name string) int {
	n := 0
	for _, c := range r[name] {
		n += c.Full
	}
	return n
}

// Table formats results of several stages (in order) as a text table: one row per
// stage and canary, full/partial counts per encoding.
func Table(stages []string, results []Result, canaries []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-24s %-10s", "stage", "canary")
	for _, e := range Encodings {
		fmt.Fprintf(&b, " %14s", e+" full/12")
	}
	b.WriteByte('\n')
	for i, st := range stages {
		for _, name := range canaries {
			fmt.Fprintf(&b, "%-24s %-10s", st, name)
			for _, e := range Encodings {
				c := results[i][name][e]
				fmt.Fprintf(&b, " %14s", fmt.Sprintf("%d/%d", c.Full, c.Partial))
			}
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// count adds the occurrences of each canary in mem to r.
func (r Result) count(mem []byte, canaries map[string]string) {
	for name, s := range canaries {
		if r[name] == nil {
			r[name] = map[string]Count{}
		}
		prefix := string([]rune(s)[:min(Partial, len([]rune(s)))])
		for _, e := range Encodings {
			if e == "lower" && strings.ToLower(s) == s {
				continue // the same as UTF-8
			}
			c := r[name][e]
			c.Full += countAll(mem, encode(s, e))
			c.Partial += countAll(mem, encode(prefix, e))
			r[name][e] = c
		}
	}
}

func countAll(mem, pat []byte) int {
	n := 0
	for {
		i := bytes.Index(mem, pat)
		if i < 0 {
			return n
		}
		n++
		mem = mem[i+1:]
	}
}
