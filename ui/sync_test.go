package ui

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/valvpm/valv/account"
	"github.com/valvpm/valv/cloud/api"
	"github.com/valvpm/valv/cloud/cloudtest"
	cloudsync "github.com/valvpm/valv/sync"
	"github.com/valvpm/valv/ui/appcore"
	"github.com/valvpm/valv/vault"
)

// cloudPW is the master password of a vault made on the simulated other device.
const cloudPW = "amber Orchard 58 compass slowly"

// syncApp is the app on this device, with the sync runner's news queued for the test
// goroutine (the runner lives on its own goroutine; widgets are touched on one only).
type syncApp struct {
	*accountApp
	q *uiQueue
}

// uiQueue holds UI callbacks until the test runs them, as the app's event loop would.
type uiQueue struct {
	mu   sync.Mutex
	fs   []func()
	news chan struct{} // signalled after each push, so a waiting test wakes up
}

func newUIQueue() *uiQueue { return &uiQueue{news: make(chan struct{}, 1)} }

func (q *uiQueue) push(f func()) {
	q.mu.Lock()
	q.fs = append(q.fs, f)
	q.mu.Unlock()
	select {
	case q.news <- struct{}{}:
	default: // a wake-up is pending already
	}
}

func (q *uiQueue) drain() {
	for {
		q.mu.Lock()
		fs := q.fs
		q.fs = nil
		q.mu.Unlock()
		if len(fs) == 0 {
			return
		}
		for _, f := range fs {
			f()
		}
	}
}

// newSyncApp starts the app past the welcome window, with a short debounce so a change
// is pushed at once, and no timer sync during the test.
func newSyncApp(t *testing.T, env *cloudtest.Env, offline bool, tweak ...func(*appcore.AccountOptions)) *syncApp {
	t.Helper()
	q := newUIQueue()
	opts := appcore.SyncOptions{Debounce: 20 * time.Millisecond, Interval: time.Hour, OnUI: q.push, NoLive: true}
	sa := &syncApp{accountApp: newAccountAppWith(t, env, offline, func(o *appcore.Options) { o.Sync = opts }, tweak...), q: q}
	t.Cleanup(sa.ctrl.StopSync)
	return sa
}

// signInClient signs the app's client in to email directly (the account windows have
// their own tests).
func (sa *syncApp) signInClient(email, pw string) {
	sa.t.Helper()
	cl, err := sa.ctrl.AccountClient()
	if err != nil {
		sa.t.Fatal(err)
	}
	st, err := cl.NewFlow("").SignIn(context.Background(), email, pw)
	if err != nil || st.Step != account.StepConnected {
		sa.t.Fatalf("signing in %s: %v at %s", email, err, st.Step)
	}
}

// waitSync runs queued UI callbacks until the sync status satisfies ok. Every change
// of status comes through the queue, so it waits for the next one in between.
func (sa *syncApp) waitSync(what string, ok func(cloudsync.Status) bool) cloudsync.Status {
	sa.t.Helper()
	deadline := time.After(15 * time.Second)
	for {
		sa.q.drain()
		st := sa.ctrl.SyncStatus()
		// The status line learns the status through the UI queue, after the controller:
		// wait for it too, or a tap on its Sync now could meet the button still
		// disabled from the sync before.
		if ok(st) && sa.lineShows(st) {
			return st
		}
		select {
		case <-sa.q.news:
		case <-deadline:
			sa.t.Fatalf("waited 15 s for %s; status %v (%v)", what, st.State, st.Err)
		}
	}
}

// lineShows reports whether the main window's status line (when there is one) shows st.
func (sa *syncApp) lineShows(st cloudsync.Status) bool {
	line := sa.u.syncUI.line
	if line == nil || sa.u.main == nil || sa.u.main.syncLine != line {
		return true
	}
	shown := line.status
	return shown.State == st.State && shown.LastSync.Equal(st.LastSync) && shown.Pending == st.Pending
}

func isState(s cloudsync.State) func(cloudsync.Status) bool {
	return func(st cloudsync.Status) bool { return st.State == s }
}

// appTitles lists the titles in the app's vault.
func (ta *testApp) appTitles() []string {
	ta.t.Helper()
	v, err := ta.ctrl.Unlocked()
	if err != nil {
		ta.t.Fatal("the vault is not open")
	}
	l, err := v.List(vault.Filter{})
	if err != nil {
		ta.t.Fatal(err)
	}
	var out []string
	for _, it := range l {
		out = append(out, it.Title)
	}
	return out
}

// peer is another device of the same account, driven through the sync engine.
type peer struct {
	v *vault.Vault
	c *account.Client
	e *cloudsync.Engine
}

func signedInClient(t *testing.T, env *cloudtest.Env, email string) *account.Client {
	t.Helper()
	c, err := account.New(env.URL, account.Options{Now: env.Clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	if st, err := c.NewFlow("").SignIn(context.Background(), email, accountPW); err != nil || st.Step != account.StepConnected {
		t.Fatalf("peer sign-in: %v at %s", err, st.Step)
	}
	return c
}

// uploadPeer makes the account's cloud vault on another device, with items.
func uploadPeer(t *testing.T, env *cloudtest.Env, email string, titles ...string) *peer {
	t.Helper()
	kdf := vault.FloorKDF()
	v, err := vault.Create(filepath.Join(t.TempDir(), "peer.db"), []byte(cloudPW), vault.CreateOptions{KDF: &kdf})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { v.Close() })
	for _, title := range titles {
		if _, err := v.Add(&vault.Item{Type: vault.TypeNote, Title: title}); err != nil {
			t.Fatal(err)
		}
	}
	p := &peer{v: v, c: signedInClient(t, env, email)}
	p.e = cloudsync.New(v, p.c)
	if _, err := p.e.Upload(context.Background(), []byte(cloudPW)); err != nil {
		t.Fatal(err)
	}
	return p
}

// downloadPeer is another device that takes the account's vault (master password pw).
func downloadPeer(t *testing.T, env *cloudtest.Env, email, pw string) *peer {
	t.Helper()
	c := signedInClient(t, env, email)
	v, _, err := cloudsync.Download(context.Background(), c, filepath.Join(t.TempDir(), "peer.db"), []byte(pw), env.URL, email)
	if err != nil {
		t.Fatalf("peer download: %v", err)
	}
	t.Cleanup(func() { v.Close() })
	return &peer{v: v, c: c, e: cloudsync.New(v, c)}
}

func (p *peer) titles(t *testing.T) []string {
	t.Helper()
	l, err := p.v.List(vault.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, it := range l {
		out = append(out, it.Title)
	}
	return out
}

func has(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// linkedApp is an app whose new vault (master password strongPassword) was uploaded
// to email's empty cloud at creation (an empty cloud takes this vault).
func linkedApp(t *testing.T, env *cloudtest.Env, email string) *syncApp {
	t.Helper()
	createCloudAccount(t, env, email, "eu")
	sa := newSyncApp(t, env, true)
	sa.signInClient(email, accountPW)
	sa.createVault(strongPassword)
	sa.waitSync("the first upload", isState(cloudsync.StateSynced))
	return sa
}

// TestSyncStatusLine: an empty cloud takes the vault at creation, Synced on the status line, a change
// pushed by itself, another device's change pulled by Sync now, and Offline once the
// server is gone.
func TestSyncStatusLine(t *testing.T) {
	env := cloudtest.Start(t)
	sa := linkedApp(t, env, "line@example.com")
	line := sa.u.syncUI.line
	if line == nil || sa.u.main.syncLine != line {
		t.Fatal("no status line on the main window")
	}
	if !strings.HasPrefix(line.label.Text, strings.Split(T("sync.synced", map[string]any{"Time": ""}), " ")[0]) {
		t.Errorf("status line after linking: %q", line.label.Text)
	}
	if st, _ := sa.ctrl.SyncInfo(); !st.Linked || !st.Enabled || st.Account != "line@example.com" {
		t.Errorf("sync state after linking: %+v", st)
	}

	sa.addItem(vault.TypeNote, map[string]string{"title": "Typed here"})
	sa.waitSync("the change pushed", func(st cloudsync.Status) bool { return st.State == cloudsync.StateSynced && st.Last.Pushed == 1 })
	p := downloadPeer(t, env, "line@example.com", strongPassword)
	if !has(p.titles(t), "Typed here") {
		t.Fatalf("the other device has %q", p.titles(t))
	}

	if _, err := p.v.Add(&vault.Item{Type: vault.TypeNote, Title: "From the laptop"}); err != nil {
		t.Fatal(err)
	}
	if _, err := p.e.SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	test.Tap(line.syncNow)
	sa.waitSync("the other device's change", func(st cloudsync.Status) bool {
		return st.State == cloudsync.StateSynced && has(sa.appTitles(), "From the laptop")
	})

	env.HTTP.Close()
	test.Tap(line.syncNow)
	sa.waitSync("offline", isState(cloudsync.StateOffline))
	if line.label.Text != T("sync.offline") {
		t.Errorf("offline status line: %q", line.label.Text)
	}

	// Locking stops the runner; the status says off.
	test.Tap(sa.u.main.lock)
	if st := sa.ctrl.SyncStatus(); st.State != cloudsync.StateOff {
		t.Errorf("after locking: %v", st.State)
	}
}

// TestSyncLinkDownload: right after signing in on a device with no
// vault, the account's vault comes down with its master password (wrong, then right).
func TestSyncLinkDownload(t *testing.T) {
	env := cloudtest.Start(t)
	createCloudAccount(t, env, "down@example.com", "eu")
	uploadPeer(t, env, "down@example.com", "Bank", "Mail")
	sa := newSyncApp(t, env, false)
	test.Tap(sa.u.welcome.signIn)
	sa.signIn("down@example.com", accountPW)
	test.Tap(onScreen[*connectedScreen](sa.accountApp, appcore.ScreenConnected).submit) // Continue
	d := sa.u.syncUI.password
	if sa.u.create == nil || d == nil || d.closed {
		t.Fatal("no download offer over the create screen")
	}
	typeSecret(d.pw, "not the password")
	test.Tap(d.submit)
	if !d.message.Visible() || d.message.Text != T("error.wrongPassword") {
		t.Errorf("wrong password: %q", d.message.Text)
	}
	if _, err := os.Stat(filepath.Join(sa.dir, "vault.db")); err == nil {
		t.Error("a wrong password left a vault file")
	}
	typeSecret(d.pw, cloudPW)
	test.Tap(d.submit)
	if sa.u.main == nil {
		t.Fatalf("not in the vault after the download (message %q)", d.message.Text)
	}
	if got := sa.appTitles(); len(got) != 2 || !has(got, "Bank") {
		t.Errorf("downloaded %q", got)
	}
	sa.waitSync("syncing the downloaded vault", isState(cloudsync.StateSynced))
}

// twoVaultsApp has two vaults: one here (master password strongPassword, one
// note), another in the account's cloud; signing in asks what to do.
func twoVaultsApp(t *testing.T, env *cloudtest.Env, email string) (*syncApp, *peer, *linkChoice) {
	t.Helper()
	createCloudAccount(t, env, email, "eu")
	p := uploadPeer(t, env, email, "Cloud note")
	sa := newSyncApp(t, env, true)
	sa.createVault(strongPassword)
	sa.addItem(vault.TypeNote, map[string]string{"title": "Local note"})
	sa.signInClient(email, accountPW)
	sa.u.showStage()
	sa.u.afterConnect()
	sa.waitSync("the choice", isState(cloudsync.StateError))
	c := sa.u.syncUI.choice
	if c == nil || c.closed {
		t.Fatalf("no choice between the two vaults; status %q", sa.u.syncUI.line.label.Text)
	}
	return sa, p, c
}

// TestSyncLinkChoice: each answer of Two vaults.
func TestSyncLinkChoice(t *testing.T) {
	t.Run("merge", func(t *testing.T) {
		env := cloudtest.Start(t)
		sa, p, c := twoVaultsApp(t, env, "merge@example.com")
		test.Tap(c.merge)
		typeSecret(c.pw, strongPassword) // this vault's, not the cloud's
		test.Tap(c.submit)
		if c.message.Text != T("error.wrongPassword") {
			t.Errorf("wrong cloud password: %q", c.message.Text)
		}
		if sa.u.main == nil || !has(sa.appTitles(), "Local note") {
			t.Fatal("a wrong password changed the vault here")
		}
		typeSecret(c.pw, cloudPW)
		test.Tap(c.submit)
		if got := sa.appTitles(); len(got) != 2 || !has(got, "Cloud note") || !has(got, "Local note") {
			t.Fatalf("merged vault %q (message %q)", got, c.message.Text)
		}
		if _, err := p.e.SyncOnce(context.Background()); err != nil || !has(p.titles(t), "Local note") {
			t.Errorf("the other device after the merge: %v %q", err, p.titles(t))
		}
		sa.waitSync("syncing the merged vault", isState(cloudsync.StateSynced))
	})
	t.Run("keep cloud", func(t *testing.T) {
		env := cloudtest.Start(t)
		sa, _, c := twoVaultsApp(t, env, "keep@example.com")
		test.Tap(c.keep)
		typeSecret(c.pw, cloudPW)
		test.Tap(c.submit)
		if got := sa.appTitles(); len(got) != 1 || got[0] != "Cloud note" {
			t.Fatalf("kept the cloud vault: %q", got)
		}
		backup := backupIn(t, c.stepDialog)
		if !backupHolds(t, backup, strongPassword, "Local note") {
			t.Error("this device's vault is not in the backup")
		}
	})
	t.Run("replace cloud", func(t *testing.T) {
		env := cloudtest.Start(t)
		sa, p, c := twoVaultsApp(t, env, "repl@example.com")
		test.Tap(c.replace)
		d := sa.u.syncUI.danger
		if d == nil || d.core.Kind() != appcore.DangerReplace || d.core.Method() != account.ByEmailCode {
			t.Fatal("replace did not open its confirmation")
		}
		d.code.SetText(env.LastCode(t, "repl@example.com"))
		typeSecret(d.master, strongPassword)
		test.Tap(d.confirm)
		if d.result == "" {
			t.Fatalf("not replaced: %q", d.message.Text)
		}
		if _, err := p.e.SyncOnce(context.Background()); !errors.Is(err, cloudsync.ErrReplaced) {
			t.Errorf("the other device after the replacement: %v", err)
		}
		sa.waitSync("syncing the replacement", isState(cloudsync.StateSynced))
	})
}

// backupIn returns the newest backup, after checking that d's result names it.
func backupIn(t *testing.T, d *stepDialog) string {
	t.Helper()
	path := backupPath(t)
	if len(d.box.Objects) == 0 {
		t.Fatal("the dialog shows nothing")
	}
	if msg, ok := d.box.Objects[0].(*widget.Label); !ok || !strings.Contains(msg.Text, path) {
		t.Errorf("the result does not name the backup %s", path)
	}
	return path
}

// backupHolds opens a backup with pw and reports whether it holds title.
func backupHolds(t *testing.T, path, pw, title string) bool {
	t.Helper()
	b, err := vault.Open(path)
	if err != nil {
		t.Fatalf("backup %s: %v", path, err)
	}
	defer b.Close()
	if err := b.Unlock([]byte(pw)); err != nil {
		t.Fatalf("backup unlock: %v", err)
	}
	l, _ := b.Search(title, vault.Filter{})
	return len(l) == 1
}

// TestSyncPasswordChangedElsewhere: another device changes the master password; this
// one asks for the new one, keeps its own pending change, and unlocks with it after.
func TestSyncPasswordChangedElsewhere(t *testing.T) {
	env := cloudtest.Start(t)
	sa := linkedApp(t, env, "pwchg@example.com")
	p := downloadPeer(t, env, "pwchg@example.com", strongPassword)
	const newPW = "granite Meadow 91 whistle brightly"
	if err := p.v.ChangeMasterPassword([]byte(strongPassword), []byte(newPW)); err != nil {
		t.Fatal(err)
	}
	if _, err := p.e.SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	sa.ctrl.SyncNow()
	sa.waitSync("the password change", func(st cloudsync.Status) bool { return st.PasswordChanged })
	d := sa.u.syncUI.password
	if d == nil || d.closed || sa.u.syncUI.line.label.Text != T("sync.passwordChangedShort") {
		t.Fatalf("no prompt for the new master password; status %q", sa.u.syncUI.line.label.Text)
	}
	typeSecret(d.pw, strongPassword) // the old one
	test.Tap(d.submit)
	if !d.message.Visible() {
		t.Error("the old password was taken")
	}
	typeSecret(d.pw, newPW)
	test.Tap(d.submit)
	if d.message.Visible() {
		t.Fatalf("the new password was refused: %q", d.message.Text)
	}
	sa.waitSync("syncing after the new password", func(st cloudsync.Status) bool { return st.State == cloudsync.StateSynced && !st.PasswordChanged })
	test.Tap(sa.u.main.lock)
	typeSecret(sa.u.unlock.pw, newPW)
	test.Tap(sa.u.unlock.submit)
	if sa.u.main == nil {
		t.Error("the new master password does not unlock this device")
	}
}

// TestSyncReplacedElsewhere: another device replaces the cloud vault; this device
// takes it with that vault's master password and keeps its own as a backup.
func TestSyncReplacedElsewhere(t *testing.T) {
	env := cloudtest.Start(t)
	sa := linkedApp(t, env, "gone@example.com")
	sa.addItem(vault.TypeNote, map[string]string{"title": "Only here"})
	sa.waitSync("the note pushed", func(st cloudsync.Status) bool { return st.State == cloudsync.StateSynced && st.Last.Pushed == 1 })

	// The other device has its own vault and replaces the cloud's with it.
	kdf := vault.FloorKDF()
	v, err := vault.Create(filepath.Join(t.TempDir(), "other.db"), []byte(cloudPW), vault.CreateOptions{KDF: &kdf})
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	v.Add(&vault.Item{Type: vault.TypeNote, Title: "Replacement"})
	c := signedInClient(t, env, "gone@example.com")
	if _, err := c.RequestActionCode(context.Background(), api.ActionReplaceCloudVault); err != nil {
		t.Fatal(err)
	}
	tok, err := c.ActionToken(context.Background(), api.ActionReplaceCloudVault, env.LastCode(t, "gone@example.com"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cloudsync.ReplaceCloud(context.Background(), v, c, tok, []byte(cloudPW), t.TempDir()); err != nil {
		t.Fatal(err)
	}

	sa.ctrl.SyncNow()
	sa.waitSync("the replacement noticed", isState(cloudsync.StateError))
	d := sa.u.syncUI.password
	if d == nil || d.closed {
		t.Fatalf("no prompt to take the new cloud vault; status %q", sa.u.syncUI.line.label.Text)
	}
	typeSecret(d.pw, cloudPW)
	test.Tap(d.submit)
	if got := sa.appTitles(); len(got) != 1 || got[0] != "Replacement" {
		t.Fatalf("after taking the cloud vault: %q (message %q)", got, d.message.Text)
	}
	backup := backupIn(t, d.stepDialog)
	if !backupHolds(t, backup, strongPassword, "Only here") {
		t.Error("the backup does not hold this device's vault")
	}
	sa.waitSync("syncing the new vault", isState(cloudsync.StateSynced))
}

// TestSyncConflictNotice: the same item edited on two devices; both versions are kept
// and the app says so once.
func TestSyncConflictNotice(t *testing.T) {
	env := cloudtest.Start(t)
	sa := linkedApp(t, env, "both@example.com")
	sa.addItem(vault.TypeLogin, map[string]string{"title": "Shared", "username": "me", "password": "First-pw-1"})
	sa.waitSync("the login pushed", func(st cloudsync.Status) bool { return st.State == cloudsync.StateSynced && st.Last.Pushed == 1 })
	// Sync stays off here while both devices change the login, so this one cannot pull
	// the other's change first (its timer, or the server's live notice) and the two
	// edits meet in one sync, as they do on two devices offline at the same time.
	if err := sa.ctrl.SetSyncEnabled(false); err != nil {
		t.Fatal(err)
	}
	p := downloadPeer(t, env, "both@example.com", strongPassword)
	l, _ := p.v.Search("Shared", vault.Filter{})
	if len(l) != 1 {
		t.Fatal("the other device lacks the login")
	}
	there := l[0].Clone()
	there.Password = "Laptop-pw-2"
	if _, err := p.v.Update(there); err != nil {
		t.Fatal(err)
	}
	if _, err := p.e.SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	here, err := sa.ctrl.Item(there.ID)
	if err != nil {
		t.Fatal(err)
	}
	here.Password = "Desktop-pw-3"
	if _, err := sa.ctrl.Save(here); err != nil {
		t.Fatal(err)
	}
	if err := sa.ctrl.SetSyncEnabled(true); err != nil {
		t.Fatal(err)
	}
	// Wait for the notice, not for the report of the merging sync: the merge changes
	// the vault, so the next sync (which finds no conflict) can replace that report
	// before this goroutine looks.
	sa.waitSync("the conflict notice", func(cloudsync.Status) bool { return len(sa.u.dialogs) > 0 })
	if len(sa.u.dialogs) != 1 {
		t.Fatalf("no notice of the item changed on two devices (%d dialogs)", len(sa.u.dialogs))
	}
	it, _ := sa.ctrl.Item(there.ID)
	kept := it.Password + " " + strings.Join(func() []string {
		var out []string
		for _, h := range it.History {
			out = append(out, h.Password)
		}
		return out
	}(), " ")
	if !strings.Contains(kept, "Laptop-pw-2") || !strings.Contains(kept, "Desktop-pw-3") {
		t.Errorf("a version was lost: %q", kept)
	}
}

// TestSyncOfferDownloadAtStart: the app starts signed in with no vault on this computer
// (a new computer, a reinstall): the account's vault is offered at once, and only once.
func TestSyncOfferDownloadAtStart(t *testing.T) {
	env := cloudtest.Start(t)
	createCloudAccount(t, env, "start@example.com", "eu")
	uploadPeer(t, env, "start@example.com", "Bank")
	sa := newSyncApp(t, env, true)
	sa.signInClient("start@example.com", accountPW)
	sa.u.showStage()
	d := sa.u.syncUI.password
	if sa.u.create == nil || d == nil || d.closed {
		t.Fatal("no download offer at start")
	}
	d.close()
	sa.u.showStage()
	if sa.u.syncUI.password != d {
		t.Error("offered again after Not now")
	}
}

// TestFileSyncStateShown: on a linked vault the Files section says where each file
// stands beside its size, and a round of file sync moves it from "Waiting to upload" to
// "In the cloud" on screen without the item being shown again.
func TestFileSyncStateShown(t *testing.T) {
	env := cloudtest.Start(t)
	sa := linkedApp(t, env, "files@example.com")
	sa.addItem(vault.TypeNote, map[string]string{"title": "Passport"})
	sa.waitSync("the note pushed", func(st cloudsync.Status) bool { return st.State == cloudsync.StateSynced && st.Last.Pushed == 1 })
	d := sa.selectTitle("Passport")
	sa.u.addFiles(d.it.ID, []string{fileOnDisk(t, "scan.pdf", bytes.Repeat([]byte("p"), 2560))})
	d = sa.u.main.detail
	r := d.files.row("scan.pdf")
	if r == nil {
		t.Fatal("the detail view lists no scan.pdf")
	}
	// The add's own sync may already have run; either state is right this early.
	if early := r.size.Text; early != "2.5 KB · "+T("attach.syncToUpload") && early != "2.5 KB · "+T("attach.syncInCloud") {
		t.Fatalf("just added, the file's line says %q", early)
	}
	sa.waitSync("the file uploaded", func(st cloudsync.Status) bool { return st.Files.Last.Uploaded == 1 && st.Files.ToUpload == 0 })
	if d != sa.u.main.detail {
		t.Fatal("the item was shown again; the test would not see the line refresh itself")
	}
	if want := "2.5 KB · " + T("attach.syncInCloud"); r.size.Text != want {
		t.Errorf("after the upload the file's line says %q, want %q", r.size.Text, want)
	}
}
