package appcore

import (
	"context"
	"errors"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/valvpm/valv/account"
	"github.com/valvpm/valv/cloud/cloudtest"
	cloudsync "github.com/valvpm/valv/sync"
	"github.com/valvpm/valv/vault"
)

// dangerView records what a Danger asks its dialog to do.
type dangerView struct {
	busy    bool
	steps   []DangerStep
	note    DangerNote
	notes   int
	cleared []DangerField
}

func (v *dangerView) Busy(on bool)        { v.busy = on }
func (v *dangerView) Step(s DangerStep)   { v.steps = append(v.steps, s) }
func (v *dangerView) Say(n DangerNote)    { v.note = n; v.notes++ }
func (v *dangerView) Clear(f DangerField) { v.cleared = append(v.cleared, f) }

// accountCore is a controller over a real vault with an account of env; sync's news
// is dropped (these tests look at the vault and the cloud, not the status line).
func accountCore(t *testing.T, env *cloudtest.Env) *testCore {
	t.Helper()
	acc := testAccountOptions(env)
	return newTestCore(t, DefaultSettings(), func(o *Options) {
		o.Accounts = &acc
		o.Sync = SyncOptions{Interval: time.Hour, OnUI: func(func()) {}}
	})
}

// testAccountOptions point the app at env with a memory session store.
func testAccountOptions(env *cloudtest.Env) AccountOptions {
	store := &account.MemoryStore{}
	return AccountOptions{
		URL: env.URL,
		New: func(u string) (*account.Client, error) {
			return account.New(u, account.Options{Store: store, ClientName: account.ClientName("Valv"), Now: env.Clock.Now})
		},
		OpenURL: func(string) error { return nil },
		Region:  "eu",
	}
}

// signInCore signs the controller's client in to email through its steps.
func signInCore(t *testing.T, tc *testCore, env *cloudtest.Env, email, pw, phone string) {
	t.Helper()
	cl, err := tc.AccountClient()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	f := cl.NewFlow("")
	st, err := f.SignIn(ctx, email, pw)
	for i := 0; err == nil && st.Step != account.StepConnected && i < 5; i++ {
		switch st.Step {
		case account.StepSMSCode:
			st, err = f.ConfirmSMS(ctx, env.LastCode(t, phone))
		case account.StepChooseSubscription:
			st, err = f.ChooseLicence(st.Licences[0].ID)
		default:
			t.Fatalf("sign-in stopped at %s", st.Step)
		}
	}
	if err != nil || st.Step != account.StepConnected {
		t.Fatalf("sign-in: %v at %s", err, st.Step)
	}
}

// linkedCore is a vault linked to a new account email, with one note, synced.
func linkedCore(t *testing.T, env *cloudtest.Env, email string) *testCore {
	t.Helper()
	createCloudAccount(t, env, email, "eu")
	tc := accountCore(t, env)
	signInCore(t, tc, env, email, accountPW, "")
	tc.create(t) // links: an empty cloud takes this vault
	if st, ok := tc.SyncInfo(); !ok || !st.Linked || !st.Enabled {
		t.Fatalf("the vault did not link: %+v", st)
	}
	addNote(t, tc, "Mine")
	return tc
}

func addNote(t *testing.T, tc *testCore, title string) {
	t.Helper()
	if _, err := tc.Save(&vault.Item{Type: vault.TypeNote, Title: title}); err != nil {
		t.Fatal(err)
	}
}

// pushNow syncs the vault with the cloud at once, as the runner would soon.
func pushNow(t *testing.T, tc *testCore) {
	t.Helper()
	v, err := tc.Unlocked()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cloudsync.New(v, tc.SignedInClient()).SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func countItems(t *testing.T, tc *testCore) int {
	t.Helper()
	v, err := tc.Unlocked()
	if err != nil {
		t.Fatal(err)
	}
	l, err := v.List(vault.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	return len(l)
}

// TestDangerModes: how each action is confirmed follows from the link and the session,
// and what the first step needs follows from how.
func TestDangerModes(t *testing.T) {
	env := cloudtest.Start(t)
	local := accountCore(t, env)
	local.create(t)
	tc := linkedCore(t, env, "modes@example.com")
	for _, c := range []struct {
		name string
		tc   *testCore
		kind DangerKind
		mode account.ConfirmMethod
		need DangerNeeds
	}{
		{"clear, no account", local, DangerClear, account.ByMasterPassword, DangerNeeds{Master: true}},
		{"reset, no account", local, DangerReset, account.ByConsent, DangerNeeds{NewPassword: true}},
		{"clear, sync on", tc, DangerClear, account.ByEmailCode, DangerNeeds{Code: true, Master: true}},
		{"replace", tc, DangerReplace, account.ByEmailCode, DangerNeeds{Code: true, Master: true}},
		{"reset, linked", tc, DangerReset, account.ByEmailCode, DangerNeeds{Code: true, NewPassword: true}},
	} {
		d, err := c.tc.NewDanger(c.kind, &dangerView{})
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if d.Method() != c.mode || d.Needs() != c.need {
			t.Errorf("%s: mode %d, needs %+v; want %d, %+v", c.name, d.Method(), d.Needs(), c.mode, c.need)
		}
	}
	if _, err := local.NewDanger(DangerReplace, &dangerView{}); !errors.Is(err, account.ErrNotSignedIn) {
		t.Errorf("replace with no account: %v", err)
	}
	if err := tc.SetSyncEnabled(false); err != nil {
		t.Fatal(err)
	}
	if d, _ := tc.NewDanger(DangerClear, &dangerView{}); d.Method() != account.ByAccountPassword || d.Needs() != (DangerNeeds{AccountPassword: true}) {
		t.Errorf("clear, sync off: mode %d, needs %+v", d.Method(), d.Needs())
	}
	if d, _ := tc.NewDanger(DangerReset, &dangerView{}); d.Method() != account.ByEmailCode {
		t.Errorf("reset with sync off is still confirmed by e-mail: %d", d.Method())
	}
	cl, _ := tc.AccountClient()
	if err := cl.SignOut(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := tc.NewDanger(DangerClear, &dangerView{}); !errors.Is(err, account.ErrNotSignedIn) {
		t.Errorf("linked, signed out: %v", err)
	}
}

// TestDangerClearByCode: the code is asked for at once; a wrong code empties its field
// and only that; the right code with a wrong master password keeps the token, so the
// next try needs only the master password (its field emptied); then the vault is empty and its backup holds the note.
func TestDangerClearByCode(t *testing.T) {
	env := cloudtest.Start(t)
	tc := linkedCore(t, env, "clear@example.com")
	v := &dangerView{}
	d, err := tc.NewDanger(DangerClear, v)
	if err != nil {
		t.Fatal(err)
	}
	d.Start()
	if v.note.SentTo == "" || v.note.Err != nil || v.busy {
		t.Fatalf("no code sent: %+v", v.note)
	}
	code := env.LastCode(t, "clear@example.com")
	d.Confirm(DangerInput{Code: otherCode(code), Master: []byte(strongPassword)})
	if !errors.Is(v.note.Err, account.ErrCodeWrong) || !slices.Equal(v.cleared, []DangerField{FieldCode}) || d.HasToken() {
		t.Errorf("wrong code: %+v, cleared %v, token %v", v.note, v.cleared, d.HasToken())
	}
	master := []byte("not it")
	d.Confirm(DangerInput{Code: code, Master: master})
	if !errors.Is(v.note.Err, vault.ErrWrongPassword) || !d.HasToken() || d.Needs().Code {
		t.Errorf("wrong master password: %+v, token %v, needs %+v", v.note, d.HasToken(), d.Needs())
	}
	if !slices.Equal(v.cleared, []DangerField{FieldCode, FieldMaster}) {
		t.Errorf("cleared %v: a wrong code empties only the code, a wrong master password only itself", v.cleared)
	}
	if string(master) != "\x00\x00\x00\x00\x00\x00" {
		t.Error("the master password was not wiped after use")
	}
	if n := countItems(t, tc); n != 1 {
		t.Fatalf("a wrong master password cleared the vault: %d items", n)
	}
	d.Confirm(DangerInput{Master: []byte(strongPassword)})
	if d.Step() != DangerDone || len(v.steps) != 1 || v.steps[0] != DangerDone {
		t.Fatalf("not done: step %d, steps %v, note %+v", d.Step(), v.steps, v.note)
	}
	if n := countItems(t, tc); n != 0 {
		t.Errorf("%d items after clearing", n)
	}
	if _, err := os.Stat(d.Backup()); err != nil {
		t.Errorf("the backup %q: %v", d.Backup(), err)
	}
	// Done is done: a second Confirm does nothing.
	d.Confirm(DangerInput{Master: []byte(strongPassword)})
	if len(v.steps) != 1 {
		t.Errorf("confirmed twice: %v", v.steps)
	}
}

// TestDangerClearTwoStep: with sync off, bob's account password, then the SMS code of
// two-step verification (an expired one sends the dialog back to the password; Request
// code again sends a new one after its wait); only this device is cleared.
func TestDangerClearTwoStep(t *testing.T) {
	env := cloudtest.Start(t)
	seedDemo(t, env)
	tc := accountCore(t, env)
	signInCore(t, tc, env, "bob@example.com", "Bob-demo-1", "+15550100200")
	tc.create(t)
	addNote(t, tc, "Bob's note")
	pushNow(t, tc)
	if err := tc.SetSyncEnabled(false); err != nil {
		t.Fatal(err)
	}
	v := &dangerView{}
	d, err := tc.NewDanger(DangerClear, v)
	if err != nil {
		t.Fatal(err)
	}
	d.Start() // nothing to e-mail
	if v.notes != 0 {
		t.Errorf("a code was asked for with sync off: %+v", v.note)
	}
	d.Confirm(DangerInput{AccountPassword: []byte("Wrong-pass-1")})
	if !errors.Is(v.note.Err, account.ErrWrongPassword) || d.Step() != DangerAsk {
		t.Errorf("wrong account password: %+v at step %d", v.note, d.Step())
	}
	d.Confirm(DangerInput{AccountPassword: []byte("Bob-demo-1")})
	if d.Step() != DangerSMS || d.PhoneHint() == "" || d.Needs() != (DangerNeeds{SMSCode: true}) {
		t.Fatalf("no SMS step: %d, %q, needs %+v, note %+v", d.Step(), d.PhoneHint(), d.Needs(), v.note)
	}
	// An SMS code typed too late: back to the password, which sends a new one.
	env.Clock.Advance(6 * time.Minute)
	d.Confirm(DangerInput{SMSCode: env.LastCode(t, "+15550100200")})
	if !errors.Is(v.note.Err, account.ErrCodeExpired) || d.Step() != DangerAsk || !d.Needs().AccountPassword {
		t.Fatalf("expired SMS code: %+v at step %d, needs %+v", v.note, d.Step(), d.Needs())
	}
	d.Confirm(DangerInput{AccountPassword: []byte("Bob-demo-1")})
	if d.Step() != DangerSMS {
		t.Fatalf("no new SMS step: %d, %+v", d.Step(), v.note)
	}
	// Request code again: the wait is said first; after it, a new code replaces the old.
	old := env.LastCode(t, "+15550100200")
	d.ResendSMS()
	if !errors.Is(v.note.Err, account.ErrResendTooEarly) || d.Step() != DangerSMS || v.busy {
		t.Errorf("resend at once: %+v at step %d", v.note, d.Step())
	}
	env.Clock.Advance(30 * time.Second)
	d.ResendSMS()
	if v.note != (DangerNote{SMSSent: true}) || d.Step() != DangerSMS || env.LastCode(t, "+15550100200") == old {
		t.Fatalf("resend after the wait: %+v at step %d", v.note, d.Step())
	}
	d.Confirm(DangerInput{SMSCode: old})
	if !errors.Is(v.note.Err, account.ErrCodeWrong) || d.Step() != DangerSMS {
		t.Fatalf("the replaced SMS code: %+v at step %d", v.note, d.Step())
	}
	d.Confirm(DangerInput{SMSCode: env.LastCode(t, "+15550100200")})
	if d.Step() != DangerDone || countItems(t, tc) != 0 {
		t.Fatalf("not cleared: step %d, note %+v", d.Step(), v.note)
	}
	cl, _ := tc.AccountClient()
	if pr, err := cl.Pull(context.Background(), 0, 10); err != nil || len(pr.Items) != 1 {
		t.Errorf("the cloud lost its copy with sync off: %v", err)
	}
}

// TestDangerProviderOnly: an account that signs in with a provider has no password to
// give; the step says so instead of only "wrong password".
func TestDangerProviderOnly(t *testing.T) {
	env := cloudtest.Start(t)
	tc := accountCore(t, env)
	cl, err := tc.AccountClient()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	f := cl.NewFlow("")
	st, err := f.QuickSignIn(ctx, "google", "eu", cloudtest.Browser{Email: "newbie@example.com", FirstSignIn: true, Errorf: t.Errorf}.Open)
	if err == nil && st.Step == account.StepDataProvision {
		st, err = f.AcceptDataProvision(ctx)
	}
	if err != nil || st.Step != account.StepConnected {
		t.Fatalf("quick sign-in: %v at %s", err, st.Step)
	}
	tc.create(t)
	if err := tc.SetSyncEnabled(false); err != nil {
		t.Fatal(err)
	}
	v := &dangerView{}
	d, err := tc.NewDanger(DangerClear, v)
	if err != nil {
		t.Fatal(err)
	}
	d.Confirm(DangerInput{AccountPassword: []byte("Any-password-1")})
	if d.Step() != DangerNoPassword || !errors.Is(v.note.Err, account.ErrWrongPassword) {
		t.Errorf("provider-only: step %d, note %+v", d.Step(), v.note)
	}
	if !d.Needs().AccountPassword {
		t.Error("once a password is set, the same step takes it")
	}
}

// TestDangerClearLocal: a vault with no account is cleared with its master password.
func TestDangerClearLocal(t *testing.T) {
	tc := newTestCore(t, DefaultSettings())
	tc.create(t)
	addNote(t, tc, "Local only")
	v := &dangerView{}
	d, err := tc.NewDanger(DangerClear, v)
	if err != nil {
		t.Fatal(err)
	}
	d.Confirm(DangerInput{Master: []byte("wrong")})
	if !errors.Is(v.note.Err, vault.ErrWrongPassword) || countItems(t, tc) != 1 {
		t.Fatalf("wrong master password: %+v", v.note)
	}
	d.Confirm(DangerInput{Master: []byte(strongPassword)})
	if d.Step() != DangerDone || countItems(t, tc) != 0 || d.Backup() == "" {
		t.Fatalf("clear: step %d, note %+v", d.Step(), v.note)
	}
}

// TestDangerResetLocal: with no account, a forgotten master password starts a new,
// empty vault after plain consent; the old one stays as a backup.
func TestDangerResetLocal(t *testing.T) {
	tc := newTestCore(t, DefaultSettings())
	tc.create(t)
	addNote(t, tc, "Forgotten")
	tc.Lock()
	v := &dangerView{}
	d, err := tc.NewDanger(DangerReset, v)
	if err != nil || d.Method() != account.ByConsent {
		t.Fatalf("reset: mode %v, %v", d, err)
	}
	const newPW = "copper Lantern 44 drifting softly"
	d.Confirm(DangerInput{NewPassword: []byte(newPW)})
	if d.Step() != DangerDone || tc.Stage() != StageUnlocked || countItems(t, tc) != 0 {
		t.Fatalf("reset: step %d, stage %v, note %+v", d.Step(), tc.Stage(), v.note)
	}
	b, err := vault.Open(d.Backup())
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := b.Unlock([]byte(strongPassword)); err != nil {
		t.Errorf("the old master password does not open the backup: %v", err)
	}
}

// TestDangerClosed: a dialog closed while its call runs hears nothing more; the
// action still completes, and sync, stopped for it, runs again.
func TestDangerClosed(t *testing.T) {
	env := cloudtest.Start(t)
	tc := linkedCore(t, env, "closed@example.com")
	q := newQueued(t)
	tc.run = q.scheduler()
	v := &dangerView{}
	d, err := tc.NewDanger(DangerClear, v)
	if err != nil {
		t.Fatal(err)
	}
	d.Start()
	q.pump("the code", func() bool { return v.notes == 1 })
	d.Confirm(DangerInput{Code: env.LastCode(t, "closed@example.com"), Master: []byte(strongPassword)})
	if tc.syncing() {
		t.Fatal("sync runs during the action")
	}
	d.Close()
	q.pump("sync to run again", tc.syncing)
	if v.notes != 1 || len(v.steps) != 0 || !v.busy {
		t.Errorf("a closed dialog heard more: %+v, steps %v", v.note, v.steps)
	}
	if n := countItems(t, tc); n != 0 {
		t.Errorf("the action did not complete: %d items", n)
	}
}

// syncing reports whether the sync runner is on.
func (tc *testCore) syncing() bool {
	tc.cloud.mu.Lock()
	defer tc.cloud.mu.Unlock()
	return tc.cloud.runner != nil
}
