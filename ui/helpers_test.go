package ui

import (
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/valvpm/valv/ui/appcore"
	"github.com/valvpm/valv/vault"
)

func TestMain(m *testing.M) {
	// Tests read English unless they pick a language; the machine's locale must not
	// decide what the goldens contain.
	if err := SetLanguage("en"); err != nil {
		panic(err)
	}
	os.Exit(m.Run())
}

// testScheduler is the Scheduler of a test app: inline at first, so a flow is
// deterministic (when Tap returns, the key derivation has finished), and switchable to
// a real background goroutine by a test that must act while a call runs.
type testScheduler struct {
	mu sync.Mutex
	s  appcore.Scheduler
}

func (ts *testScheduler) set(s appcore.Scheduler) {
	ts.mu.Lock()
	ts.s = s
	ts.mu.Unlock()
}

func (ts *testScheduler) get() appcore.Scheduler {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return ts.s
}

func (ts *testScheduler) scheduler() appcore.Scheduler {
	return appcore.Scheduler{
		Background: func(f func()) { ts.get().Background(f) },
		OnUI:       func(f func()) { ts.get().OnUI(f) },
	}
}

// testApp is a UI driven by Fyne's test driver against a real vault in t.TempDir().
type testApp struct {
	t     testing.TB
	app   fyne.App
	u     *UI
	ctrl  *appcore.Controller
	dir   string
	clock *appcore.ManualClock // auto-lock and the clipboard wait on it
	sched *testScheduler
}

// newTestApp starts the app on a fresh VALV_HOME. offline says whether the person has
// already passed the welcome window.
func newTestApp(t *testing.T, offline bool) *testApp {
	t.Helper()
	a := test.NewTempApp(t)
	dir := t.TempDir()
	t.Setenv(vault.HomeEnv, dir)
	s := appcore.DefaultSettings()
	s.Offline = offline
	s.Path = filepath.Join(dir, "settings.json")
	return startTestApp(t, a, dir, s)
}

// startTestApp starts the app on dir with settings s; setup may change the
// controller's options (accounts, sync) before the window is built.
func startTestApp(t testing.TB, a fyne.App, dir string, s appcore.Settings, setup ...func(*appcore.Options)) *testApp {
	t.Helper()
	ta := &testApp{t: t, app: a, dir: dir, clock: appcore.NewManualClock(time.Now()), sched: &testScheduler{s: appcore.Inline}}
	floor := vault.FloorKDF() // the cheapest allowed KDF keeps the flows fast
	o := appcore.Options{
		Path:               filepath.Join(dir, "vault.db"),
		Settings:           s,
		Scheduler:          ta.sched.scheduler(),
		Clipboard:          a.Clipboard(),
		Clock:              ta.clock,
		KDF:                vault.CreateOptions{KDF: &floor},
		IgnoreVaultChanges: true,
	}
	for _, f := range setup {
		f(&o)
	}
	ctrl := appcore.New(o)
	ctrl.Open()
	u := New(a, ctrl)
	w := u.LoadUI()
	w.Resize(fyne.NewSize(960, 640))
	t.Cleanup(func() {
		if err := ctrl.Close(); err != nil {
			t.Errorf("closing the vault: %v", err)
		}
	})
	ta.u, ta.ctrl = u, ctrl
	return ta
}

// typeSecret types into a SecretEntry as a person would.
func typeSecret(e *SecretEntry, s string) {
	e.Wipe()
	test.Type(e, s)
}

const strongPassword = "violet Harbour 73 lantern quietly"

// createVault goes from the create screen to an unlocked, empty vault.
func (ta *testApp) createVault(pw string) {
	ta.t.Helper()
	c := ta.u.create
	if c == nil {
		ta.t.Fatal("the create screen is not shown")
	}
	typeSecret(c.pair.pw1, pw)
	typeSecret(c.pair.pw2, pw)
	test.Tap(c.submit)
	if ta.u.main == nil {
		ta.t.Fatalf("creating the vault did not show the main window; message: %q", c.pair.message.Text)
	}
}

// addItem adds an item through the Add menu and the editor.
func (ta *testApp) addItem(typ vault.Type, fields map[string]string) *editor {
	ta.t.Helper()
	m := ta.u.main
	test.Tap(m.addButton)
	if pop := ta.u.win.Canvas().Overlays().Top(); pop != nil {
		pop.Hide() // the Add menu; its items are run directly below
	}
	for _, mi := range m.addMenu.Items {
		if mi.Label == typeName(typ) {
			mi.Action()
		}
	}
	e := ta.u.editor
	if e == nil || e.it.Type != typ {
		ta.t.Fatalf("the editor for %v did not open", typ)
	}
	for f, v := range fields {
		if se := e.secrets[f]; se != nil {
			typeSecret(se, v)
			continue
		}
		en := e.entries[f]
		if en == nil {
			ta.t.Fatalf("the %v editor has no %q field", typ, f)
		}
		en.SetText("")
		test.Type(en, v)
	}
	test.Tap(e.save)
	return e
}

// titles returns the titles in the list.
func (ta *testApp) titles() []string {
	var out []string
	for _, it := range ta.ctrl.Items() {
		out = append(out, it.Title)
	}
	return out
}

// selectTitle selects the list row with the given title and returns the detail view.
func (ta *testApp) selectTitle(title string) *detailView {
	ta.t.Helper()
	for i, it := range ta.ctrl.Items() {
		if it.Title == title {
			ta.u.main.list.Select(i)
			if ta.u.main.detail == nil || ta.u.main.detail.it.Title != title {
				ta.t.Fatalf("selecting %q did not show it", title)
			}
			return ta.u.main.detail
		}
	}
	ta.t.Fatalf("%q is not in the list %q", title, ta.titles())
	return nil
}
