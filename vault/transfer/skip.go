package transfer

import "fmt"

// SkipKind names why entries of a file are deliberately not imported. Unlike a
// Problem, a skipped entry is one the source itself no longer counts as live (trashed,
// archived) or that is no item at all (a folder row).
type SkipKind string

// The kinds of skipped entries.
const (
	SkipTrash    SkipKind = "trash"    // in the trash or the Recycle Bin
	SkipArchived SkipKind = "archived" // archived in the source
	SkipFolder   SkipKind = "folder"   // a row that only names a folder
	SkipBackup   SkipKind = "backup"   // an earlier version KeePassX keeps in its Backup group
)

// Skipped counts the entries skipped for one reason.
type Skipped struct {
	Kind  SkipKind
	Count int
}

// String is the line shown to people: "2 entries in the trash or Recycle Bin".
func (s Skipped) String() string {
	one, many := skipWords(s.Kind)
	if s.Count == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", s.Count, many)
}

func skipWords(k SkipKind) (one, many string) {
	switch k {
	case SkipTrash:
		return "entry in the trash or Recycle Bin", "entries in the trash or Recycle Bin"
	case SkipArchived:
		return "archived entry", "archived entries"
	case SkipFolder:
		return "row that only names a folder", "rows that only name a folder"
	case SkipBackup:
		return "earlier version in the Backup group", "earlier versions in the Backup group"
	}
	return "entry skipped", "entries skipped"
}

// skip counts one entry skipped for kind.
func (r *reader) skip(kind SkipKind) {
	for i := range r.skipped {
		if r.skipped[i].Kind == kind {
			r.skipped[i].Count++
			return
		}
	}
	r.skipped = append(r.skipped, Skipped{Kind: kind, Count: 1})
}
