package vault

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Files attached to items. The file's name, size, media type, SHA-256 and a random
// per-file key live inside the sealed item (codec tag tagAttachment); the content is
// stored apart, in chunks sealed under that key (chunk.go, docs/vault-format.md).

// ChunkSize is how many plaintext bytes one sealed chunk holds: small enough that
// opening a file never holds more than a couple of chunks in memory, large enough that
// the per-chunk overhead (40 bytes, one bbolt key) stays negligible.
const ChunkSize = 1 << 20

// MaxAttachmentSize is the largest file an item can hold.
const MaxAttachmentSize = 100 << 20

// maxAttachmentName caps a file name in bytes, as most file systems do.
const maxAttachmentName = 255

// Errors about attached files.
var (
	// ErrAttachmentTooLarge means a file is larger than MaxAttachmentSize.
	ErrAttachmentTooLarge = errors.New("the file is larger than 100 MiB")
	// ErrAttachmentLimit means the files would exceed what the account's plan allows
	// (SetAttachmentLimit).
	ErrAttachmentLimit = errors.New("the files would take more space than your plan allows")
	// ErrAttachmentNotHere means the file's content has not reached this device yet;
	// sync fetches it.
	ErrAttachmentNotHere = errors.New("the file has not been downloaded to this device yet")
	// ErrAttachmentCorrupt means a stored or received piece of a file failed its
	// integrity check. No plaintext of a failed piece is returned.
	ErrAttachmentCorrupt = errors.New("the file is damaged or has been tampered with")
	// ErrNoAttachment means the item has no file with the given ID or name.
	ErrNoAttachment = errors.New("the item has no such file")
	// ErrAttachmentName means a file name is empty, too long, or not a plain name.
	ErrAttachmentName = errors.New("the file name is not valid")
	// ErrAttachmentExists means the item already has a file with that name.
	ErrAttachmentExists = errors.New("the item already has a file with that name")
)

// AttachmentID identifies an attached file. It is random and stored in clear (it
// names chunks in the bbolt file and on the server). New content is always a new ID,
// which is what makes an old chunk impossible to replay into a newer file.
type AttachmentID [16]byte

func newAttachmentID() AttachmentID {
	var id AttachmentID
	rand.Read(id[:])
	return id
}

// String is the 32-character lower-case hex form.
func (id AttachmentID) String() string { return hex.EncodeToString(id[:]) }

// ParseAttachmentID parses the hex form of an AttachmentID.
func ParseAttachmentID(s string) (AttachmentID, error) {
	var id AttachmentID
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != len(id) {
		return id, fmt.Errorf("%q is not a file ID", s)
	}
	copy(id[:], b)
	return id, nil
}

// Attachment describes one file of an item. Everything in it is sealed with the item.
type Attachment struct {
	ID        AttachmentID
	Name      string // a plain file name, no folders
	Size      int64  // bytes
	MediaType string // sniffed from the content, or from the name's extension
	SHA256    [32]byte
	Added     time.Time

	key     [KeySize]byte // seals the file's chunks; zero until stored
	content []byte        // an imported file's bytes, until Add or AddAll stores them
}

// NewAttachment describes a file to store with a new item through Add or AddAll (an
// import): its name, content and when it was added (zero: now). Size, SHA-256 and, when
// mediaType is empty, the media type are computed from data.
func NewAttachment(name, mediaType string, data []byte, added time.Time) Attachment {
	a := Attachment{Name: name, Size: int64(len(data)), MediaType: mediaType, Added: added, content: data}
	a.SHA256 = sha256.Sum256(data)
	if a.MediaType == "" {
		a.MediaType = sniffMediaType(name, data)
	}
	return a
}

// Content returns the bytes of a file given to NewAttachment (or read from an export)
// that is not stored yet; nil for a stored file, whose content OpenAttachment reads.
func (a Attachment) Content() []byte { return a.content }

// Chunks is how many sealed chunks hold the file: at least one, so that even an empty
// file has a last chunk that proves it ends there.
func (a Attachment) Chunks() int { return chunkCount(a.Size) }

func chunkCount(size int64) int {
	if size <= 0 {
		return 1
	}
	return int((size + ChunkSize - 1) / ChunkSize)
}

// chunkLen is the plaintext length chunk i of a file of size bytes must have.
func chunkLen(size int64, i int) int {
	if i < chunkCount(size)-1 {
		return ChunkSize
	}
	return int(size - int64(i)*ChunkSize)
}

// Attachment returns the item's file with the given ID.
func (it *Item) Attachment(id AttachmentID) (Attachment, bool) {
	for _, a := range it.Attachments {
		if a.ID == id {
			return a, true
		}
	}
	return Attachment{}, false
}

// AttachmentNamed finds one of the item's files by its name, or by its ID's hex form
// or a prefix of it (at least 4 characters) when no name matches, as valv-cli takes it.
func (it *Item) AttachmentNamed(name string) (Attachment, error) {
	for _, a := range it.Attachments {
		if a.Name == name {
			return a, nil
		}
	}
	var found []Attachment
	if len(name) >= 4 {
		for _, a := range it.Attachments {
			if strings.HasPrefix(a.ID.String(), strings.ToLower(name)) {
				found = append(found, a)
			}
		}
	}
	if len(found) == 1 {
		return found[0], nil
	}
	return Attachment{}, fmt.Errorf("%w: %q", ErrNoAttachment, name)
}

// CleanAttachmentName turns what a person typed or a file's path into the name a file
// is kept under: the last element of a path, without surrounding spaces. Names that
// are empty, ".", "..", longer than 255 bytes, or hold control characters are refused
// (ErrAttachmentName), so a name can always be used as a file name when saving.
func CleanAttachmentName(name string) (string, error) {
	name = strings.ReplaceAll(name, `\`, "/")
	name = strings.TrimSpace(path.Base(strings.TrimRight(name, "/")))
	if !validAttachmentName(name) {
		return "", fmt.Errorf("%w: %q", ErrAttachmentName, name)
	}
	return name, nil
}

// validAttachmentName reports whether name is already a clean file name.
func validAttachmentName(name string) bool {
	if name == "" || name == "." || name == ".." || len(name) > maxAttachmentName ||
		!utf8.ValidString(name) || strings.TrimSpace(name) != name || strings.ContainsAny(name, `/\`) {
		return false
	}
	for _, r := range name {
		if unicode.IsControl(r) {
			return false
		}
	}
	return true
}

// uniqueName returns name, or name with " (2)", " (3)", … before its extension, so
// that it differs from every file name of it.
func uniqueName(it *Item, name string) string {
	taken := func(n string) bool {
		for _, a := range it.Attachments {
			if a.Name == n {
				return true
			}
		}
		return false
	}
	ext := path.Ext(name)
	stem := strings.TrimSuffix(name, ext)
	if stem == "" { // ".profile" is a name, not an extension
		stem, ext = name, ""
	}
	for n, i := name, 2; ; i++ {
		if !taken(n) {
			return n
		}
		n = stem + " (" + strconv.Itoa(i) + ")" + ext
	}
}

// sniffMediaType guesses a file's media type from its first bytes, falling back on a
// few well-known extensions when the content says nothing definite. The guess is for
// choosing a viewer; it is never trusted for anything else.
func sniffMediaType(name string, head []byte) string {
	t := http.DetectContentType(head)
	if t != "application/octet-stream" && !strings.HasPrefix(t, "text/plain") {
		return t
	}
	if e, ok := extensionTypes[strings.ToLower(path.Ext(name))]; ok {
		return e
	}
	return t
}

// extensionTypes are the extensions whose type content sniffing cannot tell (text
// formats, and containers that sniff as zip or octet-stream). A fixed table, so the
// result does not depend on the machine's MIME database.
var extensionTypes = map[string]string{
	".txt": "text/plain; charset=utf-8", ".md": "text/markdown; charset=utf-8",
	".csv": "text/csv; charset=utf-8", ".json": "application/json",
	".svg": "image/svg+xml", ".heic": "image/heic", ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".odt": "application/vnd.oasis.opendocument.text",
	".pem": "application/x-pem-file", ".kdbx": "application/x-keepass2",
}

// appendAttachment encodes one attachment record's payload:
//
//	id(16) key(32) sha256(32) added(8, Unix ns big endian) size(uvarint)
//	uvarint(len(name)) name mediatype
func appendAttachment(b []byte, a *Attachment) []byte {
	p := make([]byte, 0, 16+32+32+8+binary.MaxVarintLen64*2+len(a.Name)+len(a.MediaType))
	p = append(p, a.ID[:]...)
	p = append(p, a.key[:]...)
	p = append(p, a.SHA256[:]...)
	p = binary.BigEndian.AppendUint64(p, uint64(a.Added.UnixNano()))
	p = binary.AppendUvarint(p, uint64(a.Size))
	p = binary.AppendUvarint(p, uint64(len(a.Name)))
	p = append(p, a.Name...)
	p = append(p, a.MediaType...)
	return appendRecord(b, tagAttachment, p)
}

// decodeAttachment reverses appendAttachment, refusing what it would never write: a
// size over the limit, a name that is not clean, an ID the item already has.
func decodeAttachment(it *Item, p []byte) error {
	const fixed = 16 + KeySize + 32 + 8
	if len(p) < fixed+2 {
		return errItemCodec
	}
	var a Attachment
	copy(a.ID[:], p)
	copy(a.key[:], p[16:])
	copy(a.SHA256[:], p[16+KeySize:])
	a.Added = time.Unix(0, int64(binary.BigEndian.Uint64(p[16+KeySize+32:]))).UTC()
	p = p[fixed:]
	size, w := binary.Uvarint(p)
	if w <= 0 || w != uvarintLen(size) || size > MaxAttachmentSize {
		return errItemCodec
	}
	a.Size, p = int64(size), p[w:]
	ln, w := binary.Uvarint(p)
	if w <= 0 || w != uvarintLen(ln) || ln > uint64(len(p)-w) {
		return errItemCodec
	}
	a.Name, a.MediaType = string(p[w:w+int(ln)]), string(p[w+int(ln):])
	if !validAttachmentName(a.Name) || !utf8.ValidString(a.MediaType) || a.key == [KeySize]byte{} {
		return errItemCodec
	}
	if _, dup := it.Attachment(a.ID); dup {
		return errItemCodec
	}
	it.Attachments = append(it.Attachments, a)
	return nil
}

// checkAttachments validates the item's files: clean names, each name once, sizes in
// bounds, and content (an import's) that agrees with the size and SHA-256 it claims.
func checkAttachments(it *Item) *FieldError {
	seen := map[string]bool{}
	for _, a := range it.Attachments {
		switch {
		case !validAttachmentName(a.Name):
			return &FieldError{"attachments", fmt.Sprintf("has a file name that cannot be used (%q)", a.Name), FieldAttachment}
		case seen[a.Name]:
			return &FieldError{"attachments", fmt.Sprintf("has two files named %q", a.Name), FieldAttachment}
		case a.Size < 0 || a.Size > MaxAttachmentSize:
			return &FieldError{"attachments", fmt.Sprintf("has a file larger than 100 MiB (%q)", a.Name), FieldAttachment}
		case a.content != nil && (int64(len(a.content)) != a.Size || sha256.Sum256(a.content) != a.SHA256):
			return &FieldError{"attachments", fmt.Sprintf("has a file whose content does not match its size and SHA-256 (%q)", a.Name), FieldAttachment}
		}
		seen[a.Name] = true
	}
	return nil
}

// String names the file for logs and test output: never its key or content.
func (a Attachment) String() string {
	return fmt.Sprintf("%s (%d bytes, %s, file %s)", a.Name, a.Size, a.MediaType, a.ID)
}

// GoString is String, so that %#v does not print the file's key either.
func (a Attachment) GoString() string { return a.String() }
