package cloud

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/valvpm/valv/cloud/api"
)

// Attacks on the attachment endpoints: another account's chunks, oversized and
// endless bodies, IDs that are not IDs, and uploads past the plan's bound.

const (
	attOne = "00112233445566778899aabbccddeeff"
	attTwo = "ffeeddccbbaa99887766554433221100"
)

// chunkReq sends one request to an attachment endpoint with a raw body (nil: none)
// and returns the status and the body read.
func (e *env) chunkReq(method, path, tok string, body io.Reader, size int64) (int, []byte) {
	e.t.Helper()
	req, err := http.NewRequest(method, e.base+path, body)
	if err != nil {
		e.t.Fatal(err)
	}
	if body != nil {
		req.ContentLength = size
		req.Header.Set("Content-Type", api.ContentTypeChunk)
	}
	if tok != "" {
		req.Header.Set(api.HeaderAuthorize, "Bearer "+tok)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp.StatusCode, raw
}

// putChunk uploads data as chunk n of att for key epoch 1 and returns the status and
// error code ("" on success).
func (e *env) putChunk(tok, att string, n int, data []byte) (int, api.Code) {
	e.t.Helper()
	st, raw := e.chunkReq("PUT", api.ChunkPath(att, n)+"?epoch=1", tok, bytes.NewReader(data), int64(len(data)))
	return st, errCode(raw)
}

func errCode(raw []byte) api.Code {
	var eb api.ErrorBody
	if json.Unmarshal(raw, &eb) != nil {
		return ""
	}
	return eb.Error.Code
}

// vaultAccount is a signed-in account with a cloud vault at key epoch 1.
func (e *env) vaultAccount(email string) *api.Session {
	e.t.Helper()
	s := e.newAccount(email)
	e.must("PUT", api.PathVault, s.AccessToken, api.PutHeaderRequest{Header: testHeader(email, 1)}, nil)
	return s
}

// TestAttackOtherAccountsChunks: an account cannot read, list, overwrite or delete
// another account's chunks, even knowing the attachment ID; the same ID names each
// account's own attachment.
func TestAttackOtherAccountsChunks(t *testing.T) {
	e := newEnv(t)
	ann, bob := e.vaultAccount("ann@example.com"), e.vaultAccount("bob@example.com")
	secret := []byte("ann's sealed chunk")
	if st, code := e.putChunk(ann.AccessToken, attOne, 0, secret); st != http.StatusNoContent {
		t.Fatalf("ann's upload: %d %s", st, code)
	}
	if st, raw := e.chunkReq("GET", api.ChunkPath(attOne, 0), bob.AccessToken, nil, 0); st != http.StatusNotFound || errCode(raw) != api.CodeChunkNotFound {
		t.Fatalf("bob reads ann's chunk: %d %s", st, raw)
	}
	var info api.AttachmentInfo
	e.must("GET", api.AttachmentPath(attOne), bob.AccessToken, nil, &info)
	if len(info.Chunks) != 0 || info.Bytes != 0 {
		t.Fatalf("bob lists ann's attachment: %+v", info)
	}
	if st, code := e.putChunk(bob.AccessToken, attOne, 0, []byte("bob's")); st != http.StatusNoContent {
		t.Fatalf("bob's upload under the same ID: %d %s", st, code)
	}
	if st, _ := e.chunkReq("DELETE", api.AttachmentPath(attOne), bob.AccessToken, nil, 0); st != http.StatusNoContent {
		t.Fatalf("bob deletes his own: %d", st)
	}
	st, raw := e.chunkReq("GET", api.ChunkPath(attOne, 0), ann.AccessToken, nil, 0)
	if st != http.StatusOK || !bytes.Equal(raw, secret) {
		t.Fatalf("ann's chunk after bob's upload and delete: %d %q", st, raw)
	}
	// Without a session nothing answers but 401.
	for _, m := range []string{"GET", "DELETE"} {
		if st, raw := e.chunkReq(m, api.AttachmentPath(attOne), "", nil, 0); st != http.StatusUnauthorized || errCode(raw) != api.CodeUnauthorized {
			t.Errorf("%s without a session: %d %s", m, st, raw)
		}
	}
	if st, code := e.putChunk("va.forged.token", attOne, 0, []byte("x")); st != http.StatusUnauthorized {
		t.Errorf("PUT with a forged token: %d %s", st, code)
	}
}

// TestAttackOversizedChunk: a chunk over the bound is refused, declared or not, without
// the server reading much past the bound, and nothing is stored.
func TestAttackOversizedChunk(t *testing.T) {
	e := newEnv(t)
	s := e.vaultAccount("big@example.com")
	for _, declared := range []bool{true, false} {
		ps := &countingReader{r: io.LimitReader(zeros{}, 64<<20)}
		size := int64(64 << 20)
		if !declared {
			size = -1
		}
		st, raw := e.chunkReq("PUT", api.ChunkPath(attOne, 0)+"?epoch=1", s.AccessToken, ps, size)
		if st != http.StatusRequestEntityTooLarge || errCode(raw) != api.CodeBodyTooLarge {
			t.Errorf("declared=%v: %d %s", declared, st, raw)
		}
		// What the client wrote into the socket's buffers counts here too; the bound is
		// far below the 64 MiB sent.
		if n := ps.n.Load(); n > 16<<20 {
			t.Errorf("declared=%v: the server read %d bytes of an oversized chunk", declared, n)
		}
	}
	if st, code := e.putChunk(s.AccessToken, attOne, 1, make([]byte, api.MaxChunkBytes+1)); st != http.StatusRequestEntityTooLarge {
		t.Errorf("one byte over: %d %s", st, code)
	}
	if st, code := e.putChunk(s.AccessToken, attOne, 2, make([]byte, api.MaxChunkBytes)); st != http.StatusNoContent {
		t.Errorf("at the bound: %d %s", st, code)
	}
	var info api.AttachmentInfo
	e.must("GET", api.AttachmentPath(attOne), s.AccessToken, nil, &info)
	if len(info.Chunks) != 1 || info.Chunks[0] != 2 {
		t.Fatalf("stored after the refusals: %+v", info)
	}
}

// TestAttackChunkNames: attachment IDs and indexes are validated before anything is
// read or stored: no path tricks, no second spelling of an index, no index past the
// bound, no chunk for another key epoch or without a vault.
func TestAttackChunkNames(t *testing.T) {
	e := newEnv(t)
	s := e.vaultAccount("names@example.com")
	for _, p := range []string{
		api.ChunkPath(strings.ToUpper(attOne), 0), api.ChunkPath(attOne[:31], 0), api.ChunkPath(attOne+"0", 0),
		api.ChunkPath("..%2f..%2f..%2f..%2f..%2f..%2fetc", 0), api.ChunkPath(attOne, api.MaxAttachmentChunks),
		api.PathVaultAttachments + attOne + "/chunks/01", api.PathVaultAttachments + attOne + "/chunks/+1",
		api.PathVaultAttachments + attOne + "/chunks/-1", api.PathVaultAttachments + attOne + "/chunks/1e2",
		api.PathVaultAttachments + attOne + "/chunks/99999999999999999999",
	} {
		st, raw := e.chunkReq("PUT", p+"?epoch=1", s.AccessToken, strings.NewReader("x"), 1)
		if st != http.StatusBadRequest || errCode(raw) != api.CodeInvalidChunk {
			t.Errorf("PUT %s: %d %s", p, st, raw)
		}
	}
	for _, q := range []string{"", "?epoch=", "?epoch=0", "?epoch=x"} {
		st, raw := e.chunkReq("PUT", api.ChunkPath(attOne, 0)+q, s.AccessToken, strings.NewReader("x"), 1)
		if st != http.StatusBadRequest || errCode(raw) != api.CodeBadRequest {
			t.Errorf("PUT with %q: %d %s", q, st, raw)
		}
	}
	st, raw := e.chunkReq("PUT", api.ChunkPath(attOne, 0)+"?epoch=2", s.AccessToken, strings.NewReader("x"), 1)
	if st != http.StatusConflict || errCode(raw) != api.CodeKeyEpochChanged {
		t.Errorf("PUT for another epoch: %d %s", st, raw)
	}
	req, _ := http.NewRequest("PUT", e.base+api.ChunkPath(attOne, 0)+"?epoch=1", strings.NewReader(`{"x":1}`))
	req.Header.Set("Content-Type", api.ContentTypeJSON)
	req.Header.Set(api.HeaderAuthorize, "Bearer "+s.AccessToken)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusUnsupportedMediaType {
		t.Errorf("a JSON body: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}
	novault := e.newAccount("novault@example.com")
	if st, code := e.putChunk(novault.AccessToken, attOne, 0, []byte("x")); st != http.StatusNotFound || code != api.CodeVaultNotFound {
		t.Errorf("a chunk without a vault: %d %s", st, code)
	}
	var info api.AttachmentInfo
	e.must("GET", api.AttachmentPath(attOne), s.AccessToken, nil, &info)
	if len(info.Chunks) != 0 {
		t.Fatalf("stored after the refusals: %+v", info)
	}
}

// TestAttackAttachmentQuota: chunks count against the plan's max_attachment_bytes,
// with an overhead each (empty chunks are not free); past it the upload is refused
// with attachment_limit and the bound, nothing is stored, and removing a file, or
// clearing the cloud vault, frees its room.
func TestAttackAttachmentQuota(t *testing.T) {
	const room = 3 * (1000 + api.ChunkOverheadBytes)
	e := newEnv(t, func(c *Config) {
		c.Plans = DefaultPlans()
		c.Plans[0].Entitlements.MaxAttachmentBytes = room
	})
	s := e.vaultAccount("quota@example.com")
	for i := range 3 {
		if st, code := e.putChunk(s.AccessToken, attOne, i, make([]byte, 1000)); st != http.StatusNoContent {
			t.Fatalf("chunk %d: %d %s", i, st, code)
		}
	}
	st, raw := e.chunkReq("PUT", api.ChunkPath(attTwo, 0)+"?epoch=1", s.AccessToken, bytes.NewReader(nil), 0)
	var eb api.ErrorBody
	if json.Unmarshal(raw, &eb) != nil || st != http.StatusForbidden || eb.Error.Code != api.CodeAttachmentLimit || eb.Error.MaxAttachmentBytes != room {
		t.Fatalf("an empty chunk past the bound: %d %s", st, raw)
	}
	if !strings.Contains(eb.Error.Message, "Your plan keeps up to") {
		t.Errorf("message: %q", eb.Error.Message)
	}
	if st, _ := e.chunkReq("DELETE", api.AttachmentPath(attOne), s.AccessToken, nil, 0); st != http.StatusNoContent {
		t.Fatalf("delete: %d", st)
	}
	for i := range 3 {
		if st, code := e.putChunk(s.AccessToken, attTwo, i, make([]byte, 1000)); st != http.StatusNoContent {
			t.Fatalf("after the delete, chunk %d: %d %s", i, st, code)
		}
	}
	tok := e.actionToken(s.AccessToken, "quota@example.com", api.ActionClearVault)
	e.must("POST", api.PathVaultWipe, s.AccessToken, nil, nil, api.HeaderActionToken, tok)
	if n, err := e.st.AttachmentBytes(s.Account.ID); err != nil || n != 0 {
		t.Fatalf("attachment bytes after clearing the cloud vault: %d %v", n, err)
	}
	if st, raw := e.chunkReq("GET", api.ChunkPath(attTwo, 0), s.AccessToken, nil, 0); st != http.StatusNotFound {
		t.Fatalf("a chunk after clearing the cloud vault: %d %s", st, raw)
	}
}

// TestAttachmentsFreedWithAccount: deleting the account deletes its chunks.
func TestAttachmentsFreedWithAccount(t *testing.T) {
	e := newEnv(t)
	s := e.vaultAccount("gone@example.com")
	if st, code := e.putChunk(s.AccessToken, attOne, 0, []byte("sealed")); st != http.StatusNoContent {
		t.Fatalf("upload: %d %s", st, code)
	}
	e.must("DELETE", api.PathAccount, s.AccessToken, api.DeleteAccountRequest{Password: testPassword}, nil)
	if data, err := e.st.Chunk(s.Account.ID, attOne, 0); err == nil {
		t.Fatalf("the chunk outlived its account: %q", data)
	}
	if n, err := e.st.AttachmentBytes(s.Account.ID); err != nil || n != 0 {
		t.Fatalf("attachment bytes of a deleted account: %d %v", n, err)
	}
}

// zeros reads as an endless stream of zero bytes.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// countingReader counts what the server took of a body.
// countingReader counts what the client read of a body. The transport's write loop may
// still be reading when the answer is in, hence the atomic.
type countingReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}
