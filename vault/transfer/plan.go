package transfer

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/valvpm/valv/vault"
)

// MaxFileSize caps what an import reads. A vault of 100 000 items exports to far less;
// the cap keeps a wrong file (a disk image, a video) from exhausting memory.
const MaxFileSize = 256 << 20

// Errors callers act on. Messages are sentences a person can read.
var (
	// ErrUnknownFormat means the content matched no format Valv imports.
	ErrUnknownFormat = errors.New("the file is not in a format Valv can import")
	// ErrTooLarge means the file is larger than MaxFileSize.
	ErrTooLarge = fmt.Errorf("the file is larger than %d MiB, which is more than any export Valv reads", MaxFileSize>>20)
	// ErrWrongPassword means the export password does not open an encrypted export.
	ErrWrongPassword = errors.New("the export password is incorrect, or the file was changed")
	// ErrNeedPassword means an encrypted export was given without a way to ask for its password.
	ErrNeedPassword = errors.New("the file is an encrypted Valv export; its export password is needed")
)

// Stage is the part of an import a progress report is about.
type Stage int

// Import stages, in order. Read counts bytes of the file, Check counts items, Save is
// one step (a single transaction) reported as 0 of 1 before and 1 of 1 after.
const (
	StageRead Stage = iota
	StageCheck
	StageSave
)

// String names the stage for a progress line.
func (s Stage) String() string {
	switch s {
	case StageRead:
		return "reading"
	case StageCheck:
		return "checking"
	case StageSave:
		return "saving"
	}
	return "working"
}

// ProgressFunc receives progress reports: done of total units of the stage. It is
// called on the importing goroutine, at most a few hundred times per stage, so a GUI
// hands the values to its own thread (fyne.Do) and a terminal redraws one line.
type ProgressFunc func(stage Stage, done, total int)

// ImportOptions tune Prepare. The zero value detects the format and reports no progress.
type ImportOptions struct {
	// Format forces a format; "" detects it from the content.
	Format Format
	// Password is asked for the file's own password: the export password of an
	// encrypted Valv export, or a KeePass database's password (Format.NeedsPassword).
	// The returned slice is wiped after use.
	Password func() ([]byte, error)
	// Progress, if set, receives progress reports.
	Progress ProgressFunc
}

// Problem is a row or entry of the file that needs a person's attention: one that
// could not be imported (Plan.Problems), or one imported with a change (Plan.Notices).
type Problem struct {
	Line   int    // 1-based line where the row starts; 0 when the format has no lines
	Entry  int    // 1-based position among entries when Line is 0 (JSON and XML formats)
	Title  string // the entry's title when known, to help find it
	Reason string // a sentence fragment in English: "the row has 3 columns, the header has 5"

	// Kind says what Reason says, for front ends that translate it, with its details:
	// Got and Want for KindColumns, Field and FieldCode for KindField.
	Kind      ProblemKind
	Got, Want int
	Field     string
	FieldCode vault.FieldCode
}

// ProblemKind names the reason of a Problem.
type ProblemKind string

// The kinds of Problem. KindOther's Reason is a detail from a parser, in English.
const (
	KindColumns       ProblemKind = "columns"         // a CSV row with the wrong number of columns
	KindUnreadable    ProblemKind = "unreadable"      // an entry of a JSON or XML file cannot be read
	KindNotUTF8       ProblemKind = "not-utf8"        // the entry is not UTF-8 text
	KindField         ProblemKind = "field"           // a field is not valid (Field, FieldCode)
	KindCardAsNote    ProblemKind = "card-as-note"    // notice: a bad card number, kept as a note
	KindExpiryAsField ProblemKind = "expiry-as-field" // notice: a bad expiry, kept in a field
	KindTOTPAsField   ProblemKind = "totp-as-field"   // notice: an unreadable TOTP secret, kept in a field
	KindOther         ProblemKind = "other"
)

// String is the one line shown to people: `line 14 ("Mail"): the row has 3 columns, …`.
func (p Problem) String() string {
	where := "the file"
	switch {
	case p.Line > 0:
		where = fmt.Sprintf("line %d", p.Line)
	case p.Entry > 0:
		where = fmt.Sprintf("entry %d", p.Entry)
	}
	if p.Title != "" {
		where += fmt.Sprintf(" (%q)", p.Title)
	}
	return where + ": " + p.Reason
}

// Plan is what an import will do, worked out without writing anything.
type Plan struct {
	Format Format
	// Items are what Apply adds, in file order: valid, and not duplicates.
	Items []*vault.Item
	// Duplicates counts entries skipped because an identical item is already in the
	// vault or earlier in the file (see duplicateKey for what "identical" means).
	Duplicates int
	// Problems are entries that cannot be imported, with where and why.
	Problems []Problem
	// Notices are entries imported with a change worth knowing, e.g. a card whose
	// number fails the check-digit test, kept as a note.
	Notices []Problem
	// Skipped counts, by reason, entries deliberately left out: trashed or archived in
	// the source, rows that only name a folder. They are not in Rows.
	Skipped []Skipped
	// Rows counts the entries found in the file: Items + Duplicates + Problems.
	Rows int

	progress ProgressFunc
}

// Counts returns how many items of each type Apply adds.
func (p *Plan) Counts() map[vault.Type]int {
	m := make(map[vault.Type]int)
	for _, it := range p.Items {
		m[it.Type]++
	}
	return m
}

// ReadFile reads a file to import, refusing files over MaxFileSize before reading them.
func ReadFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	if st, err := f.Stat(); err == nil && st.Size() > MaxFileSize {
		_ = f.Close() // refusing the file is the answer; a close error adds nothing
		return nil, ErrTooLarge
	}
	// The limit still applies while reading: a pipe or a growing file has no size.
	b, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	if len(b) > MaxFileSize {
		return nil, ErrTooLarge
	}
	return b, nil
}

// formatReaders read the formats that are not CSV; readCSV reads the rest by profile.
var formatReaders = map[Format]func(data []byte, opts ImportOptions, r *reader) error{
	FormatText:           func(d []byte, _ ImportOptions, r *reader) error { return readText(d, r) },
	FormatBitwardenJSON:  func(d []byte, _ ImportOptions, r *reader) error { return readBitwardenJSON(d, r) },
	FormatKeePassXML:     func(d []byte, _ ImportOptions, r *reader) error { return readKeePassXML(d, r) },
	FormatValvJSON:       func(d []byte, _ ImportOptions, r *reader) error { return readValvJSON(d, r) },
	FormatValvEncrypted:  func(d []byte, o ImportOptions, r *reader) error { return readEncrypted(d, o.Password, r) },
	FormatKDBX:           func(d []byte, o ImportOptions, r *reader) error { return readKDBX(d, o.Password, r) },
	Format1PUX:           func(d []byte, _ ImportOptions, r *reader) error { return read1PUX(d, r) },
	Format1PIF:           func(d []byte, _ ImportOptions, r *reader) error { return read1PIF(d, r) },
	FormatDashlaneZip:    func(d []byte, _ ImportOptions, r *reader) error { return readDashlaneZip(d, r) },
	FormatDashlaneJSON:   func(d []byte, _ ImportOptions, r *reader) error { return readDashlaneJSON(d, r) },
	FormatKeeperJSON:     func(d []byte, _ ImportOptions, r *reader) error { return readKeeperJSON(d, r) },
	FormatEnpassJSON:     func(d []byte, _ ImportOptions, r *reader) error { return readEnpassJSON(d, r) },
	FormatKeePassXXML:    func(d []byte, _ ImportOptions, r *reader) error { return readKeePassXXML(d, r) },
	FormatSafeInCloudXML: func(d []byte, _ ImportOptions, r *reader) error { return readSafeInCloudXML(d, r) },
	FormatProtonPassJSON: func(d []byte, _ ImportOptions, r *reader) error {
		if isZip(d) {
			return readProtonPassZip(d, r)
		}
		return readProtonPass(d, r)
	},
}

// Parse reads data in opts.Format (detected when empty) and returns a plan that
// ignores what any vault holds: no entry is a duplicate of an existing item, though
// repeats within the file are still counted. Prepare is Parse plus the vault check.
func Parse(data []byte, opts ImportOptions) (*Plan, error) {
	if len(data) > MaxFileSize {
		return nil, ErrTooLarge
	}
	data = stripBOM(data)
	f := opts.Format
	if f == "" {
		var err error
		if f, err = Detect(data); err != nil {
			return nil, err
		}
	}
	r := &reader{progress: opts.Progress, total: len(data)}
	var err error
	switch read, ok := formatReaders[f]; {
	case ok:
		err = read(data, opts, r)
	case isCSVFormat(f):
		err = readCSV(data, f, r)
	default:
		return nil, fmt.Errorf("%q is not a format Valv imports", f)
	}
	if err != nil {
		return nil, err
	}
	if r.total > 0 {
		r.report(StageRead, r.total, r.total)
	}
	p := r.plan(f)
	if len(p.Items) == 0 && p.Duplicates == 0 && len(p.Problems) > 0 {
		// Not one entry could be read: the file is most likely another format, and an
		// empty import that reports success would hide that.
		return nil, fmt.Errorf("%w: none of its %d entries can be read as %s (first: %s)", ErrUnknownFormat, len(p.Problems), f.Describe(), p.Problems[0].Reason)
	}
	return p, nil
}

// Prepare reads data and works out what importing it into v would do: which items
// are new, which are exact duplicates of items already in v, which rows cannot be
// read and why. It writes nothing. v must be unlocked.
func Prepare(v *vault.Vault, data []byte, opts ImportOptions) (*Plan, error) {
	existing, err := v.List(vault.Filter{})
	if err != nil {
		return nil, err
	}
	p, err := Parse(data, opts)
	if err != nil {
		return nil, err
	}
	p.dropDuplicates(existing)
	return p, nil
}

// dropDuplicates removes the planned items identical to one of existing.
func (p *Plan) dropDuplicates(existing []*vault.Item) {
	if len(existing) == 0 || len(p.Items) == 0 {
		return
	}
	seen := make(map[dupKey]struct{}, len(existing))
	for _, it := range existing {
		seen[duplicateKey(it)] = struct{}{}
	}
	kept := p.Items[:0]
	for _, it := range p.Items {
		if _, dup := seen[duplicateKey(it)]; dup {
			p.Duplicates++
			continue
		}
		kept = append(kept, it)
	}
	clear(p.Items[len(kept):])
	p.Items = kept
}

// Apply adds the planned items to v in one transaction and returns how many were
// added. It checks for duplicates again first, so items added to v since Prepare (by
// sync, or a second import) are not added twice. On error nothing was added.
func (p *Plan) Apply(v *vault.Vault) (int, error) {
	existing, err := v.List(vault.Filter{})
	if err != nil {
		return 0, err
	}
	p.dropDuplicates(existing)
	if len(p.Items) == 0 {
		return 0, nil
	}
	p.report(StageSave, 0, 1)
	added, err := v.AddAll(p.Items)
	if err != nil {
		return 0, fmt.Errorf("nothing was imported: %w", err)
	}
	p.report(StageSave, 1, 1)
	return added, nil
}

func (p *Plan) report(s Stage, done, total int) {
	if p.progress != nil {
		p.progress(s, done, total)
	}
}
