package transfer

import (
	"slices"
	"strings"

	"github.com/valvpm/valv/vault"
)

// csvRow is one row for a profile's build function: values are taken by the names the
// profile knows, and whatever is left becomes extra fields, so nothing is lost.
type csvRow struct {
	header []string // names as written, for the fields of what is left
	names  []string // names the profile knows the columns by
	fields []string
	used   []bool
	extra  []string // fields past the header (profiles with longRows)
	raw    []string // the row as written, before padding to the header's length
}

// take returns the first non-empty value among the columns named any of names, and
// marks every such column as used (an empty duplicate is no extra field either).
func (r *csvRow) take(names ...string) string {
	v := ""
	for i, n := range r.names {
		if i < len(r.fields) && slices.Contains(names, n) {
			r.used[i] = true
			if v == "" && strings.TrimSpace(r.fields[i]) != "" {
				v = r.fields[i]
			}
		}
	}
	return v
}

// peek is take without marking: for deciding what kind of row this is.
func (r *csvRow) peek(names ...string) string {
	for i, n := range r.names {
		if i < len(r.fields) && !r.used[i] && slices.Contains(names, n) && strings.TrimSpace(r.fields[i]) != "" {
			return r.fields[i]
		}
	}
	return ""
}

// drop marks columns as used without reading them: bookkeeping of the source.
func (r *csvRow) drop(names ...string) { r.take(names...) }

// filled says whether any column not yet used has a value.
func (r *csvRow) filled() bool {
	for i, v := range r.fields {
		if !r.used[i] && strings.TrimSpace(v) != "" {
			return true
		}
	}
	return len(r.extra) > 0
}

// rest returns the unused non-empty columns as fields, named as the file names them.
func (r *csvRow) rest() []vault.Field {
	var out []vault.Field
	for i, v := range r.fields {
		if !r.used[i] && strings.TrimSpace(v) != "" {
			r.used[i] = true
			out = append(out, vault.Field{Name: r.header[i], Value: v})
		}
	}
	return out
}

// joinNonEmpty joins the non-blank values with sep.
func joinNonEmpty(sep string, values ...string) string {
	var kept []string
	for _, v := range values {
		if v = strings.TrimSpace(v); v != "" {
			kept = append(kept, v)
		}
	}
	return strings.Join(kept, sep)
}

// addURL appends u to the item's URLs when it is not blank or already there.
func addURL(it *vault.Item, u string) {
	if u = strings.TrimSpace(u); u != "" && !slices.Contains(it.URLs, u) {
		it.URLs = append(it.URLs, u)
	}
}

// streetLines splits an address written on several lines into Street entries.
func streetLines(s string) []string {
	var out []string
	for line := range strings.SplitSeq(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		}
	}
	return out
}
