package ui

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/zalando/go-keyring"

	"github.com/valvpm/valv/account"
	"github.com/valvpm/valv/cloud/cloudtest"
	cloudsync "github.com/valvpm/valv/sync"
	"github.com/valvpm/valv/ui/appcore"
	"github.com/valvpm/valv/vault"
)

// openSyncSettings opens Settings from the main window and returns its Sync section.
func (sa *syncApp) openSyncSettings() *syncSection {
	sa.t.Helper()
	test.Tap(sa.u.main.settings)
	s := sa.u.syncUI.section
	if s == nil {
		sa.t.Fatal("Settings has no Sync section")
	}
	return s
}

// dangerOpened returns the dangerous action's dialog just opened, or fails.
func (sa *syncApp) dangerOpened(kind appcore.DangerKind, mode account.ConfirmMethod) *dangerDialog {
	sa.t.Helper()
	d := sa.u.syncUI.danger
	if d == nil || d.closed || d.core.Kind() != kind || d.core.Method() != mode {
		sa.t.Fatalf("the dialog for action %d confirmed by %d did not open", kind, mode)
	}
	return d
}

// TestDangerResetForgotten: Forgot master password? on the unlock screen of a linked
// vault; a wrong e-mailed code, then the right one; a new, empty vault everywhere, and
// the old one kept as a backup that the old password opens.
func TestDangerResetForgotten(t *testing.T) {
	env := cloudtest.Start(t)
	sa := linkedApp(t, env, "forgot@example.com")
	sa.addItem(vault.TypeNote, map[string]string{"title": "Before the reset"})
	sa.waitSync("the note pushed", func(st cloudsync.Status) bool { return st.State == cloudsync.StateSynced && st.Last.Pushed == 1 })
	p := downloadPeer(t, env, "forgot@example.com", strongPassword)
	test.Tap(sa.u.main.lock)

	test.Tap(sa.u.unlock.forgot)
	d := sa.dangerOpened(appcore.DangerReset, account.ByEmailCode)
	if !strings.Contains(d.sent.Text, "@example.com") {
		t.Errorf("no word of the e-mailed code: %q", d.sent.Text)
	}
	const newPW = "copper Lantern 44 drifting softly"
	code := env.LastCode(t, "forgot@example.com")
	d.code.SetText(otherCode(code))
	typeSecret(d.pair.pw1, newPW)
	typeSecret(d.pair.pw2, newPW)
	test.Tap(d.confirm)
	if !d.message.Visible() || !strings.Contains(d.message.Text, T("accountError.codeWrong")[:10]) {
		t.Errorf("wrong code: %q", d.message.Text)
	}
	if sa.u.unlock == nil {
		t.Fatal("a wrong code reset the vault")
	}
	d.code.SetText(code)
	typeSecret(d.pair.pw1, newPW)
	typeSecret(d.pair.pw2, newPW)
	test.Tap(d.confirm)
	if sa.u.main == nil {
		t.Fatalf("not in the new vault: %q", d.message.Text)
	}
	if n := len(sa.appTitles()); n != 0 {
		t.Errorf("the new vault has %d items", n)
	}
	backup := backupPath(t)
	if !backupHolds(t, backup, strongPassword, "Before the reset") {
		t.Error("the old vault is not in the backup")
	}
	if _, err := p.e.SyncOnce(context.Background()); !errors.Is(err, cloudsync.ErrReplaced) {
		t.Errorf("the other device after the reset: %v", err)
	}
	sa.waitSync("the new vault synced", isState(cloudsync.StateSynced))
	test.Tap(sa.u.main.lock)
	typeSecret(sa.u.unlock.pw, newPW)
	test.Tap(sa.u.unlock.submit)
	if sa.u.main == nil {
		t.Error("the new master password does not unlock")
	}
}

// otherCode is a well-formed code that is not code.
func otherCode(code string) string {
	if code == "000000" {
		return "111111"
	}
	return "000000"
}

// backupPath is the newest backup in the backup folder.
func backupPath(t *testing.T) string {
	t.Helper()
	dir, err := vault.BackupDir()
	if err != nil {
		t.Fatal(err)
	}
	l, _ := filepath.Glob(filepath.Join(dir, "*.db"))
	if len(l) == 0 {
		t.Fatal("no backup was written")
	}
	// The name ends in its UTC time; the prefix says whose backup it is.
	stamp := func(p string) string {
		return strings.TrimPrefix(strings.TrimPrefix(filepath.Base(p), "cloud-"), "vault-")
	}
	slices.SortFunc(l, func(a, b string) int { return strings.Compare(stamp(a), stamp(b)) })
	return l[len(l)-1]
}

// TestDangerReplaceAndClearByCode: Settings → Replace cloud vault… and Clear vault…
// with sync on, each confirmed by the e-mailed code and the master password.
func TestDangerReplaceAndClearByCode(t *testing.T) {
	env := cloudtest.Start(t)
	sa := linkedApp(t, env, "code@example.com")
	sa.addItem(vault.TypeNote, map[string]string{"title": "Mine"})
	sa.waitSync("the note pushed", func(st cloudsync.Status) bool { return st.State == cloudsync.StateSynced && st.Last.Pushed == 1 })
	p := downloadPeer(t, env, "code@example.com", strongPassword)
	p.v.Add(&vault.Item{Type: vault.TypeNote, Title: "Only there"})
	if _, err := p.e.SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}

	s := sa.openSyncSettings()
	test.Tap(s.replace)
	d := sa.dangerOpened(appcore.DangerReplace, account.ByEmailCode)
	sent := T("danger.codeSent", map[string]any{"Email": "co•••@example.com"})
	if d.sent.Text != sent || !d.sent.Visible() {
		t.Errorf("the note of the e-mailed code says %q, want %q", d.sent.Text, sent)
	}
	// Typing in either field keeps the note, and the dialog stays where it is.
	// laidOut lays the dialog out afresh, as the window does on its next refresh, and
	// says where its content is.
	laidOut := func() (fyne.Position, fyne.Size) {
		sa.u.win.Canvas().Overlays().Top().Refresh()
		return fyne.CurrentApp().Driver().AbsolutePositionForObject(d.box), d.box.Size()
	}
	at, size := laidOut()
	code := env.LastCode(t, "code@example.com")
	test.Type(d.code, otherCode(code))
	typeSecret(d.master, strongPassword)
	if d.sent.Text != sent || !d.sent.Visible() {
		t.Errorf("typing hid the note of the e-mailed code: %q", d.sent.Text)
	}
	if nowAt, nowSize := laidOut(); nowAt != at || nowSize != size {
		t.Errorf("typing moved the dialog from %v %v to %v %v", at, size, nowAt, nowSize)
	}
	// A wrong code empties the code and keeps the master password.
	test.Tap(d.confirm)
	if !strings.Contains(d.message.Text, T("accountError.codeWrong")[:10]) || d.code.Text != "" || d.master.Len() != len(strongPassword) {
		t.Errorf("wrong code: %q, code %q left, master password %d of %d characters left",
			d.message.Text, d.code.Text, d.master.Len(), len(strongPassword))
	}
	// A wrong master password empties only itself.
	d.code.SetText(code)
	d.master.Wipe()
	typeSecret(d.master, "not it")
	test.Tap(d.confirm)
	if d.message.Text != T("error.wrongPassword") || !d.core.HasToken() || d.master.Len() != 0 {
		t.Errorf("wrong master password: %q (token kept: %v, %d characters left)", d.message.Text, d.core.HasToken(), d.master.Len())
	}
	typeSecret(d.master, strongPassword)
	test.Tap(d.confirm) // the token of the code typed before is used: no new code needed
	if d.result == "" {
		t.Fatalf("replace: %q", d.message.Text)
	}
	// The cloud vault, with the other device's note, is in a backup that opens with
	// its master password.
	if !backupHolds(t, backupIn(t, d.stepDialog), strongPassword, "Only there") {
		t.Error("the backup of the replaced cloud vault does not hold its item")
	}
	if _, err := p.e.SyncOnce(context.Background()); !errors.Is(err, cloudsync.ErrReplaced) {
		t.Errorf("the other device after the replacement: %v", err)
	}
	sa.u.closeAllDialogs()

	s = sa.openSyncSettings()
	test.Tap(s.clear)
	d = sa.dangerOpened(appcore.DangerClear, account.ByEmailCode)
	test.Tap(d.resend)
	d.code.SetText(env.LastCode(t, "code@example.com"))
	typeSecret(d.master, strongPassword)
	test.Tap(d.confirm)
	if d.result == "" {
		t.Fatalf("clear: %q", d.message.Text)
	}
	if n := len(sa.appTitles()); n != 0 {
		t.Errorf("%d items after clearing", n)
	}
	if !backupHolds(t, backupIn(t, d.stepDialog), strongPassword, "Mine") {
		t.Error("the backup does not hold the cleared item")
	}
	sa.waitSync("syncing the cleared vault", isState(cloudsync.StateSynced))
}

// signInDemo signs the app's client in to a demo account through its steps (SMS code,
// subscription).
func (sa *syncApp) signInDemo(email, pw, phone string) {
	sa.t.Helper()
	cl, err := sa.ctrl.AccountClient()
	if err != nil {
		sa.t.Fatal(err)
	}
	ctx := context.Background()
	f := cl.NewFlow("")
	st, err := f.SignIn(ctx, email, pw)
	for i := 0; err == nil && st.Step != account.StepConnected && i < 5; i++ {
		switch st.Step {
		case account.StepSMSCode:
			st, err = f.ConfirmSMS(ctx, sa.env.LastCode(sa.t, phone))
		case account.StepChooseSubscription:
			st, err = f.ChooseLicence(st.Licences[0].ID)
		default:
			sa.t.Fatalf("demo sign-in stopped at %s", st.Step)
		}
	}
	if err != nil || st.Step != account.StepConnected {
		sa.t.Fatalf("demo sign-in: %v at %s", err, st.Step)
	}
}

// TestDangerClearSyncOffTwoStep: with sync off, clearing asks for the Valv Account
// password at "Enter your Valv Account password", then (two-step on) the SMS code,
// which Request code again sends anew; only this device is cleared.
func TestDangerClearSyncOffTwoStep(t *testing.T) {
	env := cloudtest.Start(t)
	seedDemo(t, env)
	sa := newSyncApp(t, env, true)
	sa.signInDemo("bob@example.com", "Bob-demo-1", "+15550100200")
	sa.createVault(strongPassword)
	sa.waitSync("the first upload", isState(cloudsync.StateSynced))
	sa.addItem(vault.TypeNote, map[string]string{"title": "Bob's note"})
	sa.waitSync("the note pushed", func(st cloudsync.Status) bool { return st.State == cloudsync.StateSynced && st.Last.Pushed == 1 })

	s := sa.openSyncSettings()
	s.enabled.SetChecked(false)
	if st, _ := sa.ctrl.SyncInfo(); st.Enabled || sa.ctrl.SyncStatus().State != cloudsync.StateOff {
		t.Fatal("sync did not turn off")
	}
	test.Tap(s.clear)
	d := sa.dangerOpened(appcore.DangerClear, account.ByAccountPassword)
	typeSecret(d.accountPW, "Wrong-pass-1")
	test.Tap(d.confirm)
	if d.message.Text != T("accountError.wrongPassword") {
		t.Errorf("wrong account password: %q", d.message.Text)
	}
	typeSecret(d.accountPW, "Bob-demo-1")
	test.Tap(d.confirm)
	if d.sms == nil || d.core.Step() != appcore.DangerSMS {
		t.Fatalf("no SMS step: %q", d.message.Text)
	}
	if b := d.box.Objects; len(b) == 0 || b[0].(*widget.Label).Text != T("sms.title") {
		t.Error("the SMS step is still titled as the account password step")
	}
	// Request code again: the wait first, then a new code that replaces the old one.
	old := env.LastCode(t, "+15550100200")
	test.Tap(d.resend)
	if d.message.Text != T("accountError.resendTooEarly") || d.sent.Text != "" {
		t.Errorf("resend at once: %q, %q", d.message.Text, d.sent.Text)
	}
	env.Clock.Advance(30 * time.Second)
	test.Tap(d.resend)
	if d.sent.Text != T("sms.sent") || d.message.Visible() || env.LastCode(t, "+15550100200") == old {
		t.Fatalf("resend after the wait: %q, %q", d.sent.Text, d.message.Text)
	}
	d.sms.SetText(env.LastCode(t, "+15550100200"))
	test.Tap(d.confirm)
	if d.result == "" {
		t.Fatalf("clear: %q", d.message.Text)
	}
	if n := len(sa.appTitles()); n != 0 {
		t.Errorf("%d items after clearing", n)
	}
	cl, _ := sa.ctrl.AccountClient()
	if pr, err := cl.Pull(context.Background(), 0, 10); err != nil || len(pr.Items) != 1 {
		t.Errorf("the cloud lost its copy with sync off: %v", err)
	}
}

// TestDangerClearProviderOnly: an account that signs in with a provider has no password
// to give; the step says why and how to set one (PRODUCT.md §4).
func TestDangerClearProviderOnly(t *testing.T) {
	keyring.MockInit()
	env := cloudtest.Start(t)
	sa := newSyncApp(t, env, true)
	cl, err := sa.ctrl.AccountClient()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	f := cl.NewFlow("")
	st, err := f.QuickSignIn(ctx, "google", "eu", func(start string) error { return playFirstProviderSignIn(t, start, "newbie@example.com") })
	for i := 0; err == nil && st.Step != account.StepConnected && i < 3; i++ {
		switch st.Step {
		case account.StepDataProvision:
			st, err = f.AcceptDataProvision(ctx)
		default:
			t.Fatalf("quick sign-in of a new e-mail stopped at %s", st.Step)
		}
	}
	if err != nil || st.Step != account.StepConnected {
		t.Fatalf("quick sign-in: %v at %s", err, st.Step)
	}
	sa.createVault(strongPassword)
	sa.waitSync("the first upload", isState(cloudsync.StateSynced))
	s := sa.openSyncSettings()
	s.enabled.SetChecked(false)
	test.Tap(s.clear)
	d := sa.dangerOpened(appcore.DangerClear, account.ByAccountPassword)
	typeSecret(d.accountPW, "Any-password-1")
	test.Tap(d.confirm)
	if d.website == nil || d.message.Text != T("accountError.wrongPassword") {
		t.Fatalf("no explanation for a provider-only account: %q", d.message.Text)
	}
	test.Tap(d.website)
	d.forgot.OnTapped()
	if len(sa.opened) != 2 || !strings.HasSuffix(sa.opened[0], "/portal") || !strings.HasSuffix(sa.opened[1], "/portal/forgot") {
		t.Errorf("opened %q", sa.opened)
	}
}

// playFirstProviderSignIn is the person at the browser signing in with a provider for
// the first time: allow at the provider, then the portal's welcome step (region, terms)
// creates the account, with no Valv Account password.
func playFirstProviderSignIn(t *testing.T, start, email string) error {
	return cloudtest.Browser{Email: email, FirstSignIn: true, Errorf: t.Errorf}.Open(start)
}

// TestDangerClearNotLinked: a vault with no account is cleared after its master password
// (no code can be e-mailed); the dialog is golden.
func TestDangerClearNotLinked(t *testing.T) {
	ta := newTestApp(t, true)
	sa := &syncApp{accountApp: &accountApp{testApp: ta}}
	sa.createVault(strongPassword)
	showDanger(sa.u, appcore.DangerClear)
	test.AssertRendersToMarkup(t, "danger_clear_local.xml", ta.u.win.Canvas())
	sa.u.closeAllDialogs()

	sa.addItem(vault.TypeNote, map[string]string{"title": "Local only"})
	s := sa.openSyncSettings()
	if s.replace.Visible() || !s.enabled.Disabled() {
		t.Error("Replace or sync offered with no account")
	}
	test.Tap(s.clear)
	d := sa.dangerOpened(appcore.DangerClear, account.ByMasterPassword)
	typeSecret(d.master, "wrong")
	test.Tap(d.confirm)
	if d.message.Text != T("error.wrongPassword") || len(sa.appTitles()) != 1 {
		t.Errorf("wrong master password: %q, %d items", d.message.Text, len(sa.appTitles()))
	}
	typeSecret(d.master, strongPassword)
	test.Tap(d.confirm)
	if d.result == "" || len(sa.appTitles()) != 0 {
		t.Fatalf("clear: %q", d.message.Text)
	}
	if !backupHolds(t, backupIn(t, d.stepDialog), strongPassword, "Local only") {
		t.Error("the backup does not hold the item")
	}
}

// TestDangerKeys: every text the dangerous actions build from their kind exists.
func TestDangerKeys(t *testing.T) {
	en := loadLanguage(t, "en")
	for _, k := range []appcore.DangerKind{appcore.DangerReset, appcore.DangerReplace, appcore.DangerClear} {
		for _, part := range []string{"Title", "Explain", "Confirm", "Done", "Button"} {
			if key := "danger." + k.Key() + part; en[key] == "" {
				t.Errorf("no English text for %s", key)
			}
		}
	}
}

// TestGoldenSyncLine: the status line when synced at a fixed time, and stopped.
func TestGoldenSyncLine(t *testing.T) {
	env := cloudtest.Start(t)
	sa := linkedApp(t, env, "golden@example.com")
	line := sa.u.syncUI.line
	sa.ctrl.StopSync()
	sa.q.drain()
	c := sa.u.win.Canvas()
	line.update(cloudsync.Status{State: cloudsync.StateSynced, LastSync: time.Date(2026, 1, 2, 3, 4, 0, 0, time.Local)})
	test.AssertRendersToMarkup(t, "sync_line_synced.xml", c)
	line.update(cloudsync.Status{State: cloudsync.StateError, Err: cloudsync.ErrRolledBack})
	test.AssertRendersToMarkup(t, "sync_line_refused.xml", c)
	test.Tap(line.resolve) // the whole sentence, which the line shortens
	if len(sa.u.dialogs) != 1 {
		t.Error("What to do… of a refused cloud says nothing")
	}
}
