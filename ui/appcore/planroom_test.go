package appcore

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/valvpm/valv/cloud"
	"github.com/valvpm/valv/cloud/api"
	"github.com/valvpm/valv/cloud/cloudtest"
	"github.com/valvpm/valv/vault"
)

// TestPlanRoomForFiles: on a plan that keeps 64 KiB of files in the cloud, the vault
// learns the room as sync starts. A file that would not fit is refused as it is added,
// in a sentence that names the plan's room, and nothing is stored; after the person
// moves to a larger plan, "Sync now" learns the new room and the same file goes in.
func TestPlanRoomForFiles(t *testing.T) {
	const small, large = 64 << 10, 1 << 20
	plans := cloud.DefaultPlans()
	for i := range plans {
		plans[i].Entitlements.MaxEntries = 0
		plans[i].Entitlements.MaxAttachmentBytes = small
		if plans[i].ID == "personal" {
			plans[i].Entitlements.MaxAttachmentBytes = large
		}
	}
	env := cloudtest.Start(t, func(c *cloud.Config) { c.Plans = plans })
	const email = "room@example.com"
	tc := linkedCore(t, env, email)
	v, err := tc.Unlocked()
	if err != nil {
		t.Fatal(err)
	}
	if got := v.AttachmentLimit(); got != small {
		t.Fatalf("after sync started the vault's room for files is %d bytes, want the plan's %d", got, small)
	}
	l, err := v.Search("Mine", vault.Filter{})
	if err != nil || len(l) != 1 {
		t.Fatalf("the note: %v (%v)", l, err)
	}
	dir := t.TempDir()
	file := func(name string, n int) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, make([]byte, n), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	add := func(path string) (*vault.Item, error) {
		var it *vault.Item
		var err error
		called := false
		tc.AddFiles(l[0].ID, []string{path}, func(string) {}, func(i *vault.Item, e error) { it, err, called = i, e, true })
		if !called {
			t.Fatal("adding a file did not finish")
		}
		return it, err
	}
	if _, err := add(file("first.bin", 40<<10)); err != nil {
		t.Fatalf("a file that fits: %v", err)
	}
	second := file("second.bin", 40<<10)
	_, err = add(second)
	m := AttachMessage(err)
	if m.Key != "attach.errLimitSize" || !reflect.DeepEqual(m.Args["Limit"], SizeMessage(small)) {
		t.Fatalf("a file over the plan's room: %v, said as %+v", err, m)
	}
	checkSentence(t, "the plan's room for files", m, translations(t))
	if it, _ := v.Get(l[0].ID); len(it.Attachments) != 1 {
		t.Errorf("after the refusal the note has %d files, want 1", len(it.Attachments))
	}

	if err := env.Server.AddActivationCode("ROOM-PERSONAL-1", "personal", 30); err != nil {
		t.Fatal(err)
	}
	env.Post(t, api.PathActivate, env.SignIn(t, email, accountPW), api.ActivateRequest{Code: "ROOM-PERSONAL-1"}, nil)
	tc.SyncNow()
	if got := v.AttachmentLimit(); got != large {
		t.Fatalf("after the plan changed and Sync now, the room is %d bytes, want %d", got, large)
	}
	if it, err := add(second); err != nil || len(it.Attachments) != 2 {
		t.Fatalf("the file again, on the larger plan: %v", err)
	}
}
