package health

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/valvpm/valv/vault"
	"github.com/valvpm/valv/vault/breach"
	"github.com/valvpm/valv/vault/breach/breachtest"
)

var now = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func login(title, pw string, created time.Time, history ...vault.PastPassword) *vault.Item {
	return &vault.Item{ID: idFor(title), Type: vault.TypeLogin, Title: title, Username: "ayu", Password: pw, Created: created, History: history}
}

func idFor(title string) vault.ID {
	var id vault.ID
	copy(id[:], title)
	return id
}

// sample is a vault with each problem, none, and items health must leave alone.
func sample() []*vault.Item {
	recent := now.AddDate(0, -2, 0)
	return []*vault.Item{
		login("Mail", "password", recent),
		{ID: idFor("Forum"), Type: vault.TypeApp, Title: "Forum", Application: "Forum app", Password: "iloveyou1", Created: recent},
		login("Shop A", "Zq8!vR3#tL6@pW1x-shared", recent),
		login("Shop B", "Zq8!vR3#tL6@pW1x-shared", recent),
		login("Bank", "vK7#qP2$wN9!mZ4x-Sunda", recent),
		login("Old site", "Hj4%nB8^cX2&rT6y-lama", now.AddDate(-2, 0, 0)),
		login("Changed lately", "Wm3*kD7(eF1)gS5z-baru", now.AddDate(-3, 0, 0),
			vault.PastPassword{Password: "Hj4%nB8^cX2&rT6y-lama", Replaced: now.AddDate(0, -1, 0)}),
		login("Changed long ago", "Pt9+aL2=uV6-iO4q-dulu", now.AddDate(-3, 0, 0),
			vault.PastPassword{Password: "x", Replaced: now.AddDate(-1, 0, -1)}),
		login("No password", "", recent),
		{ID: idFor("Card"), Type: vault.TypeCard, Title: "Card", PIN: "1234"},
		{ID: idFor("Note"), Type: vault.TypeNote, Title: "Note", Notes: "password"},
	}
}

func problemsOf(r *Report) map[string][]Problem {
	m := map[string][]Problem{}
	for _, f := range r.Items {
		m[f.Title] = f.Problems
	}
	return m
}

// TestCheck: each problem is found where it is and nowhere else, with the built-in
// filter only (no network).
func TestCheck(t *testing.T) {
	r, err := Check(context.Background(), sample(), Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]Problem{
		"Mail":             {Weak, Exposed},
		"Forum":            {Weak, Exposed},
		"Shop A":           {Reused},
		"Shop B":           {Reused},
		"Old site":         {Old},
		"Changed long ago": {Old},
	}
	if got := problemsOf(r); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("flagged:\n got %v\nwant %v", got, want)
	}
	if r.Checked != 8 {
		t.Errorf("checked %d, want the 8 items with a password", r.Checked)
	}
	if fmt.Sprint(r.Counts) != fmt.Sprint(map[Problem]int{Weak: 2, Reused: 2, Exposed: 2, Old: 2}) {
		t.Errorf("counts %v", r.Counts)
	}
	var titles []string
	for _, f := range r.Items {
		titles = append(titles, f.Title)
		if f.ID != idFor(f.Title) {
			t.Errorf("%s: wrong ID", f.Title)
		}
	}
	if !slices.Equal(titles, []string{"Mail", "Forum", "Shop A", "Shop B", "Old site", "Changed long ago"}) {
		t.Errorf("order %v, want the vault's", titles)
	}
	// "Changed lately" shares its old password with "Old site": history is not reuse.
	// And the report names items, never passwords.
	dump := fmt.Sprintf("%+v", r)
	for _, it := range sample() {
		if it.Password != "" && strings.Contains(dump, it.Password) {
			t.Errorf("the report holds a password: %s", dump)
		}
	}
}

// TestCheckUsesGivenFilter: a full filter (here from a small list in the Have I Been
// Pwned format) finds a password the built-in list does not have.
func TestCheckUsesGivenFilter(t *testing.T) {
	sum := breach.Hash("vK7#qP2$wN9!mZ4x-Sunda")
	list := fmt.Sprintf("%X:3\r\n", sum)
	path := filepath.Join(t.TempDir(), "full.filter")
	var b bytes.Buffer
	if _, err := breach.BuildHIBP(&b, strings.NewReader(list), 0); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := breach.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := Check(context.Background(), sample(), Options{Now: now, Filter: f})
	if err != nil {
		t.Fatal(err)
	}
	got := problemsOf(r)
	if !slices.Equal(got["Bank"], []Problem{Exposed}) {
		t.Errorf("Bank: %v, want exposed", got["Bank"])
	}
	if slices.Contains(got["Mail"], Exposed) {
		t.Error("with a full filter given, the built-in one is still used")
	}
}

// TestCheckOnline: with the online check on, a password the range API knows is
// exposed; when the service fails, the offline findings still come back with an error
// that says the online part did not happen.
func TestCheckOnline(t *testing.T) {
	srv := breachtest.New(map[string]int{"vK7#qP2$wN9!mZ4x-Sunda": 2})
	defer srv.Close()
	r, err := Check(context.Background(), sample(), Options{Now: now, Online: &breach.Range{Endpoint: srv.Endpoint()}})
	if err != nil {
		t.Fatal(err)
	}
	got := problemsOf(r)
	if !slices.Equal(got["Bank"], []Problem{Exposed}) || !slices.Equal(got["Mail"], []Problem{Weak, Exposed}) {
		t.Errorf("online: Bank %v, Mail %v", got["Bank"], got["Mail"])
	}
	if n := len(srv.Requests()); n == 0 || n > 8 {
		t.Errorf("%d requests for 8 passwords", n)
	}

	srv.Close()
	r, err = Check(context.Background(), sample(), Options{Now: now, Online: &breach.Range{Endpoint: srv.Endpoint()}})
	if !errors.Is(err, breach.ErrOnline) || r == nil {
		t.Fatalf("service down: %v, report %v", err, r)
	}
	if got := problemsOf(r); !slices.Equal(got["Mail"], []Problem{Weak, Exposed}) || len(got["Bank"]) != 0 {
		t.Errorf("offline findings lost: %v", got)
	}
}
