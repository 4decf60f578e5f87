package transfer

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
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

// csvProfile describes one CSV export. A format may have several profiles (the
// dialects of one product's versions); the first whose header fits reads the file.
type csvProfile struct {
	format Format
	// required columns, lower case; "a|b" means either. All must be present.
	required []string
	// forbidden columns: their presence means another profile fits better.
	forbidden []string
	// exact, when set, is the whole header in order: for a header whose names another
	// product also uses, in another order.
	exact   []string
	columns map[string]target
	// fix adjusts an item after the columns are placed; rec maps lower-case column
	// names to values for the rules that need a column a target cannot express.
	fix func(it *vault.Item, rec map[string]string) error
	// build, when set, makes the item from the whole row instead of columns and fix:
	// for exports whose rows are of several kinds (cards, identities, folders).
	build func(row *csvRow) (*vault.Item, SkipKind, error)
	// rename maps a column name as written to the name the profile knows it by.
	rename func(string) string
	// headerless exports have no header row: names are the columns, every line is a
	// row, and sniff says from the first rows whether a file is one.
	names []string
	sniff func(rows [][]string) bool
	// longRows: rows may hold more fields than the header (RoboForm, Enpass, Zoho put
	// custom fields after the named columns); build sees them in row.extra.
	longRows bool
	// backslashQuotes: quotes inside quoted fields are written \" (1Password 7 for Mac).
	backslashQuotes bool
}

func (p *csvProfile) matches(cols map[string]bool) bool {
	if p.names != nil {
		return false
	}
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

// fits says whether a header row (as written) is this profile's.
func (p *csvProfile) fits(header []string) bool {
	if p.exact != nil {
		if len(header) != len(p.exact) {
			return false
		}
		for i, h := range header {
			if normHeader(h) != p.exact[i] {
				return false
			}
		}
		return true
	}
	return p.matches(headerSet(header))
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

// csvProfileFor picks the profile of format f that reads a file with this header
// row; a headerless profile of f fits any header, since its first line is a row.
func csvProfileFor(f Format, header []string) *csvProfile {
	var headerless *csvProfile
	for _, p := range csvProfiles {
		if p.format != f {
			continue
		}
		if p.names != nil {
			headerless = cmp.Or(headerless, p)
		} else if p.fits(header) {
			return p
		}
	}
	return headerless
}

// isCSVFormat says whether f is read by readCSV.
func isCSVFormat(f Format) bool {
	for _, p := range csvProfiles {
		if p.format == f {
			return true
		}
	}
	return false
}

// requiredOf lists the columns a format's first profile needs, for an error message.
func requiredOf(f Format) []string {
	for _, p := range csvProfiles {
		if p.format == f && p.names == nil {
			return p.required
		}
	}
	return nil
}

// readCSV reads a CSV export of format f. A row shorter than the header is padded
// with empty fields when what it lacks are optional columns (exports leave off a
// trailing empty note); a row that lacks a required column, or is longer than the
// header, is reported with its line and skipped, unless the profile expects long rows. A quoting
// error stops the whole file, since the reader cannot know where the broken row ends.
func readCSV(data []byte, f Format, r *reader) error {
	raw, err := csvHeader(data)
	if err != nil {
		return err
	}
	p := csvProfileFor(f, raw)
	if p == nil {
		h := make([]string, len(raw))
		for i, s := range raw {
			h[i] = strings.TrimSpace(s)
		}
		return fmt.Errorf("the header row (%s) lacks the columns of a %s file: %s", strings.Join(h, ", "), f.Describe(), strings.Join(requiredOf(f), ", "))
	}
	if p.backslashQuotes {
		data = backslashToDoubledQuotes(data)
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	// Strict quoting (RFC 4180): with lazy quotes an unterminated quote silently
	// swallows the rest of the file into one field, which would import a wrong
	// password without a word. Strict, the file stops with the line to fix.
	cr.ReuseRecord = true
	cols := newCSVColumns(p, raw)
	if p.names == nil {
		if _, err := cr.Read(); err != nil {
			return csvError(err)
		}
	}
	rec := make(map[string]string, len(cols.header))
	for {
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
		if (len(fields) > len(cols.header) && !p.longRows) || len(fields) < cols.minFields {
			r.problemKind(line, 0, guessTitle(fields, cols.targets), Problem{Kind: KindColumns, Got: len(fields), Want: len(cols.header),
				Reason: fmt.Sprintf("the row has %d columns, the header has %d", len(fields), len(cols.header))})
			continue
		}
		raw := len(fields)
		for len(fields) < len(cols.header) {
			fields = append(fields, "")
		}
		it, skip, err := cols.item(p, fields, raw, rec)
		switch {
		case err != nil:
			title := guessTitle(fields, cols.targets)
			if it != nil {
				title = it.Title
			}
			r.problem(line, 0, title, err.Error())
		case skip != "":
			r.skip(skip)
		default:
			r.add(line, 0, it)
		}
	}
}

// csvHeader reads the first record: the header row, or a headerless file's first row.
func csvHeader(data []byte) ([]string, error) {
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true // only the names are wanted; the rows are read strictly
	raw, err := cr.Read()
	if err == io.EOF {
		return nil, errors.New("the file is empty: there is no header row")
	}
	if err != nil {
		return nil, csvError(err)
	}
	return raw, nil
}

// csvColumns is a profile applied to one file's header.
type csvColumns struct {
	header  []string // column names as written (the names of kept fields)
	names   []string // the names the profile knows them by
	targets []target
	// minFields is how many fields a row needs to reach the last required column;
	// shorter rows are broken, not just missing a trailing empty value.
	minFields int
}

func newCSVColumns(p *csvProfile, raw []string) *csvColumns {
	if p.names != nil {
		raw = p.names
	}
	c := &csvColumns{header: make([]string, len(raw)), names: make([]string, len(raw)), targets: make([]target, len(raw))}
	have := make(map[string]bool, len(raw))
	for i, h := range raw {
		c.header[i] = strings.TrimSpace(h)
		name := normHeader(h)
		if p.rename != nil {
			name = p.rename(name)
		}
		c.names[i] = name
		t, known := p.columns[name]
		if !known || have[name] {
			t = toField // unknown or repeated: kept, never dropped
		}
		have[name] = true
		c.targets[i] = t
		for _, req := range p.required {
			if p.build == nil && slices.Contains(strings.Split(req, "|"), name) {
				c.minFields = i + 1
			}
		}
	}
	return c
}

// item makes the item of one row. rec is reused between rows.
func (c *csvColumns) item(p *csvProfile, fields []string, raw int, rec map[string]string) (*vault.Item, SkipKind, error) {
	if p.build != nil {
		row := &csvRow{header: c.header, names: c.names, fields: fields[:min(len(fields), len(c.header))], raw: fields[:raw]}
		row.used = make([]bool, len(row.fields))
		if len(fields) > len(c.header) {
			row.extra = fields[len(c.header):]
		}
		return p.build(row)
	}
	it := &vault.Item{Type: vault.TypeLogin}
	clear(rec)
	for i, v := range fields {
		rec[c.names[i]] = v
		if err := place(it, c.targets[i], c.header[i], v); err != nil {
			return nil, "", err
		}
	}
	if p.fix != nil {
		if err := p.fix(it, rec); err != nil {
			return it, "", err
		}
	}
	return it, "", nil
}

// backslashToDoubledQuotes rewrites the dialect that escapes a quote inside a quoted
// field as \" into RFC 4180's "". Only quotes inside quoted fields change; line breaks
// stay where they are, so line numbers still point into the file.
func backslashToDoubledQuotes(data []byte) []byte {
	out := make([]byte, 0, len(data)+64)
	inQuotes, fieldStart := false, true
	for i := 0; i < len(data); i++ {
		c := data[i]
		switch {
		case inQuotes && c == '\\' && i+1 < len(data) && data[i+1] == '"':
			out = append(out, '"', '"')
			i++
			continue
		case inQuotes && c == '"' && i+1 < len(data) && data[i+1] == '"':
			out = append(out, '"', '"')
			i++
			continue
		case inQuotes && c == '"':
			inQuotes = false
		case !inQuotes && c == '"' && fieldStart:
			inQuotes = true
		}
		fieldStart = !inQuotes && (c == ',' || c == '\n')
		out = append(out, c)
	}
	return out
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
