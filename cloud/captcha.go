package cloud

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	mrand "math/rand/v2"
	"net/http"
	"strings"
	"time"

	"github.com/valvpm/valv/cloud/api"
)

// captchaTTL: a captcha can be answered once, within two minutes, so a solved picture
// cannot be kept and replayed for later guesses.
const captchaTTL = 2 * time.Minute

type captchaRec struct {
	AnswerHash string    `json:"a"`
	PNG        []byte    `json:"png"`
	Expires    time.Time `json:"exp"`
}

// newCaptcha makes and stores a challenge.
func (s *Server) newCaptcha() (*api.Captcha, error) {
	var answer string
	var err error
	if s.cfg.CaptchaText != nil {
		answer = s.cfg.CaptchaText()
	} else if answer, err = s.randomDigits(5); err != nil {
		return nil, err
	}
	id, err := s.randomID()
	if err != nil {
		return nil, err
	}
	img, err := captchaPNG(answer)
	if err != nil {
		return nil, err
	}
	exp := s.now().Add(captchaTTL)
	rec := captchaRec{AnswerHash: hashSecret(answer), PNG: img, Expires: exp}
	if err := tempPut(s, tmpCaptcha, id, rec, captchaTTL); err != nil {
		return nil, err
	}
	return &api.Captcha{ID: id, ImageURL: s.cfg.BaseURL + api.PathCaptchaPrefix + id + ".png", ImagePNG: img, ExpiresAt: exp}, nil
}

// captchaErr is a captcha_required / captcha_wrong error carrying a fresh challenge.
func (s *Server) captchaErr(code api.Code, msg string) error {
	c, err := s.newCaptcha()
	if err != nil {
		return err
	}
	e := errf(http.StatusUnauthorized, code, "%s", msg)
	e.body.Captcha = c
	return e
}

// solveCaptcha consumes the captcha whatever the answer: one guess per picture.
func (s *Server) solveCaptcha(id, answer string) (bool, error) {
	rec, found, err := tempTake[captchaRec](s, tmpCaptcha, id)
	if err != nil || !found {
		return false, err
	}
	return hashSecret(strings.TrimSpace(answer)) == rec.AnswerHash, nil
}

func (s *Server) handleCaptchaImage(w http.ResponseWriter, r *http.Request) {
	id, ok := strings.CutSuffix(r.PathValue("file"), ".png")
	var img []byte
	if ok {
		err := tempUpdate(s, tmpCaptcha, id, func(rec *captchaRec, found bool) (bool, time.Duration, error) {
			img = rec.PNG
			return found, rec.Expires.Sub(s.now()), nil
		})
		if err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if img == nil {
		writeErr(w, errf(http.StatusNotFound, api.CodeNotFound, "This picture has expired. Ask for a new one."))
		return
	}
	w.Header().Set("Content-Type", "image/png")
	_, _ = w.Write(img) // a failed write is a gone client
}

// glyphs is a 5×7 bitmap font for the digits: enough for a captcha, no font files.
var glyphs = map[rune][7]string{
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

// captchaPNG draws text with jittered, scaled glyphs over noise. It only has to stop
// naive scripts: the real protection is the per-account and per-address limits.
func captchaPNG(text string) ([]byte, error) {
	const scale, w, h = 5, 200, 70
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	rnd := mrand.New(mrand.NewPCG(mrand.Uint64(), mrand.Uint64()))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			g := uint8(225 + rnd.IntN(30))
			img.Set(x, y, color.RGBA{g, g, uint8(235 + rnd.IntN(20)), 255})
		}
	}
	for i := 0; i < 6; i++ { // noise lines
		x0, y0, x1, y1 := rnd.IntN(w), rnd.IntN(h), rnd.IntN(w), rnd.IntN(h)
		c := color.RGBA{uint8(rnd.IntN(160)), uint8(rnd.IntN(160)), uint8(rnd.IntN(160)), 255}
		for t := 0; t <= 100; t++ {
			img.Set(x0+(x1-x0)*t/100, y0+(y1-y0)*t/100, c)
		}
	}
	x := 12
	for _, ch := range text {
		g, ok := glyphs[ch]
		if !ok {
			x += 6 * scale
			continue
		}
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
