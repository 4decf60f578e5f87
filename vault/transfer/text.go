package transfer

import (
	"bytes"
	"strings"

	"github.com/valvpm/valv/vault"
)

// The text export of the commercial password manager Valv's flows follow. It looks
// like this (a heading per section, records of "Key: value" lines, "---" after each):
//
//	Websites
//
//	Website name: Example
//	Website URL: https://example.com
//	Login name: work
//	Login: ayu@example.com
//	Password: a:b:c
//	Comment: first line
//	second line
//
//	---
//
//	Applications
//
//	Application: Steam
//	Login name:
//	Login: nguyen
//	Password: secret
//	Comment:
//
//	---
//
//	Notes
//
//	Name: Wi-Fi
//	Text: SSID: home
//	Key: xin-chao
//
//	---
//
// A value runs to the end of its line and may contain colons (only the first colon
// ends the key). The last key of a record — Comment, or Text for notes — runs to the
// "---" line, so notes and comments keep every line, including ones that look like
// "Key: value". A record in a section Valv does not know becomes a note whose keys are
// fields, so a newer export never loses anything.

var textSections = map[string]bool{"Websites": true, "Applications": true, "Notes": true}

// textKeys are the keys the format defines; detection counts them.
var textKeys = map[string]bool{"Website name": true, "Website URL": true, "Login name": true,
	"Login": true, "Password": true, "Comment": true, "Application": true, "Name": true, "Text": true}

// textLast are the keys whose value runs to the end of the record.
var textLast = map[string]bool{"Comment": true, "Text": true}

type textRecord struct {
	line    int
	section string
	kv      fieldList
}

func readText(data []byte, r *reader) error {
	var (
		section string
		rec     *textRecord
		inLast  bool // inside a multi-line last value
		offset  int
		lineNo  int
	)
	flush := func() {
		if rec != nil {
			if len(rec.kv) > 0 {
				last := &rec.kv[len(rec.kv)-1]
				last.Value = strings.TrimRight(last.Value, "\r\n \t")
				textItem(rec, r)
			}
			rec, inLast = nil, false
		}
	}
	for raw := range bytes.Lines(data) {
		lineNo++
		offset += len(raw)
		if lineNo%512 == 0 {
			r.read(offset)
		}
		line := strings.TrimRight(string(raw), "\r\n")
		if strings.TrimSpace(line) == "---" {
			flush()
			continue
		}
		if inLast {
			rec.kv[len(rec.kv)-1].Value += "\n" + line
			continue
		}
		key, value, isKey := textKeyLine(line)
		if rec == nil {
			if strings.TrimSpace(line) == "" {
				continue
			}
			if !isKey {
				section = strings.TrimSpace(line) // a heading: "Websites", or one Valv does not know
				continue
			}
			rec = &textRecord{line: lineNo, section: section}
		}
		switch {
		case isKey:
			rec.kv = append(rec.kv, vault.Field{Name: key, Value: value})
			inLast = textLast[key]
		case strings.TrimSpace(line) == "":
			// blank lines between keys carry nothing
		case len(rec.kv) > 0:
			// a line without a key continues the previous value
			rec.kv[len(rec.kv)-1].Value += "\n" + line
		}
	}
	flush()
	return nil
}

// textKeyLine splits a "Key: value" line. Only the first colon ends the key, so values
// keep theirs; a key is non-empty and has no tab (an indented line is text).
func textKeyLine(line string) (key, value string, ok bool) {
	key, value, ok = strings.Cut(line, ":")
	key = strings.TrimSpace(key)
	if !ok || key == "" || strings.Contains(key, "\t") {
		return "", "", false
	}
	return key, strings.TrimPrefix(value, " "), true
}

// textItem maps one record to an item by its section.
func textItem(rec *textRecord, r *reader) {
	kv := rec.kv
	it := &vault.Item{}
	switch rec.section {
	case "Websites":
		it.Type = vault.TypeLogin
		it.Title = kv.take("Website name")
		if u := strings.TrimSpace(kv.take("Website URL")); u != "" {
			it.URLs = []string{u}
		}
	case "Applications":
		it.Type = vault.TypeApp
		it.Application = strings.TrimSpace(kv.take("Application"))
		it.Title = it.Application
	case "Notes":
		it.Type = vault.TypeNote
		it.Title = kv.take("Name")
		it.Notes = kv.take("Text")
	default:
		// A section this code does not know: the first value names the note and
		// every key is kept as a field.
		it.Type = vault.TypeNote
		if len(kv) > 0 {
			it.Title = kv[0].Value
		}
		if rec.section != "" {
			it.Fields = append(it.Fields, vault.Field{Name: "Section", Value: rec.section})
		}
	}
	if it.Type == vault.TypeLogin || it.Type == vault.TypeApp {
		it.Username = kv.take("Login")
		it.Password = kv.take("Password")
		it.Notes = kv.take("Comment")
	}
	it.Fields = append(it.Fields, kv...)
	r.add(rec.line, 0, it)
}
