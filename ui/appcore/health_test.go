package appcore

import (
	"encoding/hex"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/valvpm/valv/vault"
	"github.com/valvpm/valv/vault/breach"
	"github.com/valvpm/valv/vault/breach/breachtest"
	"github.com/valvpm/valv/vault/health"
)

// healthItems are a vault with every problem but "old": two common breached
// passwords, two items sharing a strong password, and one strong unique password.
func healthItems(t *testing.T, tc *testCore) map[string]vault.ID {
	t.Helper()
	ids := map[string]vault.ID{}
	for title, pw := range map[string]string{
		"Forum":      "password",
		"Shop":       "iloveyou1",
		"Mail":       "velvet Orchard 58 tunnel slowly",
		"Mail again": "velvet Orchard 58 tunnel slowly",
		"Bank":       "quiet Meadow 94 lantern brightly",
	} {
		it, err := tc.Save(&vault.Item{Type: vault.TypeLogin, Title: title, Password: pw})
		if err != nil {
			t.Fatal(err)
		}
		ids[title] = it.ID
	}
	return ids
}

// check runs CheckHealth and returns what done got.
func (tc *testCore) check(t *testing.T) HealthResult {
	t.Helper()
	var got *HealthResult
	tc.CheckHealth(func(r HealthResult) { got = &r })
	if got == nil {
		t.Fatal("the inline check did not finish")
	}
	return *got
}

// problems maps flagged titles to their problems.
func problems(r *health.Report) map[string][]health.Problem {
	out := map[string][]health.Problem{}
	for _, f := range r.Items {
		out[f.Title] = f.Problems
	}
	return out
}

func TestHealthOffline(t *testing.T) {
	tc := newTestCore(t, DefaultSettings())
	tc.create(t)
	healthItems(t, tc)
	res := tc.check(t)
	if res.Err != nil || res.Report == nil || res.Online || len(res.Notices) != 0 {
		t.Fatalf("result %+v", res)
	}
	got := problems(res.Report)
	if !slices.Contains(got["Forum"], health.Exposed) || !slices.Contains(got["Shop"], health.Exposed) {
		t.Errorf("the common breached passwords are not exposed: %v", got)
	}
	if !slices.Equal(got["Mail"], []health.Problem{health.Reused}) || !slices.Equal(got["Mail again"], []health.Problem{health.Reused}) {
		t.Errorf("the shared password: %v", got)
	}
	if _, flagged := got["Bank"]; flagged || res.Report.Checked != 5 {
		t.Errorf("checked %d, flagged %v", res.Report.Checked, got)
	}
	if res.Report.Counts[health.Old] != 0 {
		t.Errorf("new items are old: %v", res.Report.Counts)
	}
	// "Old" is measured on the app's clock: a year and a bit after the items were made
	// (the vault dates them by the real time), every password is.
	tc.clock.Advance(time.Now().Add(400 * 24 * time.Hour).Sub(tc.clock.Now()))
	if tc.Locked() {
		tc.Unlock([]byte(strongPassword), func(err error) {
			if err != nil {
				t.Fatal(err)
			}
		})
	}
	if res := tc.check(t); res.Report == nil || res.Report.Counts[health.Old] != 5 {
		t.Errorf("after 400 days: %+v", res)
	}
}

// TestHealthOnlineOnlyWhenChosen: with the online check off nothing reaches the range
// endpoint; on, only five hex digits per password do, with padding asked for, and a
// password only the service knows is flagged.
func TestHealthOnlineOnlyWhenChosen(t *testing.T) {
	const rare = "rare Pebble 31 window softly"
	srv := breachtest.New(map[string]int{rare: 3})
	defer srv.Close()
	s := DefaultSettings()
	s.Security = SecuritySettings{Endpoint: srv.Endpoint()}
	tc := newTestCore(t, s)
	tc.create(t)
	if _, err := tc.Save(&vault.Item{Type: vault.TypeLogin, Title: "Rare", Password: rare}); err != nil {
		t.Fatal(err)
	}
	if res := tc.check(t); len(res.Report.Items) != 0 || len(srv.Requests()) != 0 {
		t.Fatalf("online check off: flagged %v, %d requests", res.Report.Items, len(srv.Requests()))
	}

	s.Security.OnlineCheck = true
	if err := tc.UpdateSettings(s); err != nil {
		t.Fatal(err)
	}
	res := tc.check(t)
	if !res.Online || len(res.Notices) != 0 || !slices.Equal(problems(res.Report)["Rare"], []health.Problem{health.Exposed}) {
		t.Fatalf("online check on: %+v", res)
	}
	reqs := srv.Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests", len(reqs))
	}
	sum := breach.Hash(rare)
	prefix := strings.ToUpper(strings.TrimPrefix(reqs[0].Path, "/range/"))
	if len(prefix) != 5 || !strings.HasPrefix(strings.ToUpper(hex.EncodeToString(sum[:])), prefix) || reqs[0].RawQuery != "" || reqs[0].Body != "" {
		t.Errorf("the request carried %+v", reqs[0])
	}
	if reqs[0].Header.Get("Add-Padding") != "true" {
		t.Errorf("no padding asked for: %v", reqs[0].Header)
	}
}

// TestHealthOnlineUnreachable: with the service out of reach the report still has every
// offline finding and says the online part was not done.
func TestHealthOnlineUnreachable(t *testing.T) {
	srv := breachtest.New(nil)
	endpoint := srv.Endpoint()
	srv.Close() // nothing listens there now
	s := DefaultSettings()
	s.Security = SecuritySettings{OnlineCheck: true, Endpoint: endpoint}
	tc := newTestCore(t, s)
	tc.create(t)
	healthItems(t, tc)
	res := tc.check(t)
	if res.Err != nil || res.Online || len(res.Notices) != 1 || res.Notices[0].Key != "health.onlineFailed" {
		t.Fatalf("result %+v", res)
	}
	if res.Report.Counts[health.Exposed] != 2 || res.Report.Counts[health.Reused] != 2 {
		t.Errorf("the offline findings are lost: %v", res.Report.Counts)
	}
}

// TestHealthChosenFilter uses a full list the person chose, and falls back to the
// built-in one with a sentence when that file is gone or not a filter.
func TestHealthChosenFilter(t *testing.T) {
	const leaked = "leaked Canyon 12 marble gently"
	dir := t.TempDir()
	path := filepath.Join(dir, "full.filter")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := breach.BuildPasswords(f, []string{leaked, "password"}); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	s := DefaultSettings()
	s.Security.BreachFilter = path
	tc := newTestCore(t, s)
	tc.create(t)
	if _, err := tc.Save(&vault.Item{Type: vault.TypeLogin, Title: "Leaked", Password: leaked}); err != nil {
		t.Fatal(err)
	}
	if res := tc.check(t); len(res.Notices) != 0 || !slices.Equal(problems(res.Report)["Leaked"], []health.Problem{health.Exposed}) {
		t.Fatalf("with the chosen list: %+v", res)
	}
	notFilter := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(notFilter, []byte("not a filter"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{filepath.Join(dir, "missing.filter"), notFilter} {
		s.Security.BreachFilter = p
		if err := tc.UpdateSettings(s); err != nil {
			t.Fatal(err)
		}
		res := tc.check(t)
		if res.Report == nil || len(res.Notices) != 1 || res.Notices[0].Key != "health.filterError" || len(res.Report.Items) != 0 {
			t.Errorf("%s: %+v", filepath.Base(p), res)
		}
	}
}

// TestHealthRunsOffTheUIGoroutine: the check runs on the background goroutine and its
// result comes back through the UI queue.
func TestHealthRunsOffTheUIGoroutine(t *testing.T) {
	q := newQueued(t)
	tc := newTestCore(t, DefaultSettings(), func(o *Options) { o.Scheduler = q.scheduler() })
	var created bool
	tc.Create([]byte(strongPassword), func(err error) {
		if err != nil {
			t.Fatal(err)
		}
		created = true
	})
	q.pump("creating the vault", func() bool { return created })
	healthItems(t, tc)
	var got *HealthResult
	tc.CheckHealth(func(r HealthResult) { got = &r })
	if got != nil {
		t.Fatal("the result arrived before the UI goroutine ran it")
	}
	q.pump("the health check", func() bool { return got != nil })
	if got.Report == nil || got.Report.Checked != 5 {
		t.Fatalf("result %+v", got)
	}
}

func TestHealthLocked(t *testing.T) {
	tc := newTestCore(t, DefaultSettings())
	tc.create(t)
	tc.Lock()
	if res := tc.check(t); res.Report != nil || res.Err == nil {
		t.Fatalf("a locked vault was checked: %+v", res)
	}
}

// TestSecuritySettingsRefuseAForeignPlainAddress: an address edited into settings.json
// that would send the digits in clear to another computer turns the check off.
func TestSecuritySettingsRefuseAForeignPlainAddress(t *testing.T) {
	path := filepath.Join(t.TempDir(), "settings.json")
	if err := os.WriteFile(path, []byte(`{"security":{"onlineCheck":true,"endpoint":"http://breach.example/range/"}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := LoadSettings(path)
	if err != nil {
		t.Fatal(err)
	}
	if s.Security.OnlineCheck || s.Security.Endpoint != "" {
		t.Fatalf("loaded %+v", s.Security)
	}
	s.Security = SecuritySettings{OnlineCheck: true, Endpoint: "http://127.0.0.1:9/range/", BreachFilter: "/tmp/x.filter"}
	if err := s.Save(); err != nil {
		t.Fatal(err)
	}
	back, err := LoadSettings(path)
	if err != nil || back.Security != s.Security {
		t.Fatalf("saved %+v, loaded %+v (%v)", s.Security, back.Security, err)
	}
	if (SecuritySettings{}).RangeEndpoint() != breach.DefaultRangeEndpoint {
		t.Error("no address is not the default service")
	}
}
