package appcore

import (
	"bytes"
	"errors"
	"image"
	_ "image/gif" // the picture formats a preview decodes
	_ "image/jpeg"
	_ "image/png"
	"io"
	"path/filepath"
	"strings"

	"github.com/valvpm/valv/vault"
)

// PreviewMaxBytes is the largest picture shown as a preview: a scan or a photo fits;
// a larger file opens in the system viewer instead, so a preview never holds more than
// this much plaintext in memory.
const PreviewMaxBytes = 16 << 20

// previewMaxPixels bounds the decoded picture (4 bytes a pixel): a small file may
// declare a huge canvas, and the preview must not become a memory bomb.
const previewMaxPixels = 40_000_000

// ErrNoPreview: the file is not a picture Valv previews, or too large or damaged to.
var ErrNoPreview = errors.New("no preview of this file")

// previewTypes are the media types decoded for a preview, with their extensions for a
// file whose type was not recognised.
var previewTypes = map[string]string{"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif"}

// CanPreview reports whether a is a picture small enough for a preview.
func CanPreview(a vault.Attachment) bool {
	if a.Size > PreviewMaxBytes {
		return false
	}
	if _, ok := previewTypes[a.MediaType]; ok {
		return true
	}
	ext := strings.ToLower(filepath.Ext(a.Name))
	for _, e := range previewTypes {
		if ext == e || ext == ".jpeg" && e == ".jpg" {
			return true
		}
	}
	return false
}

// Preview decodes the picture att of item in memory, off the UI goroutine; done gets
// it on the UI goroutine.
func (c *Controller) Preview(item vault.ID, att vault.AttachmentID, done func(image.Image, error)) {
	v, a, err := c.attachment(item, att)
	if err == nil && !CanPreview(a) {
		err = ErrNoPreview
	}
	if err != nil {
		done(nil, err)
		return
	}
	c.run.Background(func() {
		img, err := openPreview(v, item, att)
		c.run.OnUI(func() {
			if err == nil && c.Locked() {
				img, err = nil, vault.ErrLocked // locked meanwhile: show nothing
			}
			done(img, err)
		})
	})
}

func openPreview(v *vault.Vault, item vault.ID, att vault.AttachmentID) (image.Image, error) {
	rc, err := v.OpenAttachment(item, att)
	if err != nil {
		return nil, err
	}
	// Read to EOF, so the vault checks the file's SHA-256 before it is shown.
	b, err := io.ReadAll(io.LimitReader(rc, PreviewMaxBytes+1))
	if err = errors.Join(err, rc.Close()); err != nil {
		return nil, err
	}
	return decodePreview(b)
}

// decodePreview decodes a PNG, JPEG or GIF picture of at most PreviewMaxBytes whose
// canvas is at most previewMaxPixels; anything else is ErrNoPreview.
func decodePreview(b []byte) (image.Image, error) {
	if len(b) > PreviewMaxBytes {
		return nil, ErrNoPreview
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(b))
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 || int64(cfg.Width)*int64(cfg.Height) > previewMaxPixels {
		return nil, ErrNoPreview
	}
	img, _, err := image.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, ErrNoPreview
	}
	return img, nil
}
