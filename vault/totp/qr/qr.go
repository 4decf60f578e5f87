// Package qr reads the otpauth:// link from a picture of an authenticator QR code — a
// screenshot, a saved image, or a picture pasted from the clipboard — so the item
// editor can take the QR code a service shows instead of its typed secret. It is apart
// from package totp so that the vault and valv-cli do not carry a QR decoder.
//
// Decoding is github.com/makiuchi-d/gozxing, a Go port of ZXing; pictures are read
// with the standard library (PNG, JPEG, GIF) and golang.org/x/image (BMP, WebP).
package qr

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	_ "image/gif"  // pictures people save
	_ "image/jpeg" // photos and screenshots
	_ "image/png"  // screenshots and clipboard images
	"io"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
	_ "golang.org/x/image/bmp"  // clipboard images on Windows
	_ "golang.org/x/image/webp" // pictures saved from browsers

	"github.com/valvpm/valv/vault/totp"
)

// Errors a person sees when a picture gives no authenticator link. Functions wrap
// them; a QR code that holds something else wraps totp.ErrInvalid instead.
var (
	// ErrNotPicture means the bytes are not a picture in a format Valv reads.
	ErrNotPicture = errors.New("this is not a picture Valv can read (use PNG, JPEG, GIF, BMP or WebP)")
	// ErrTooLarge means the picture has more pixels than Valv decodes.
	ErrTooLarge = errors.New("the picture is too large; crop it to the QR code and try again")
	// ErrNoCode means no QR code could be read in the picture.
	ErrNoCode = errors.New("no QR code could be read in the picture; try a sharper or larger picture of it")
)

// MaxPixels bounds the pictures decoded: a 6K screenshot fits, while a small file that
// claims huge dimensions is refused before any pixel memory is allocated.
const MaxPixels = 40_000_000

// maxFileBytes bounds how much of a file is read: no real picture of a QR code is
// anywhere near it.
const maxFileBytes = 64 << 20

// ReadURI decodes a picture file (or the bytes of a pasted image) and returns the
// authenticator link in its QR code, checked with totp.Parse.
func ReadURI(r io.Reader) (string, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxFileBytes+1))
	if err != nil {
		return "", fmt.Errorf("reading the picture: %w", err)
	}
	if len(b) > maxFileBytes {
		return "", ErrTooLarge
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return "", ErrNotPicture
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || int64(cfg.Width)*int64(cfg.Height) > MaxPixels {
		return "", ErrTooLarge
	}
	img, _, err := image.Decode(bytes.NewReader(b))
	if err != nil {
		return "", ErrNotPicture
	}
	return DecodeURI(img)
}

// DecodeURI finds a QR code in img and returns the authenticator link it holds. A QR
// code with anything else in it (a web address, plain text) is refused with an error
// wrapping totp.ErrInvalid; the code's content is not repeated, as it may be a secret.
func DecodeURI(img image.Image) (string, error) {
	b := img.Bounds()
	if b.Dx() <= 0 || b.Dy() <= 0 || int64(b.Dx())*int64(b.Dy()) > MaxPixels {
		return "", ErrTooLarge
	}
	text, ok := decode(img)
	if !ok {
		return "", ErrNoCode
	}
	if _, err := totp.Parse(text); err != nil {
		return "", fmt.Errorf("the QR code does not hold an authenticator secret: %w", err)
	}
	return text, nil
}

// decode tries the ways a QR code appears in pictures: dark on light, then light on
// dark (apps in a dark theme), each first with the binarizer made for uneven light.
func decode(img image.Image) (text string, ok bool) {
	// gozxing is a port of a large Java library; a crafted picture must not bring the
	// app down with it, so a panic is a picture without a readable code.
	defer func() {
		if recover() != nil {
			text, ok = "", false
		}
	}()
	src := gozxing.NewLuminanceSourceFromImage(img)
	hints := map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true}
	for _, s := range []gozxing.LuminanceSource{src, gozxing.NewInvertedLuminanceSource(src)} {
		for _, bin := range []gozxing.Binarizer{gozxing.NewHybridBinarizer(s), gozxing.NewGlobalHistgramBinarizer(s)} {
			bmp, err := gozxing.NewBinaryBitmap(bin)
			if err != nil {
				continue
			}
			if res, err := qrcode.NewQRCodeReader().Decode(bmp, hints); err == nil {
				return res.GetText(), true
			}
		}
	}
	return "", false
}
