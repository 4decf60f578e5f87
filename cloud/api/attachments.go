package api

import "strconv"

// Attachments travel apart from the items that reference them: an item's sealed blob
// names its files (and holds their keys); the files' bytes are sealed chunks, stored
// and fetched one at a time under the attachment's ID. The server sees only IDs,
// indexes and opaque sealed bytes.
const (
	// PathVaultAttachments is the prefix of the attachment endpoints:
	//
	//	GET    /v1/vault/attachments/{att}                   → AttachmentInfo
	//	DELETE /v1/vault/attachments/{att}                   → 204 (also when none)
	//	PUT    /v1/vault/attachments/{att}/chunks/{n}?epoch=E  body: one sealed chunk
	//	GET    /v1/vault/attachments/{att}/chunks/{n}        → the sealed chunk
	PathVaultAttachments = "/v1/vault/attachments/"
	// ContentTypeChunk is the content type of a sealed chunk, sent and received.
	ContentTypeChunk = "application/octet-stream"
)

// Bounds of attachments on the server. A sealed chunk is at most one vault chunk of
// plaintext (1 MiB) plus its sealing overhead; the bound leaves room for that overhead
// and nothing like a second chunk, so a body cannot be used to store more.
const (
	// AttachmentIDLen is the length of an attachment ID: 16 random bytes in lowercase
	// hexadecimal.
	AttachmentIDLen = 32
	// MaxChunkBytes bounds one sealed chunk (a PUT body).
	MaxChunkBytes = 1<<20 + 4096
	// MaxAttachmentChunks bounds the chunk indexes of one attachment (0 to this − 1):
	// the vault's largest file (100 MiB) is 100 chunks, with headroom for a format
	// that adds a final empty one.
	MaxAttachmentChunks = 128
	// ChunkOverheadBytes is what every stored chunk counts towards the account's
	// attachment bytes on top of its own bytes, so empty chunks are not free to keep.
	ChunkOverheadBytes = 256
)

// AttachmentInfo is the body of GET /v1/vault/attachments/{att}: the indexes of the
// chunks the server holds, ascending, and their sealed bytes together (without
// ChunkOverheadBytes). An attachment the server has none of is {"chunks":[],"bytes":0}:
// a device resuming an upload asks this and sends only what is missing.
type AttachmentInfo struct {
	Chunks []int `json:"chunks"`
	Bytes  int64 `json:"bytes"`
}

// AttachmentPath is the path of one attachment (its chunk list; DELETE removes it).
func AttachmentPath(att string) string { return PathVaultAttachments + att }

// ChunkPath is the path of chunk n of an attachment.
func ChunkPath(att string, n int) string {
	return PathVaultAttachments + att + "/chunks/" + strconv.Itoa(n)
}

// Attachment error codes.
const (
	// CodeAttachmentLimit: storing the chunk would keep more attachment bytes than the
	// plan allows (Error.MaxAttachmentBytes). Nothing was stored.
	CodeAttachmentLimit Code = "attachment_limit"
	// CodeInvalidChunk: the attachment ID is not 32 lowercase hex digits, or the chunk
	// index is not a number from 0 to MaxAttachmentChunks − 1.
	CodeInvalidChunk Code = "invalid_chunk"
	// CodeChunkNotFound: the server has no such chunk (not uploaded yet, or the file
	// was removed).
	CodeChunkNotFound Code = "chunk_not_found"
)
