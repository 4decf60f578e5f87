package ui

import (
	"strings"
	"testing"

	"github.com/valvpm/valv/ui/appcore"
)

// TestPlurals: a counted sentence takes its form from the count and the language —
// "1 item", never "1 items" — and every such sentence has both forms in every language.
func TestPlurals(t *testing.T) {
	t.Cleanup(func() { _ = SetLanguage("en") })
	if len(pluralForms()) == 0 {
		t.Fatal("no counted sentences found")
	}
	for _, l := range appcore.Languages {
		m := loadLanguage(t, l.Code)
		for k := range pluralForms() {
			if m[k+".one"] == "" || m[k+".other"] == "" {
				t.Errorf("%s.json: %q lacks a form", l.Code, k)
			}
		}
	}
	if got := T("sync.conflicts", map[string]any{"Count": 1}); !strings.HasPrefix(got, "1 item was") {
		t.Errorf("one conflict: %q", got)
	}
	if got := T("sync.conflicts", map[string]any{"Count": 3}); !strings.HasPrefix(got, "3 items were") {
		t.Errorf("three conflicts: %q", got)
	}
	if err := SetLanguage("sv"); err != nil {
		t.Fatal(err)
	}
	if got := T("damaged.body", map[string]any{"Count": 1}); !strings.HasPrefix(got, "1 objekt i valvfilen är skadat ") {
		t.Errorf("Swedish, one damaged item: %q", got)
	}
	if err := SetLanguage("vi"); err != nil {
		t.Fatal(err)
	}
	if got := T("sync.conflicts", map[string]any{"Count": 1}); !strings.HasPrefix(got, "1 mục đã") {
		t.Errorf("Vietnamese, one conflict: %q", got)
	}
}
