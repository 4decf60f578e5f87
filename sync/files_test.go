package cloudsync

import (
	"bytes"
	"errors"
	"testing"

	"github.com/valvpm/valv/account"
	"github.com/valvpm/valv/cloud"
	"github.com/valvpm/valv/cloud/api"
	"github.com/valvpm/valv/cloud/cloudtest"
	"github.com/valvpm/valv/vault"
)

// TestFilesTwoDevices: a 20 MB file attached on A arrives byte-identical on B, which
// sees the item at once and the file when it asks for it; the cloud only ever held
// sealed chunks. Removed on B, it is gone on A and freed in the cloud.
func TestFilesTwoDevices(t *testing.T) {
	env := cloudtest.Start(t)
	a := firstDevice(t, env, "files@example.com", note("Passport"))
	data := testFile(1, 20_000_000)
	item, att := a.attach(t, "Passport", "passport.pdf", data)
	a.sync(t)
	up := a.syncFiles(t, false)
	if up.Uploaded != 20 || up.ToUpload != 0 {
		t.Fatalf("upload: %+v", up)
	}
	if again := a.syncFiles(t, false); again.Uploaded != 0 || again.Skipped != 0 {
		t.Fatalf("a second round sent chunks again: %+v", again)
	}

	b := nextDevice(t, env, "files@example.com", "d2")
	if _, err := b.readFile(item, att.ID); !errors.Is(err, vault.ErrAttachmentNotHere) {
		t.Fatalf("opening before the download: %v", err)
	}
	info, err := b.c.ChunkList(bg, att.ID.String())
	if err != nil || len(info.Chunks) != 20 {
		t.Fatalf("the cloud's chunks: %+v %v", info, err)
	}
	for n := range info.Chunks {
		sealed, err := b.c.GetChunk(bg, att.ID.String(), n)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(sealed, []byte(fileCanary)) || bytes.Contains(sealed, data[n<<20:n<<20+64]) {
			t.Fatalf("chunk %d reached the cloud unsealed", n)
		}
	}
	if err := b.e.Fetch(bg, att.ID); err != nil {
		t.Fatalf("fetch on B: %v", err)
	}
	got, err := b.readFile(item, att.ID)
	if err != nil {
		t.Fatal(err)
	}
	sameBytes(t, "the file on B", got, data)

	if _, err := b.v.Detach(item, att.ID); err != nil {
		t.Fatal(err)
	}
	b.sync(t)
	if rep := b.syncFiles(t, true); rep.Deleted != 1 {
		t.Fatalf("removal on B: %+v", rep)
	}
	if info, err := b.c.ChunkList(bg, att.ID.String()); err != nil || len(info.Chunks) != 0 || info.Bytes != 0 {
		t.Fatalf("the cloud after the removal: %+v %v", info, err)
	}
	a.sync(t)
	if len(a.item(t, "Passport").Attachments) != 0 {
		t.Fatal("the file is still listed on A")
	}
	if _, err := a.readFile(item, att.ID); !errors.Is(err, vault.ErrNoAttachment) {
		t.Fatalf("opening the removed file on A: %v", err)
	}
	if chunks, err := a.v.Chunks(); err != nil || len(chunks) != 0 {
		t.Fatalf("A still refers to %d chunks: %v", len(chunks), err)
	}
	if rep := a.syncFiles(t, true); rep != (FileReport{}) {
		t.Fatalf("A did something with a removed file: %+v", rep)
	}
}

// TestFilesResumeAfterCut: the connection is cut in the middle of an upload — once
// halfway through a chunk's body, once after the cloud stored a chunk but before its
// answer arrived. Each time the next round resumes where it stopped, and no chunk
// reaches the server twice.
func TestFilesResumeAfterCut(t *testing.T) {
	env := cloudtest.Start(t)
	a := firstDevice(t, env, "cut@example.com", note("Scans"))
	proxy := newChunkProxy(t, env.URL)
	a.e = New(a.v, signInAt(t, proxy.url, env, "cut@example.com"))
	data := testFile(2, 6<<20+5)
	item, att := a.attach(t, "Scans", "scans.zip", data)
	a.sync(t)

	proxy.cut(2, false) // the 3rd upload dies halfway
	rep, err := a.e.SyncFiles(bg, false)
	if err == nil || !isNetwork(err) || rep.Uploaded != 2 {
		t.Fatalf("first round: %+v %v", rep, err)
	}
	proxy.restore()
	proxy.cut(2, true) // 2 more pass, the next is stored but unanswered
	rep, err = a.e.SyncFiles(bg, false)
	if err == nil || !isNetwork(err) || rep.Uploaded != 2 || rep.Skipped != 0 {
		t.Fatalf("second round: %+v %v", rep, err)
	}
	proxy.restore()
	rep = a.syncFiles(t, false)
	if rep.Skipped != 1 || rep.Uploaded != 7-2-2-1 || rep.ToUpload != 0 {
		t.Fatalf("last round: %+v", rep)
	}
	total, most := proxy.uploads()
	if total != 7 || most != 1 {
		t.Fatalf("%d uploads reached the server for 7 chunks, one chunk %d times", total, most)
	}
	if rep := a.syncFiles(t, false); rep.Uploaded+rep.Skipped != 0 {
		t.Fatalf("a finished upload went again: %+v", rep)
	}
	b := nextDevice(t, env, "cut@example.com", "d2")
	if rep := b.syncFiles(t, true); rep.Downloaded != 7 {
		t.Fatalf("download: %+v", rep)
	}
	got, err := b.readFile(item, att.ID)
	if err != nil {
		t.Fatal(err)
	}
	sameBytes(t, "the resumed file on B", got, data)
}

// TestFilesBothSidesAdd: files added to the same item on two devices while apart are
// both kept (the items' rule: nothing added on either side is lost), and both reach
// both devices.
func TestFilesBothSidesAdd(t *testing.T) {
	env := cloudtest.Start(t)
	a := firstDevice(t, env, "both@example.com", note("Licences"))
	b := nextDevice(t, env, "both@example.com", "d2")
	fa, fb := testFile(3, 3<<20), testFile(4, 1<<20+77)
	item, attA := a.attach(t, "Licences", "a.key", fa)
	_, attB := b.attach(t, "Licences", "b.key", fb)
	a.sync(t)
	a.syncFiles(t, true)
	b.sync(t) // conflicts with A's push, merges
	b.syncFiles(t, true)
	a.sync(t)
	a.syncFiles(t, true)
	for _, d := range []*device{a, b} {
		if n := len(d.item(t, "Licences").Attachments); n != 2 {
			t.Fatalf("%s has %d files, want both", d.name, n)
		}
		for _, f := range []struct {
			att  vault.AttachmentID
			want []byte
		}{{attA.ID, fa}, {attB.ID, fb}} {
			got, err := d.readFile(item, f.att)
			if err != nil {
				t.Fatalf("%s: %v", d.name, err)
			}
			sameBytes(t, d.name+"'s copy", got, f.want)
		}
	}
}

// TestFilesTamperedChunk: a chunk changed on the way (or by the server) is refused by
// the vault; nothing of it is stored and the file stays "not here".
func TestFilesTamperedChunk(t *testing.T) {
	env := cloudtest.Start(t)
	a := firstDevice(t, env, "tamper@example.com", note("ID"))
	item, att := a.attach(t, "ID", "id.jpg", testFile(5, 2<<20))
	a.sync(t)
	a.syncFiles(t, false)
	b := nextDevice(t, env, "tamper@example.com", "d2")
	b.e = New(b.v, tamperRemote{b.c})
	if err := b.e.Fetch(bg, att.ID); !errors.Is(err, vault.ErrAttachmentCorrupt) {
		t.Fatalf("a tampered chunk: %v", err)
	}
	if _, err := b.readFile(item, att.ID); !errors.Is(err, vault.ErrAttachmentNotHere) {
		t.Fatalf("after the refusal: %v", err)
	}
	if _, down := pendingChunksOf(t, b.v); down != 2 {
		t.Fatalf("%d chunks still to download, want 2", down)
	}
}

// TestFilesPlanLimit: past the plan's max_attachment_bytes the upload stops with
// ErrFileLimit (the sentence of account.ErrAttachmentLimit inside), the items still
// sync, and the file stays on the device to go up when there is room.
func TestFilesPlanLimit(t *testing.T) {
	env := cloudtest.Start(t, func(c *cloud.Config) {
		c.Plans = cloudtest.UnlimitedPlans()
		for i := range c.Plans {
			c.Plans[i].Entitlements.MaxAttachmentBytes = 2 << 20
		}
	})
	a := firstDevice(t, env, "limit@example.com", note("Big"))
	a.attach(t, "Big", "big.bin", testFile(6, 3<<20))
	a.sync(t)
	rep, err := a.e.SyncFiles(bg, false)
	if !errors.Is(err, ErrFileLimit) || !errors.Is(err, account.ErrAttachmentLimit) || rep.Uploaded != 1 || rep.ToUpload != 2 {
		t.Fatalf("over the plan: %+v %v", rep, err)
	}
	var ae *account.APIError
	if !errors.As(err, &ae) || ae.AttachmentLimit() != 2<<20 {
		t.Fatalf("the bound in the answer: %v", err)
	}
	if _, err := a.v.Add(note("Still syncs")); err != nil {
		t.Fatal(err)
	}
	if r := a.sync(t); r.Pushed != 1 {
		t.Fatalf("items after the refusal: %+v", r)
	}
}

// TestFetchUnknownAndMissing: fetching a file no item has, or one whose chunks never
// reached the cloud, says so.
func TestFetchUnknownAndMissing(t *testing.T) {
	env := cloudtest.Start(t)
	a := firstDevice(t, env, "missing@example.com", note("Later"))
	_, att := a.attach(t, "Later", "later.txt", []byte("uploaded later"))
	a.sync(t) // the item goes up, the file not yet
	b := nextDevice(t, env, "missing@example.com", "d2")
	if err := b.e.Fetch(bg, att.ID); !errors.Is(err, ErrFileNotInCloud) {
		t.Fatalf("a file not uploaded yet: %v", err)
	}
	if err := b.e.Fetch(bg, vault.AttachmentID{1}); !errors.Is(err, vault.ErrNoAttachment) {
		t.Fatalf("a file no item has: %v", err)
	}
	if _, err := b.c.GetChunk(bg, att.ID.String(), 0); !errors.Is(err, account.ErrChunkNotFound) {
		t.Fatalf("the client's error: %v", err)
	}
	if _, err := b.c.ChunkList(bg, "not-an-id"); !errors.Is(err, account.ErrInvalidChunk) || apiCode(err) != api.CodeInvalidChunk {
		t.Fatalf("a malformed ID: %v", err)
	}
	a.syncFiles(t, false)
	if err := b.e.Fetch(bg, att.ID); err != nil {
		t.Fatalf("once uploaded: %v", err)
	}
}

func pendingChunksOf(t testing.TB, v *vault.Vault) (up, down int) {
	t.Helper()
	chunks, err := v.Chunks()
	if err != nil {
		t.Fatal(err)
	}
	return pendingChunks(chunks)
}
