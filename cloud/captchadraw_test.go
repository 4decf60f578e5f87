package cloud

import (
	"image"
	"image/color"
	"image/draw"
	mrand "math/rand/v2"
	"testing"

	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// TestCaptchaZeroNotEight: a 0 and an 8 of the captcha differ where a person looks:
// the 8's strokes cross at its centre, and the 0, whose ring is empty there, carries a
// slash through it, however each picture bends the digit.
func TestCaptchaZeroNotEight(t *testing.T) {
	f, err := loadCaptchaFont()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []rune{'0', '8'} {
		var buf sfnt.Buffer
		idx, err := f.GlyphIndex(&buf, r)
		if err != nil {
			t.Fatal(err)
		}
		segs, err := f.LoadGlyph(&buf, idx, fixed.I(46), nil)
		if err != nil {
			t.Fatal(err)
		}
		b := segs.Bounds()
		gh := float64(b.Max.Y-b.Min.Y) / 64
		for seed := range uint64(40) {
			img := image.NewRGBA(image.Rect(0, 0, captchaW, captchaH))
			draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
			const x, baseline = 80, 55
			gw, err := drawGlyph(img, mrand.New(mrand.NewPCG(seed, 1)), f, r, x, baseline)
			if err != nil {
				t.Fatal(err)
			}
			// Where the glyph's own warp (its first draw from the picture's randomness)
			// put its centre.
			fx, fy := newWarp(mrand.New(mrand.NewPCG(seed, 1)), x+gw/2, baseline-gh/2).at(0, 0)
			cx, cy := int(fx), int(fy)
			inked := 0
			for y := cy - 1; y <= cy+1; y++ {
				for x := cx - 1; x <= cx+1; x++ {
					if c := img.RGBAAt(x, y); c != (color.RGBA{255, 255, 255, 255}) {
						inked++
					}
				}
			}
			if inked == 0 {
				t.Errorf("%c (picture %d) has no ink at its centre: a 0 there reads as an 8 and back", r, seed)
			}
		}
	}
}
