package cloud

import (
	"net/http/httptest"
	"testing"

	"github.com/valvpm/valv/cloud/api"
)

// FuzzChunkRef: the attachment path decoder never panics, and what it accepts is the
// one spelling of a valid chunk: the path built back from it is the path it read.
func FuzzChunkRef(f *testing.F) {
	for _, seed := range [][2]string{{attOne, "0"}, {attOne, "127"}, {attOne, "128"}, {attOne, "01"}, {attOne, "+1"},
		{attOne, "-0"}, {"", ""}, {attOne[:31] + "G", "5"}, {"../etc/passwd", "1"}, {attOne, "1e2"}} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, att, n string) {
		r := httptest.NewRequest("GET", "/", nil)
		r.SetPathValue("att", att)
		r.SetPathValue("n", n)
		gotAtt, index, err := chunkRef(r, true)
		if err != nil {
			if err != errInvalidChunk {
				t.Fatalf("%q/%q: %v", att, n, err)
			}
			return
		}
		if want := api.PathVaultAttachments + att + "/chunks/" + n; api.ChunkPath(gotAtt, index) != want {
			t.Fatalf("%q/%q read as %s/%d", att, n, gotAtt, index)
		}
		if index < 0 || index >= api.MaxAttachmentChunks || len(gotAtt) != api.AttachmentIDLen {
			t.Fatalf("%q/%q accepted as %s/%d", att, n, gotAtt, index)
		}
	})
}
