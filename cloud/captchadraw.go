package cloud

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"
	mrand "math/rand/v2"
	"sync"

	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"
)

// The captcha picture. It only has to keep simple scripts from guessing passwords at
// scale; the per-account and per-address limits are the real guard. What it must not
// give a script is the shortcut the old 5×7 bitmaps gave: glyphs of one exact colour on
// a fixed grid, read by grouping pixels by colour. So the digits are outlines of a real
// font, each turned, sheared and bent by its own random warp, placed without a grid,
// drawn anti-aliased (their edges take every shade between ink and background); the
// strokes and specks around them use the same inks; and a final grain gives every
// pixel its own colour, so no group of equal pixels outlines anything.

const captchaW, captchaH = 200, 70

var (
	captchaFontOnce sync.Once
	captchaFont     *sfnt.Font
	captchaFontErr  error
)

func loadCaptchaFont() (*sfnt.Font, error) {
	captchaFontOnce.Do(func() { captchaFont, captchaFontErr = sfnt.Parse(gobold.TTF) })
	return captchaFont, captchaFontErr
}

// inks are the colours glyphs and noise share: dark enough to read on the light
// background, different enough from each other that colour says nothing.
var inks = []color.RGBA{{31, 58, 147, 255}, {120, 35, 90, 255}, {20, 100, 80, 255}, {140, 70, 20, 255}, {60, 60, 60, 255}}

// warp is a smooth random distortion of the plane: turn, shear, scale and a wave.
type warp struct {
	cx, cy, cos, sin, shear, scale float64
	ax, fx, px, ay, fy, py         float64
}

func newWarp(rnd *mrand.Rand, cx, cy float64) warp {
	a := (rnd.Float64()*2 - 1) * 0.4 // up to about 23°
	return warp{cx: cx, cy: cy, cos: math.Cos(a), sin: math.Sin(a), shear: (rnd.Float64()*2 - 1) * 0.35,
		scale: 0.85 + rnd.Float64()*0.3,
		ax:    1 + rnd.Float64()*2, fx: 0.15 + rnd.Float64()*0.2, px: rnd.Float64() * 6.3,
		ay: 1 + rnd.Float64()*2, fy: 0.15 + rnd.Float64()*0.2, py: rnd.Float64() * 6.3}
}

func (w warp) at(x, y float64) (float32, float32) {
	x, y = (x+w.shear*y)*w.scale, y*w.scale
	x, y = x*w.cos-y*w.sin, x*w.sin+y*w.cos
	x += w.ax * math.Sin(y*w.fx+w.px)
	y += w.ay * math.Sin(x*w.fy+w.py)
	return float32(w.cx + x), float32(w.cy + y)
}

// fill blends ink into img wherever the rasterizer's path covers, with opacity alpha.
func fill(img *image.RGBA, z *vector.Rasterizer, ink color.RGBA, alpha uint8) {
	mask := image.NewAlpha(img.Bounds())
	z.Draw(mask, mask.Bounds(), image.Opaque, image.Point{})
	src := image.NewUniform(color.RGBA{ink.R, ink.G, ink.B, 255})
	draw.DrawMask(img, img.Bounds(), src, image.Point{}, &alphaScale{mask, alpha}, image.Point{}, draw.Over)
}

// alphaScale scales a mask by a constant opacity.
type alphaScale struct {
	*image.Alpha
	a uint8
}

func (m *alphaScale) At(x, y int) color.Color {
	return color.Alpha{uint8(uint16(m.AlphaAt(x, y).A) * uint16(m.a) / 255)}
}

// drawGlyph rasterizes digit r at (x, baseline) through a warp of its own.
func drawGlyph(img *image.RGBA, rnd *mrand.Rand, f *sfnt.Font, r rune, x, baseline float64) (advance float64, err error) {
	var buf sfnt.Buffer
	idx, err := f.GlyphIndex(&buf, r)
	if err != nil || idx == 0 {
		return 0, fmt.Errorf("cloud: captcha font has no %q", r)
	}
	const ppem = 46
	segs, err := f.LoadGlyph(&buf, idx, fixed.I(ppem), nil)
	if err != nil {
		return 0, err
	}
	b := segs.Bounds()
	gw, gh := float64(b.Max.X-b.Min.X)/64, float64(b.Max.Y-b.Min.Y)/64
	ox, oy := float64(b.Min.X)/64+gw/2, float64(b.Min.Y)/64+gh/2 // the glyph's centre
	w := newWarp(rnd, x+gw/2, baseline-gh/2)
	pt := func(p fixed.Point26_6) (float32, float32) { return w.at(float64(p.X)/64-ox, float64(p.Y)/64-oy) }
	z := vector.NewRasterizer(captchaW, captchaH)
	for _, s := range segs {
		switch s.Op {
		case sfnt.SegmentOpMoveTo:
			z.MoveTo(pt(s.Args[0]))
		case sfnt.SegmentOpLineTo:
			z.LineTo(pt(s.Args[0]))
		case sfnt.SegmentOpQuadTo:
			x1, y1 := pt(s.Args[0])
			x2, y2 := pt(s.Args[1])
			z.QuadTo(x1, y1, x2, y2)
		case sfnt.SegmentOpCubeTo:
			x1, y1 := pt(s.Args[0])
			x2, y2 := pt(s.Args[1])
			x3, y3 := pt(s.Args[2])
			z.CubeTo(x1, y1, x2, y2, x3, y3)
		}
	}
	z.ClosePath()
	ink := inks[rnd.IntN(len(inks))]
	fill(img, z, ink, 255)
	if r == '0' {
		// Bent and turned, a plain 0 is easily read as an 8: a slash through its
		// counter, as on a slashed zero, sets it apart. It is filled on its own so
		// that where it crosses the ring the two cannot cancel out.
		z = vector.NewRasterizer(captchaW, captchaH)
		hw := gw * 0.13 // half the slash's thickness
		ax, ay, bx, by := -gw*0.3, gh*0.36, gw*0.3, -gh*0.36
		z.MoveTo(w.at(ax-hw, ay))
		z.LineTo(w.at(bx-hw, by))
		z.LineTo(w.at(bx+hw, by))
		z.LineTo(w.at(ax+hw, ay))
		z.ClosePath()
		fill(img, z, ink, 255)
	}
	return gw, nil
}

// stroke draws a wavy line of ink from one side to the other, as thick as width.
func stroke(img *image.RGBA, rnd *mrand.Rand, width float64) {
	z := vector.NewRasterizer(captchaW, captchaH)
	y0, y1 := 10+rnd.Float64()*50, 10+rnd.Float64()*50
	amp, freq, phase := 3+rnd.Float64()*8, 0.02+rnd.Float64()*0.05, rnd.Float64()*6.3
	const n = 40
	var top, bottom [n + 1][2]float32
	for i := 0; i <= n; i++ {
		x := -5 + float64(i)*(captchaW+10)/n
		y := y0 + (y1-y0)*float64(i)/n + amp*math.Sin(x*freq+phase)
		hw := width / 2 * (0.6 + 0.4*math.Sin(float64(i)*0.7+phase))
		top[i] = [2]float32{float32(x), float32(y - hw)}
		bottom[i] = [2]float32{float32(x), float32(y + hw)}
	}
	z.MoveTo(top[0][0], top[0][1])
	for i := 1; i <= n; i++ {
		z.LineTo(top[i][0], top[i][1])
	}
	for i := n; i >= 0; i-- {
		z.LineTo(bottom[i][0], bottom[i][1])
	}
	z.ClosePath()
	fill(img, z, inks[rnd.IntN(len(inks))], uint8(170+rnd.IntN(86)))
}

// speck draws a small ink blot.
func speck(img *image.RGBA, rnd *mrand.Rand) {
	z := vector.NewRasterizer(captchaW, captchaH)
	cx, cy, r := rnd.Float64()*captchaW, rnd.Float64()*captchaH, 0.8+rnd.Float64()*2.2
	z.MoveTo(float32(cx+r), float32(cy))
	for i := 1; i < 10; i++ {
		a := float64(i) * 2 * math.Pi / 10
		rr := r * (0.7 + 0.3*rnd.Float64())
		z.LineTo(float32(cx+rr*math.Cos(a)), float32(cy+rr*math.Sin(a)))
	}
	z.ClosePath()
	fill(img, z, inks[rnd.IntN(len(inks))], uint8(120+rnd.IntN(136)))
}

// captchaPNG draws text (digits) as described above.
func captchaPNG(text string) ([]byte, error) {
	f, err := loadCaptchaFont()
	if err != nil {
		return nil, err
	}
	rnd := mrand.New(mrand.NewPCG(mrand.Uint64(), mrand.Uint64()))
	img := image.NewRGBA(image.Rect(0, 0, captchaW, captchaH))
	tint := [3]float64{225 + rnd.Float64()*20, 225 + rnd.Float64()*20, 225 + rnd.Float64()*20}
	for y := 0; y < captchaH; y++ {
		for x := 0; x < captchaW; x++ {
			g := 8 * math.Sin(float64(x)*0.03+float64(y)*0.05)
			img.SetRGBA(x, y, color.RGBA{uint8(tint[0] + g), uint8(tint[1] - g), uint8(tint[2] + g/2), 255})
		}
	}
	for range 3 {
		stroke(img, rnd, 1.2+rnd.Float64()*1.5)
	}
	for range 45 {
		speck(img, rnd)
	}
	x := 6 + rnd.Float64()*10
	for _, r := range text {
		adv, err := drawGlyph(img, rnd, f, r, x, 50+rnd.Float64()*10)
		if err != nil {
			return nil, err
		}
		x += adv + 1 + rnd.Float64()*5
	}
	for range 2 {
		stroke(img, rnd, 1+rnd.Float64())
	}
	// Grain: every pixel its own colour.
	for i := 0; i < len(img.Pix); i += 4 {
		for c := range 3 {
			v := int(img.Pix[i+c]) + rnd.IntN(17) - 8
			img.Pix[i+c] = uint8(min(255, max(0, v)))
		}
	}
	var out bytes.Buffer
	if err := png.Encode(&out, img); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}
