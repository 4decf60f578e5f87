package cloud

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	mrand "math/rand/v2"
	"sort"
	"testing"

	"github.com/valvpm/valv/cloud/api"
)

// TestAttackParallelWrongSignIns (Medium 2): forty wrong passwords for one account sent
// at once get no more password checks than the rule allows before the captcha (three);
// every other answer demands the picture.
func TestAttackParallelWrongSignIns(t *testing.T) {
	e := newEnv(t)
	e.newAccount("race@example.com")
	var got tally
	parallel(40, func(int) {
		_, ae, err := e.try("POST", api.PathSessions, "", api.SignInRequest{Email: "race@example.com", Password: "Wrong-pass-1"}, nil)
		got.add(ae, err)
	})
	if n := got.get(api.CodeInvalidCredentials); n > failsPerAccount {
		t.Errorf("%d password checks before the captcha, the rule allows %d (%v)", n, failsPerAccount, got.n)
	}
	if n := got.get(api.CodeCaptchaRequired); n < 40-failsPerAccount {
		t.Errorf("only %d answers demanded the captcha (%v)", n, got.n)
	}
	got.only(t, api.CodeInvalidCredentials, api.CodeCaptchaRequired)
	// The counter also holds for the address across accounts: forty parallel tries of
	// forty e-mails check at most ten passwords.
	var byIP tally
	parallel(40, func(i int) {
		_, ae, err := e.try("POST", api.PathSessions, "", api.SignInRequest{Email: fmt.Sprintf("nobody%d@example.com", i), Password: "Wrong-pass-1"}, nil)
		byIP.add(ae, err)
	})
	if n := byIP.get(api.CodeInvalidCredentials); n > failsPerAddress {
		t.Errorf("%d password checks from one address, the rule allows %d (%v)", n, failsPerAddress, byIP.n)
	}
	byIP.only(t, api.CodeInvalidCredentials, api.CodeCaptchaRequired)
}

// TestAttackCaptchaColourGrouping (Medium 2): the reviewer's solver — group pixels by
// exact colour, take the big groups as glyphs, read each glyph off the 5×7 grid —
// reads the old pictures; it must not read the new ones.
func TestAttackCaptchaColourGrouping(t *testing.T) {
	rnd := mrand.New(mrand.NewPCG(1, 2))
	answer := func() string {
		return fmt.Sprintf("%05d", rnd.IntN(100000))
	}
	solved := func(render func(string) ([]byte, error), n int) int {
		ok := 0
		for range n {
			a := answer()
			img, err := render(a)
			if err != nil {
				t.Fatal(err)
			}
			if colourGroupingSolver(t, img) == a {
				ok++
			}
		}
		return ok
	}
	if n := solved(legacyCaptchaPNG, 20); n < 18 {
		t.Fatalf("the solver reads only %d of 20 old pictures: it is not the reviewer's solver", n)
	}
	if n := solved(captchaPNG, 50); n > 1 {
		t.Errorf("the solver reads %d of 50 new pictures", n)
	}
}

// colourGroupingSolver is the reviewer's 40-line program.
func colourGroupingSolver(t *testing.T, pngBytes []byte) string {
	img, err := png.Decode(bytes.NewReader(pngBytes))
	if err != nil {
		t.Fatal(err)
	}
	type group struct {
		n                      int
		minX, minY, maxX, maxY int
		pix                    map[image.Point]bool
	}
	groups := map[color.RGBA]*group{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)
			g := groups[c]
			if g == nil {
				g = &group{minX: x, minY: y, maxX: x, maxY: y, pix: map[image.Point]bool{}}
				groups[c] = g
			}
			g.n++
			g.minX, g.minY, g.maxX, g.maxY = min(g.minX, x), min(g.minY, y), max(g.maxX, x), max(g.maxY, y)
			g.pix[image.Pt(x, y)] = true
		}
	}
	var glyphGroups []*group
	for _, g := range groups {
		if g.n >= 150 && g.maxX-g.minX < 40 && g.maxY-g.minY < 40 {
			glyphGroups = append(glyphGroups, g)
		}
	}
	if len(glyphGroups) != 5 {
		return ""
	}
	sort.Slice(glyphGroups, func(i, j int) bool { return glyphGroups[i].minX < glyphGroups[j].minX })
	out := ""
	for _, g := range glyphGroups {
		best, bestDist := '?', 1<<30
		for d, rows := range legacyGlyphs {
			c0, r0 := 5, 7
			for r, row := range rows {
				for c, bit := range row {
					if bit == '1' {
						c0, r0 = min(c0, c), min(r0, r)
					}
				}
			}
			x0, y0 := g.minX-c0*5, g.minY-r0*5
			dist := 0
			for r, row := range rows {
				for c, bit := range row {
					if g.pix[image.Pt(x0+c*5+2, y0+r*5+2)] != (bit == '1') {
						dist++
					}
				}
			}
			if dist < bestDist {
				best, bestDist = d, dist
			}
		}
		out += string(best)
	}
	return out
}

// legacyGlyphs and legacyCaptchaPNG are the captcha the review broke, kept here to show
// the solver above is the one that broke it.
var legacyGlyphs = map[rune][7]string{
	'0': {"01110", "10001", "10011", "10101", "11001", "10001", "01110"},
	'1': {"00100", "01100", "00100", "00100", "00100", "00100", "01110"},
	'2': {"01110", "10001", "00001", "00010", "00100", "01000", "11111"},
	'3': {"11110", "00001", "00001", "01110", "00001", "00001", "11110"},
	'4': {"00010", "00110", "01010", "10010", "11111", "00010", "00010"},
	'5': {"11111", "10000", "11110", "00001", "00001", "10001", "01110"},
	'6': {"00110", "01000", "10000", "11110", "10001", "10001", "01110"},
	'7': {"11111", "00001", "00010", "00100", "01000", "01000", "01000"},
	'8': {"01110", "10001", "10001", "01110", "10001", "10001", "01110"},
	'9': {"01110", "10001", "10001", "01111", "00001", "00010", "01100"},
}

func legacyCaptchaPNG(text string) ([]byte, error) {
	const scale, w, h = 5, 200, 70
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	rnd := mrand.New(mrand.NewPCG(mrand.Uint64(), mrand.Uint64()))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			g := uint8(225 + rnd.IntN(30))
			img.Set(x, y, color.RGBA{g, g, uint8(235 + rnd.IntN(20)), 255})
		}
	}
	for i := 0; i < 6; i++ {
		x0, y0, x1, y1 := rnd.IntN(w), rnd.IntN(h), rnd.IntN(w), rnd.IntN(h)
		c := color.RGBA{uint8(rnd.IntN(160)), uint8(rnd.IntN(160)), uint8(rnd.IntN(160)), 255}
		for t := 0; t <= 100; t++ {
			img.Set(x0+(x1-x0)*t/100, y0+(y1-y0)*t/100, c)
		}
	}
	x := 12
	for _, ch := range text {
		g := legacyGlyphs[ch]
		dy := 8 + rnd.IntN(20)
		c := color.RGBA{uint8(rnd.IntN(90)), uint8(rnd.IntN(90)), uint8(60 + rnd.IntN(100)), 255}
		for gy, row := range g {
			for gx, bit := range row {
				if bit != '1' {
					continue
				}
				for py := 0; py < scale; py++ {
					for px := 0; px < scale; px++ {
						img.Set(x+gx*scale+px+py/3, dy+gy*scale+py, c)
					}
				}
			}
		}
		x += 6*scale + rnd.IntN(6)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
