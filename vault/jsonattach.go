package vault

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"
)

// attachmentJSON is an attached file in Valv's JSON (docs/json-format.md): what the item
// says about it, and in an export its content, base64 (encoding/json's form of []byte).
type attachmentJSON struct {
	ID        string    `json:"id,omitempty"`
	Name      string    `json:"name"`
	Size      int64     `json:"size"`
	MediaType string    `json:"media_type,omitempty"`
	SHA256    string    `json:"sha256"`
	Added     time.Time `json:"added,omitzero"`
	Data      []byte    `json:"data,omitempty"`
}

func newAttachmentJSON(a Attachment) attachmentJSON {
	j := attachmentJSON{Name: a.Name, Size: a.Size, MediaType: a.MediaType, SHA256: hex.EncodeToString(a.SHA256[:]), Data: a.content}
	if a.ID != (AttachmentID{}) {
		j.ID = a.ID.String()
	}
	if !a.Added.IsZero() {
		j.Added = a.Added.UTC()
	}
	return j
}

// attachment turns the JSON back into an Attachment carrying its content (if the JSON
// had it); Validate checks that content, size and SHA-256 agree.
func (j attachmentJSON) attachment() (Attachment, error) {
	a := Attachment{Name: j.Name, Size: j.Size, MediaType: j.MediaType, Added: j.Added.UTC(), content: j.Data}
	if a.content == nil && j.Size == 0 { // omitempty drops an empty file's "data"
		a.content = []byte{}
	}
	if j.ID != "" {
		id, err := ParseAttachmentID(j.ID)
		if err != nil {
			return a, err
		}
		a.ID = id
	}
	sum, err := hex.DecodeString(j.SHA256)
	if err != nil || len(sum) != len(a.SHA256) {
		return a, fmt.Errorf("the file %q has no valid sha256", j.Name)
	}
	copy(a.SHA256[:], sum)
	return a, nil
}

// WithContent returns a copy of a carrying data as its content: what an export writes
// (base64 in JSON) and an import stores again.
func (a Attachment) WithContent(data []byte) Attachment {
	a.content = data
	return a
}

// MarshalJSON encodes the file as it appears in an item's "attachments" (without the
// key; with "data" only when it carries content), so listings print the one schema.
func (a Attachment) MarshalJSON() ([]byte, error) { return json.Marshal(newAttachmentJSON(a)) }
