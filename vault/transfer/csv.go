package transfer

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/valvpm/valv/vault"
)

// CSV exports differ mostly in their column names, so one reader serves them all: a
// profile maps each known column to a place in the item, and every other column is
// kept as an extra field. Per-format rules that names cannot express (Bitwarden's
// type column, LastPass's secure notes) run in the profile's fix function.

// target is where a column's value goes.
type target int

const (
	toField     target = iota // unknown to the profile: kept as an extra field
	toIgnore                  // known and meaningless outside its source (an icon index)
	toTitle                   // title
	toURL                     // one URL
	toURLs                    // URLs separated by commas (Bitwarden)
	toUsername                //
	toPassword                //
	toNotes                   //
	toTOTP                    //
	toFolder                  //
	toGroupPath               // KeePassXC "Root/Work/Mail": the first segment is the database's root
	toFavourite               // "1", "true", "yes"
	toFlag                    // kept as a field only when set (not "", "0" or "false")
	toCreated                 // a time
	toModified                // a time
	toType                    // handled by the profile's fix function
	toFieldList               // Bitwarden "name: value" lines
	toTags                    // 1Password: the first tag becomes the folder
)

// csvProfile describes one CSV export.
type csvProfile struct {
	format Format
	// required columns, lower case; "a|b" means either. All must be present.
	required []string
	// forbidden columns: their presence means another profile fits better.
	forbidden []string
	columns   map[string]target
	// fix adjusts an item after the columns are placed; rec maps lower-case column
	// names to values for the rules that need a column a target cannot express.
	fix func(it *vault.Item, rec map[string]string) error
}

func (p *csvProfile) matches(cols map[string]bool) bool {
	for _, req := range p.required {
		ok := false
		for alt := range strings.SplitSeq(req, "|") {
			ok = ok || cols[alt]
		}
		if !ok {
			return false
		}
	}
	for _, f := range p.forbidden {
		if cols[f] {
			return false
		}
	}
	return true
}

func headerSet(header []string) map[string]bool {
	m := make(map[string]bool, len(header))
	for _, h := range header {
		m[normHeader(h)] = true
	}
	return m
}

func normHeader(h string) string {
	return strings.ToLower(strings.TrimSpace(h))
}

func csvProfileFor(f Format) *csvProfile {
	for _, p := range csvProfiles {
		if p.format == f {
			return p
		}
	}
	return nil
}

// readCSV reads a CSV export with the given profile. A row whose column count differs
// from the header is reported with its line and skipped; a quoting error stops the
// whole file, since the reader cannot know where the broken row ends.
func readCSV(data []byte, p *csvProfile, r *reader) error {
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	// Strict quoting (RFC 4180): with lazy quotes an unterminated quote silently
	// swallows the rest of the file into one field, which would import a wrong
	// password without a word. Strict, the file stops with the line to fix.
	cr.ReuseRecord = true
	raw, err := cr.Read()
	if err == io.EOF {
		return errors.New("the file is empty: there is no header row")
	}
	if err != nil {
		return csvError(err)
	}
	header := make([]string, len(raw))
	targets := make([]target, len(raw))
	have := make(map[string]bool, len(raw))
	for i, h := range raw {
		header[i] = strings.TrimSpace(h)
		name := normHeader(h)
		t, known := p.columns[name]
		if !known || have[name] {
			t = toField // unknown or repeated: kept, never dropped
		}
		have[name] = true
		targets[i] = t
	}
	if !p.matches(have) {
		return fmt.Errorf("the header row (%s) lacks the columns of a %s file: %s", strings.Join(header, ", "), p.format.Describe(), strings.Join(p.required, ", "))
	}
	rec := make(map[string]string, len(header))
	for n := 1; ; n++ {
		fields, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return csvError(err)
		}
		line, _ := cr.FieldPos(0)
		r.read(int(cr.InputOffset()))
		if len(fields) == 1 && strings.TrimSpace(fields[0]) == "" {
			continue // a blank line
		}
		if len(fields) != len(header) {
			r.problemKind(line, 0, guessTitle(fields, targets), Problem{Kind: KindColumns, Got: len(fields), Want: len(header),
				Reason: fmt.Sprintf("the row has %d columns, the header has %d", len(fields), len(header))})
			continue
		}
		it := &vault.Item{Type: vault.TypeLogin}
		clear(rec)
		for i, v := range fields {
			rec[normHeader(header[i])] = v
			if err := place(it, targets[i], header[i], v); err != nil {
				r.problem(line, 0, guessTitle(fields, targets), err.Error())
				it = nil
				break
			}
		}
		if it == nil {
			continue
		}
		if p.fix != nil {
			if err := p.fix(it, rec); err != nil {
				r.problem(line, 0, it.Title, err.Error())
				continue
			}
		}
		r.add(line, 0, it)
	}
}

// csvError turns the csv package's error into a sentence with the line.
func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("line %d: the CSV cannot be read, so nothing was imported: %v", pe.StartLine, pe.Err)
	}
	return err
}

// guessTitle finds something to name a broken row by.
func guessTitle(fields []string, targets []target) string {
	for i, t := range targets {
		if t == toTitle && i < len(fields) {
			return fields[i]
		}
	}
	return ""
}

// place puts one column's value where its target says.
func place(it *vault.Item, t target, name, v string) error {
	switch t {
	case toIgnore, toType:
	case toField:
		it.Fields = append(it.Fields, vault.Field{Name: name, Value: v})
	case toTitle:
		it.Title = v
	case toURL:
		if strings.TrimSpace(v) != "" {
			it.URLs = append(it.URLs, strings.TrimSpace(v))
		}
	case toURLs:
		for u := range strings.SplitSeq(v, ",") {
			if u = strings.TrimSpace(u); u != "" {
				it.URLs = append(it.URLs, u)
			}
		}
	case toUsername:
		it.Username = v
	case toPassword:
		it.Password = v
	case toNotes:
		it.Notes = joinNotes(it.Notes, v)
	case toTOTP:
		it.TOTP = strings.TrimSpace(v)
	case toFolder:
		it.Folder = strings.ReplaceAll(strings.TrimSpace(v), `\`, "/")
	case toGroupPath:
		_, rest, _ := strings.Cut(strings.TrimSpace(v), "/")
		it.Folder = rest
	case toFavourite:
		it.Favourite = truthy(v)
	case toFlag:
		if truthy(v) {
			it.Fields = append(it.Fields, vault.Field{Name: name, Value: v})
		}
	case toCreated, toModified:
		if strings.TrimSpace(v) == "" {
			return nil
		}
		tm, ok := parseTime(v)
		if !ok {
			it.Fields = append(it.Fields, vault.Field{Name: name, Value: v}) // keep what we cannot read
			return nil
		}
		if t == toCreated {
			it.Created = tm
		} else {
			it.Modified = tm
		}
	case toFieldList:
		it.Fields = append(it.Fields, parseFieldList(v)...)
	case toTags:
		tags := strings.TrimSpace(v)
		first, _, more := strings.Cut(tags, ",")
		it.Folder = strings.TrimSpace(first)
		if more {
			it.Fields = append(it.Fields, vault.Field{Name: name, Value: tags})
		}
	}
	return nil
}

func joinNotes(a, b string) string {
	switch {
	case strings.TrimSpace(b) == "":
		return a
	case a == "":
		return b
	}
	return a + "\n\n" + b
}

func truthy(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "", "0", "false", "no", "off":
		return false
	}
	return true
}

// parseTime reads the times exports write: RFC 3339, "2006-01-02 15:04:05" (taken as
// UTC), and Unix time in seconds or milliseconds (Firefox).
func parseTime(v string) (time.Time, bool) {
	v = strings.TrimSpace(v)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", time.DateTime} {
		if t, err := time.Parse(layout, v); err == nil {
			return t.UTC(), true
		}
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil && n > 0 {
		if n > 1e11 { // milliseconds: 1e11 seconds is the year 5138
			return time.UnixMilli(n).UTC(), true
		}
		return time.Unix(n, 0).UTC(), true
	}
	return time.Time{}, false
}

// parseFieldList reads "name: value" lines, as Bitwarden writes custom fields. A line
// without ": " is kept whole under the name "Field".
func parseFieldList(v string) []vault.Field {
	var out []vault.Field
	for line := range strings.SplitSeq(v, "\n") {
		line = strings.TrimRight(line, "\r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		name, val, ok := strings.Cut(line, ": ")
		if !ok {
			name, val = "Field", line
		}
		out = append(out, vault.Field{Name: name, Value: val})
	}
	return out
}
