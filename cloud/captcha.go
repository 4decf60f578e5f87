package cloud

import (
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
