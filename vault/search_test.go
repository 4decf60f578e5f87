package vault

import (
	"fmt"
	"testing"
)

func TestSearch(t *testing.T) {
	v := newTestVault(t)
	for _, it := range sampleItems() {
		if _, err := v.Add(it); err != nil {
			t.Fatal(err)
		}
	}
	titles := func(q string, f Filter) []string {
		l, err := v.Search(q, f)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, it := range l {
			out = append(out, it.Title)
		}
		return out
	}
	for _, c := range []struct {
		q    string
		f    Filter
		want string
	}{
		{"", Filter{}, "[Bank of Sunda Home Steam Visa débit Wi-Fi at grandma's]"}, // display order, case-insensitive
		{"BANK", Filter{}, "[Bank of Sunda]"},
		{"göteborg", Filter{}, "[Home]"},                // city, non-ASCII case folding
		{"GÖTEBORG", Filter{}, "[Home]"},                // upper-case non-ASCII
		{"m.bank.example", Filter{}, "[Bank of Sunda]"}, // second URL
		{"finance sunda", Filter{}, "[Bank of Sunda]"},  // every word must match
		{"finance steam", Filter{}, "[]"},
		{"nguyen", Filter{}, "[Steam]"},
		{"nhà bà", Filter{}, "[Wi-Fi at grandma's]"}, // note text
		{"Kata$andi", Filter{}, "[]"},                // passwords are never searchable
		{"4111", Filter{}, "[]"},                     // nor card numbers
		{"åsa", Filter{}, "[Home Visa débit]"},
		{"åsa", Filter{Type: TypeCard}, "[Visa débit]"},
	} {
		if got := fmt.Sprint(titles(c.q, c.f)); got != c.want {
			t.Errorf("Search(%q, %+v) = %s, want %s", c.q, c.f, got, c.want)
		}
	}
	// Order follows edits: a renamed item moves.
	l, _ := v.Search("steam", Filter{})
	it := l[0].Clone()
	it.Title = "A Steam"
	if _, err := v.Update(it); err != nil {
		t.Fatal(err)
	}
	if got := titles("", Filter{})[0]; got != "A Steam" {
		t.Errorf("first after rename = %q", got)
	}
	if f, _ := v.Folders(); fmt.Sprint(f) != "[Finance]" {
		t.Errorf("Folders = %v", f)
	}
}

func TestResolvePrefix(t *testing.T) {
	v := newTestVault(t)
	a, _ := v.Add(&Item{Type: TypeNote, Title: "a"})
	id, err := v.Resolve(a.ID.String()[:6])
	if err != nil || id != a.ID {
		t.Errorf("Resolve = %v, %v", id, err)
	}
	if _, err := v.Resolve("ab"); err == nil {
		t.Error("a 2-character prefix was accepted")
	}
	if _, err := v.Resolve("zzzzzz"); err == nil {
		t.Error("unknown prefix resolved")
	}
}
