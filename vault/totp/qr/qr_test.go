package qr

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"image/png"
	"testing"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/valvpm/valv/vault/totp"
)

const uri = "otpauth://totp/ACME%20Co:john.doe@example.com?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ&issuer=ACME%20Co&algorithm=SHA256&digits=8&period=60"

// qrImage draws text as a QR code with an encoder independent of the decoder.
func qrImage(t testing.TB, text string, size int, fg, bg color.Color) image.Image {
	t.Helper()
	q, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		t.Fatal(err)
	}
	q.ForegroundColor, q.BackgroundColor = fg, bg
	return q.Image(size)
}

func encodePNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestRoundTrip: a QR code generated here from a URI decodes back to that exact URI,
// as a PNG file, a JPEG photo, light on dark, and inside a larger screenshot.
func TestRoundTrip(t *testing.T) {
	plain := qrImage(t, uri, 320, color.Black, color.White)
	var jp bytes.Buffer
	if err := jpeg.Encode(&jp, plain, &jpeg.Options{Quality: 70}); err != nil {
		t.Fatal(err)
	}
	// A screenshot: the code off-centre on a grey page.
	shot := image.NewRGBA(image.Rect(0, 0, 1280, 800))
	draw.Draw(shot, shot.Bounds(), image.NewUniform(color.RGBA{0xee, 0xee, 0xee, 0xff}), image.Point{}, draw.Src)
	draw.Draw(shot, image.Rect(700, 240, 1020, 560), plain, image.Point{}, draw.Src)
	dark := qrImage(t, uri, 320, color.White, color.RGBA{0x20, 0x20, 0x28, 0xff})

	for name, file := range map[string][]byte{
		"png":        encodePNG(t, plain),
		"jpeg":       jp.Bytes(),
		"screenshot": encodePNG(t, shot),
		"dark theme": encodePNG(t, dark),
	} {
		got, err := ReadURI(bytes.NewReader(file))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if got != uri {
			t.Errorf("%s: decoded %q, want %q", name, got, uri)
		}
	}
	if _, err := totp.Parse(uri); err != nil {
		t.Fatal(err)
	}
}

func TestRefuses(t *testing.T) {
	blank := image.NewGray(image.Rect(0, 0, 200, 200))
	draw.Draw(blank, blank.Bounds(), image.White, image.Point{}, draw.Src)
	for _, c := range []struct {
		name string
		file []byte
		want error
	}{
		{"not a picture", []byte("otpauth://totp/x?secret=JBSWY3DPEHPK3PXP"), ErrNotPicture},
		{"empty", nil, ErrNotPicture},
		{"no code", encodePNG(t, blank), ErrNoCode},
		{"a web address", encodePNG(t, qrImage(t, "https://example.com/login", 256, color.Black, color.White)), totp.ErrInvalid},
		{"a bad secret", encodePNG(t, qrImage(t, "otpauth://totp/x?secret=NOT-BASE32!", 256, color.Black, color.White)), totp.ErrInvalid},
		{"huge dimensions", hugePNG(t), ErrTooLarge},
	} {
		_, err := ReadURI(bytes.NewReader(c.file))
		if !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
}

// hugePNG is a valid 1×1 PNG whose header claims 100,000 × 100,000 pixels: decoding
// it naively would allocate 40 GB.
func hugePNG(t *testing.T) []byte {
	b := encodePNG(t, image.NewGray(image.Rect(0, 0, 1, 1)))
	// IHDR's data starts after the 8-byte signature, 4-byte length and 4-byte type.
	binary.BigEndian.PutUint32(b[16:], 100_000)
	binary.BigEndian.PutUint32(b[20:], 100_000)
	binary.BigEndian.PutUint32(b[29:], crc32.ChecksumIEEE(b[12:29]))
	return b
}

// FuzzReadURI: arbitrary bytes never panic or hang the decoder, and anything it
// returns is an authenticator link. Seeds in testdata/fuzz/FuzzReadURI.
func FuzzReadURI(f *testing.F) {
	f.Add(encodePNG(f, qrImage(f, "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP", 64, color.Black, color.White)))
	f.Add([]byte("GIF89a"))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := ReadURI(bytes.NewReader(b))
		if err != nil {
			return
		}
		if _, err := totp.Parse(s); err != nil {
			t.Fatalf("returned %q, which totp refuses: %v", s, err)
		}
	})
}
