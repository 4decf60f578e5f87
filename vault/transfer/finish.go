package transfer

import (
	"bytes"
	"errors"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/valvpm/valv/vault"
)

// reader collects what a format parser finds: entries with their position, and
// entries that could not be read. Parsers stay small because the rules shared by every
// format — titles, validation, cards that fail the check-digit test — live here.
type reader struct {
	rows     []row
	problems []Problem
	skipped  []Skipped
	progress ProgressFunc
	total    int // bytes of input, for StageRead
	lastPct  int // last reported percentage, so progress is reported ~100 times at most
}

// row is one parsed entry before it is checked.
type row struct {
	line, entry int
	item        *vault.Item
}

func (r *reader) add(line, entry int, it *vault.Item) {
	r.rows = append(r.rows, row{line, entry, it})
}

func (r *reader) problem(line, entry int, title, reason string) {
	r.problemKind(line, entry, title, Problem{Kind: KindOther, Reason: reason})
}

// problemKind records a problem whose kind and details the caller fills in.
func (r *reader) problemKind(line, entry int, title string, p Problem) {
	p.Line, p.Entry, p.Title = line, entry, cleanTitle(title)
	r.problems = append(r.problems, p)
}

// read reports that done bytes of the input have been read.
func (r *reader) read(done int) {
	if r.progress == nil || r.total == 0 {
		return
	}
	if pct := done * 100 / r.total; pct != r.lastPct {
		r.lastPct = pct
		r.progress(StageRead, done, r.total)
	}
}

func (r *reader) report(s Stage, done, total int) {
	if r.progress != nil {
		r.progress(s, done, total)
	}
}

// plan checks every row and drops repeats within the file.
func (r *reader) plan(f Format) *Plan {
	p := &Plan{Format: f, Problems: r.problems, Skipped: r.skipped, Rows: len(r.rows) + len(r.problems), progress: r.progress}
	seen := make(map[dupKey]struct{}, len(r.rows))
	step := max(len(r.rows)/100, 1)
	for i, rw := range r.rows {
		if i%step == 0 {
			r.report(StageCheck, i, len(r.rows))
		}
		it, notice, bad := finish(rw.item)
		if bad != nil {
			bad.Line, bad.Entry, bad.Title = rw.line, rw.entry, cleanTitle(rw.item.Title)
			p.Problems = append(p.Problems, *bad)
			continue
		}
		if notice != nil {
			notice.Line, notice.Entry, notice.Title = rw.line, rw.entry, cleanTitle(rw.item.Title)
			p.Notices = append(p.Notices, *notice)
		}
		k := duplicateKey(it)
		if _, dup := seen[k]; dup {
			p.Duplicates++
			continue
		}
		seen[k] = struct{}{}
		p.Items = append(p.Items, it)
	}
	r.report(StageCheck, len(r.rows), len(r.rows))
	slices.SortStableFunc(p.Problems, func(a, b Problem) int {
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		return a.Entry - b.Entry
	})
	return p
}

// finish turns a parsed entry into a valid item. Rules, so that nothing is lost:
//   - an empty title is filled from the site, application, user name or text;
//   - extra fields with an empty value are dropped (they hold nothing);
//   - a card whose number fails the check-digit test becomes a note with the card's
//     details in its fields (the notice says so);
//   - a card expiry that is not MM/YY moves to a field;
//   - an authenticator secret Valv cannot read moves to a field;
//   - anything else that fails validation is a problem: the entry is not imported.
//
// It returns the item and a notice of what was changed, or, for an entry that cannot be
// imported, the problem (Line, Entry and Title are the caller's to fill in).
func finish(it *vault.Item) (item *vault.Item, notice, problem *Problem) {
	it.Title = strings.TrimSpace(it.Title)
	it.Folder = strings.TrimSpace(it.Folder)
	if it.Title == "" {
		it.Title = fallbackTitle(it)
	}
	it.Fields = slices.DeleteFunc(it.Fields, func(f vault.Field) bool { return f.Value == "" })
	it.URLs = slices.DeleteFunc(it.URLs, func(u string) bool { return strings.TrimSpace(u) == "" })
	// Empty lists are nil, as the vault's own decoder makes them, so an imported item
	// compares equal to the same item read back from the vault.
	if len(it.Fields) == 0 {
		it.Fields = nil
	}
	if len(it.URLs) == 0 {
		it.URLs = nil
	}
	if len(it.Street) == 0 {
		it.Street = nil
	}
	if len(it.History) == 0 {
		it.History = nil
	}
	if len(it.History) > vault.MaxHistory {
		it.History = it.History[:vault.MaxHistory]
	}
	for range 3 { // each fix below removes the cause, so a few rounds always settle
		err := it.Validate()
		if err == nil {
			return it, notice, nil
		}
		var fe *vault.FieldError
		if !errors.As(err, &fe) {
			return nil, nil, &Problem{Kind: KindOther, Reason: err.Error()}
		}
		switch {
		case it.Type == vault.TypeCard && fe.Field == "number":
			cardToNote(it)
			notice = &Problem{Kind: KindCardAsNote, Reason: "the card number fails the check-digit test, so the card was kept as a note with its details in fields"}
		case it.Type == vault.TypeCard && fe.Field == "expiry":
			it.Fields = append(it.Fields, vault.Field{Name: "Expiry", Value: it.Expiry})
			it.Expiry = ""
			notice = &Problem{Kind: KindExpiryAsField, Reason: "the expiry date is not a month and year like 07/29, so it was kept in a field"}
		case fe.Code == vault.FieldTOTP:
			// Other managers keep forms Valv cannot make codes from (Steam links, raw
			// keys); the text moves to a field so nothing is lost.
			it.Fields = append(it.Fields, vault.Field{Name: "TOTP", Value: it.TOTP})
			it.TOTP = ""
			notice = &Problem{Kind: KindTOTPAsField, Reason: "the authenticator secret is not one Valv can make codes from, so it was kept in a field"}
		case fe.Code == vault.FieldNotUTF8:
			return nil, nil, &Problem{Kind: KindNotUTF8, Reason: "the entry is not valid UTF-8 text; save the file as UTF-8 and import it again"}
		default:
			return nil, nil, &Problem{Kind: KindField, Field: fe.Field, FieldCode: fe.Code, Reason: "the " + fe.Field + " " + fe.Reason}
		}
	}
	return nil, nil, &Problem{Kind: KindOther, Reason: "the entry could not be made valid"}
}

// cardToNote keeps a card the vault refuses (its number fails the Luhn test) as a note,
// every card detail moved into a field so nothing typed is lost.
func cardToNote(it *vault.Item) {
	var f []vault.Field
	for _, kv := range [][2]string{{"Cardholder", it.Cardholder}, {"Card number", it.Number},
		{"Expiry", it.Expiry}, {"CVC", it.CVC}, {"PIN", it.PIN}} {
		if kv[1] != "" {
			f = append(f, vault.Field{Name: kv[0], Value: kv[1]})
		}
	}
	it.Fields = append(f, it.Fields...)
	it.Type = vault.TypeNote
	it.Cardholder, it.Number, it.Expiry, it.CVC, it.PIN = "", "", "", "", ""
}

// asNote turns a login-shaped entry into a note, keeping its login fields as fields.
// Used where a source marks an entry as a note but still fills login columns.
func asNote(it *vault.Item) {
	var f []vault.Field
	for _, u := range it.URLs {
		f = append(f, vault.Field{Name: "URL", Value: u})
	}
	for _, kv := range [][2]string{{"Application", it.Application}, {"Username", it.Username},
		{"Password", it.Password}, {"TOTP", it.TOTP}} {
		if kv[1] != "" {
			f = append(f, vault.Field{Name: kv[0], Value: kv[1]})
		}
	}
	it.Fields = append(f, it.Fields...)
	it.Type = vault.TypeNote
	it.URLs, it.Application, it.Username, it.Password, it.TOTP = nil, "", "", "", ""
	it.History = nil
}

func fallbackTitle(it *vault.Item) string {
	for _, u := range it.URLs {
		if pu, err := url.Parse(strings.TrimSpace(u)); err == nil && pu.Hostname() != "" {
			return pu.Hostname()
		}
		if s := strings.TrimSpace(u); s != "" {
			return oneLine(s)
		}
	}
	for _, s := range []string{it.Application, it.Username, it.Name, it.Cardholder, it.Email} {
		if s = strings.TrimSpace(s); s != "" {
			return oneLine(s)
		}
	}
	if s := oneLine(strings.TrimSpace(it.Notes)); s != "" {
		if utf8.RuneCountInString(s) > 40 {
			s = string([]rune(s)[:40]) + "…"
		}
		return s
	}
	return "Untitled"
}

// cleanTitle makes a title safe to print in a problem line: one line, valid UTF-8.
func cleanTitle(s string) string {
	return strings.ToValidUTF8(oneLine(s), "\uFFFD")
}

// oneLine cuts s at its first line break, for titles and messages.
func oneLine(s string) string {
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		return s[:i]
	}
	return s
}

// stripBOM removes a UTF-8 byte order mark, which Windows tools put before CSV files.
func stripBOM(b []byte) []byte {
	return bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
}
