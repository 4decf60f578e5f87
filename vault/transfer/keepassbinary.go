package transfer

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/valvpm/valv/vault"
)

// KeePass XML attachments: an entry's <Binary> names a file and points (Value Ref) into
// the pool in Meta/Binaries, where each file is base64, gzip-compressed when it says so.

// kpBinaries decodes the binary pool. A file that cannot be decoded, or is larger
// than an attachment may be, is left out: the entries naming it keep just its name.
func kpBinaries(meta *xnode) map[string][]byte {
	out := map[string][]byte{}
	if meta == nil {
		return out
	}
	for _, b := range meta.child("Binaries").all("Binary") {
		raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(b.text))
		if err != nil {
			continue
		}
		if strings.EqualFold(b.attr("Compressed"), "true") {
			zr, err := gzip.NewReader(bytes.NewReader(raw))
			if err != nil {
				continue
			}
			// Bounded, so a small crafted pool cannot inflate into gigabytes.
			raw, err = io.ReadAll(io.LimitReader(zr, vault.MaxAttachmentSize+1))
			if err != nil {
				continue
			}
		}
		if len(raw) <= vault.MaxAttachmentSize {
			out[b.attr("ID")] = raw
		}
	}
	return out
}

// attachments adds the entry's files to it. One the pool lacks (or whose name is not
// usable, or repeats) is kept as a field with its name, so the import says it existed.
func (w *kpWalker) attachments(it *vault.Item, e *xnode) {
	for _, b := range e.all("Binary") {
		key := b.value("Key")
		data, ok := w.binaries[b.child("Value").attr("Ref")]
		name, err := vault.CleanAttachmentName(key)
		if ok && err == nil && !slices.ContainsFunc(it.Attachments, func(a vault.Attachment) bool { return a.Name == name }) {
			it.Attachments = append(it.Attachments, vault.NewAttachment(name, "", data, time.Time{}))
			continue
		}
		it.Fields = append(it.Fields, vault.Field{Name: "Attachment (not imported)", Value: key})
	}
}
