package cloud

import (
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"html/template"
	"net/http"
	"strings"
	"time"

	"github.com/valvpm/valv/cloud/api"
	"github.com/valvpm/valv/cloud/store"
)

// The web portal ("Valv Account" site): server-rendered pages over the same service
// functions as the API. A signed-in browser holds a portal session's access token in
// an HttpOnly cookie; every POST carries a CSRF token that must match a second,
// SameSite=Strict cookie (double submit), and a cross-origin Origin header is refused.
const (
	cookieSession = "valv_portal"
	cookieCSRF    = "valv_csrf"
)

// portal holds the parsed pages.
type portal struct {
	pages map[string]*template.Template
}

// pageData is what every page template gets.
type pageData struct {
	Title     string
	CSRF      string
	Err       string
	Msg       string
	Account   *api.Account
	Providers []providerButton
	Regions   []RegionConfig
	Terms     api.Statement
	Statement *api.Statement // the region's statement on data provision (connect page)
	Form      map[string]string
	Captcha   *api.Captcha
	SMS       *api.SMSChallenge
	// EmailCheck is the address-proving code's challenge ("verify" page).
	EmailCheck *api.EmailChallenge
	Sessions   []api.SessionInfo
	Subs       *api.SubscriptionsResponse
	Pending    string
}

type providerButton struct{ ID, Name, URL string }

// CaptchaSrc is the captcha as a data: URL, so the page needs no second request.
func (d *pageData) CaptchaSrc() template.URL {
	if d.Captcha == nil {
		return ""
	}
	return template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(d.Captcha.ImagePNG))
}

func (s *Server) initPortal() error {
	s.portal = &portal{pages: map[string]*template.Template{}}
	base, err := template.New("layout").Funcs(template.FuncMap{
		"date": func(t time.Time) string { return t.Format("2 Jan 2006") },
		"when": func(t time.Time) string { return t.Format("2 Jan 2006 15:04 MST") },
		// proofFor and sendCode feed the "proof" and "sendcode" templates of the
		// account page's sensitive forms.
		"proofFor": func(d *pageData, id string) map[string]any {
			return map[string]any{"ID": id, "HasPassword": d.Account != nil && d.Account.HasPassword}
		},
		"sendCode": func(d *pageData, action, id string) map[string]any {
			return map[string]any{"CSRF": d.CSRF, "Action": action, "ID": id}
		},
	}).Parse(layoutHTML)
	if err != nil {
		return err
	}
	for name, body := range pageHTML {
		t, err := template.Must(base.Clone()).Parse(body)
		if err != nil {
			return err
		}
		s.portal.pages[name] = t
	}
	return nil
}

// Fixed confirmation messages, chosen by key in ?msg= so nothing a link carries is
// shown verbatim.
var portalMsgs = map[string]string{
	"created":    "Your Valv Account is ready.",
	"settings":   "Settings saved.",
	"password":   "Password saved. Every other device and browser was signed out; sign in there with the new password.",
	"verified":   "Your e-mail address is confirmed.",
	"codesent":   "We e-mailed you a code. It is valid for 10 minutes.",
	"twostep":    "Two-step verification is on. Sign-ins will ask for a code sent by SMS.",
	"twostepoff": "Two-step verification is off.",
	"activated":  "Activation code accepted.",
	"revoked":    "The session was signed out.",
	"sent":       "If an account exists for that e-mail, we sent it a link to choose a new password.",
	"reset":      "Your password was changed and every device was signed out. Sign in with the new password.",
	"deleted":    "Your account was deleted.",
	"signedout":  "You are signed out.",
}

func (s *Server) portalRoutes() {
	m := s.mux
	get := func(path string, h func(w http.ResponseWriter, r *http.Request) error) {
		m.Handle(path, methods{"GET": s.portalHandler(h)})
	}
	both := func(path string, g, p func(w http.ResponseWriter, r *http.Request) error) {
		m.Handle(path, methods{"GET": s.portalHandler(g), "POST": s.portalPost(p)})
	}
	post := func(path string, p func(w http.ResponseWriter, r *http.Request) error) {
		m.Handle(path, methods{"POST": s.portalPost(p)})
	}
	m.Handle("/portal", http.RedirectHandler("/portal/", http.StatusFound))
	// The server's bare address is what a person types into a browser: the portal is
	// the only page for them there (the API's clients never ask for /).
	m.Handle("/{$}", methods{"GET": http.RedirectHandler(api.PathPortal, http.StatusFound).ServeHTTP})
	get("/portal/{$}", s.portalHome)
	get("/portal/terms", func(w http.ResponseWriter, r *http.Request) error {
		return s.render(w, r, http.StatusOK, "terms", &pageData{Title: "Web Portal Statement"})
	})
	both("/portal/signin", s.portalSignInPage, s.portalSignInPost)
	post("/portal/signin/sms", s.portalSignInSMS)
	both("/portal/signup", s.portalSignUpPage, s.portalSignUpPost)
	both("/portal/forgot", s.portalForgotPage, s.portalForgotPost)
	both("/portal/reset", s.portalResetPage, s.portalResetPost)
	both("/portal/welcome", s.portalWelcomePage, s.portalWelcomePost)
	both("/portal/connect", s.portalConnectPage, s.portalConnectPost)
	get("/portal/account", s.portalAccount)
	post("/portal/account/settings", s.portalSettings)
	post("/portal/account/password", s.portalPassword)
	post("/portal/verify", s.portalVerifyPost)
	post("/portal/account/verify", s.portalVerifySend)
	post("/portal/account/code", s.portalActionCode)
	post("/portal/account/twostep", s.portalTwoStep)
	post("/portal/account/twostep/confirm", s.portalTwoStepConfirm)
	post("/portal/account/twostep/off", s.portalTwoStepOff)
	post("/portal/account/activate", s.portalActivate)
	post("/portal/account/revoke", s.portalRevoke)
	post("/portal/account/delete", s.portalDelete)
	post("/portal/signout", s.portalSignOut)
}

// portalHandler sets the page headers and turns errors into an error page.
func (s *Server) portalHandler(h func(w http.ResponseWriter, r *http.Request) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		w.Header().Set("X-Frame-Options", "DENY")
		// "no-referrer" (the API default) makes browsers send "Origin: null" on form
		// posts, which the origin check below must refuse; same-origin keeps the real
		// origin for our own forms and still tells other sites nothing.
		w.Header().Set("Referrer-Policy", "same-origin")
		if err := h(w, r); err != nil {
			status, msg := http.StatusInternalServerError, "Something went wrong. Please try again later."
			var ae *apiErr
			if errors.As(err, &ae) {
				status, msg = ae.status, ae.body.Message
			} else {
				s.cfg.Log.Printf("portal %s %s: %v", r.Method, r.URL.Path, err)
			}
			if rerr := s.render(w, r, status, "error", &pageData{Title: "Sorry", Err: msg}); rerr != nil {
				s.cfg.Log.Printf("portal: render error page: %v", rerr)
			}
		}
	}
}

// browserH serves endpoints a browser visits (the OAuth start and callback): a person
// gets the portal's error page, a program that does not ask for HTML gets JSON.
func (s *Server) browserH(fn func(w http.ResponseWriter, r *http.Request) error) http.HandlerFunc {
	html := s.portalHandler(fn)
	js := s.h(fn)
	return func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.Header.Get("Accept"), "text/html") {
			html(w, r)
			return
		}
		js(w, r)
	}
}

var errCSRF = errf(http.StatusForbidden, api.CodeForbidden, "This form has expired. Go back, reload the page and try again.")

// portalPost checks the CSRF token and origin before running h.
func (s *Server) portalPost(h func(w http.ResponseWriter, r *http.Request) error) http.HandlerFunc {
	return s.portalHandler(func(w http.ResponseWriter, r *http.Request) error {
		r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes)
		if err := r.ParseForm(); err != nil {
			return errf(http.StatusBadRequest, api.CodeBadRequest, "The form could not be read.")
		}
		if o := r.Header.Get("Origin"); o != "" && s.cfg.BaseURL != "" && o != s.cfg.BaseURL {
			return errCSRF
		}
		c, err := r.Cookie(cookieCSRF)
		if err != nil || c.Value == "" || subtle.ConstantTimeCompare([]byte(c.Value), []byte(r.PostForm.Get("csrf"))) != 1 {
			return errCSRF
		}
		return h(w, r)
	})
}

func (s *Server) setCookie(w http.ResponseWriter, name, value string, maxAge time.Duration, same http.SameSite) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/", HttpOnly: true, Secure: s.cfg.SecureCookies,
		SameSite: same, MaxAge: int(maxAge.Seconds())})
}

// csrfToken returns the browser's CSRF token, issuing one if it has none.
func (s *Server) csrfToken(w http.ResponseWriter, r *http.Request) (string, error) {
	if c, err := r.Cookie(cookieCSRF); err == nil && len(c.Value) >= 32 {
		return c.Value, nil
	}
	tok, err := s.randomToken(24)
	if err != nil {
		return "", err
	}
	s.setCookie(w, cookieCSRF, tok, 24*time.Hour, http.SameSiteStrictMode)
	return tok, nil
}

func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, page string, d *pageData) error {
	t := s.portal.pages[page]
	if t == nil {
		return errors.New("portal: no page " + page)
	}
	tok, err := s.csrfToken(w, r)
	if err != nil {
		return err
	}
	d.CSRF, d.Terms = tok, s.cfg.Terms
	if d.Regions == nil {
		d.Regions = s.cfg.Regions
	}
	if d.Msg == "" {
		d.Msg = portalMsgs[r.URL.Query().Get("msg")]
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	return t.ExecuteTemplate(w, "layout", d)
}

// portalAuth returns the signed-in browser's account, or nil.
func (s *Server) portalAuth(r *http.Request) (*authCtx, error) {
	c, err := r.Cookie(cookieSession)
	if err != nil {
		return nil, nil
	}
	a, err := s.authenticate(c.Value, tokenPrefixAcc)
	var ae *apiErr
	if errors.As(err, &ae) {
		return nil, nil
	}
	return a, err
}

// portalSignIn starts a browser session for acct and goes to the account page.
func (s *Server) portalSignIn(w http.ResponseWriter, r *http.Request, acct *store.Account) error {
	if err := s.portalCookie(w, r, acct); err != nil {
		return err
	}
	http.Redirect(w, r, "/portal/account", http.StatusSeeOther)
	return nil
}

// portalCookie starts a browser session for acct.
func (s *Server) portalCookie(w http.ResponseWriter, r *http.Request, acct *store.Account) error {
	sess, err := s.createSession(acct, "", s.clientIP(r), true)
	if err != nil {
		return err
	}
	s.setCookie(w, cookieSession, sess.AccessToken, s.cfg.PortalTTL, http.SameSiteLaxMode)
	return nil
}

func (s *Server) providerButtons(region string) []providerButton {
	var out []providerButton
	for _, id := range s.providerNames(region) {
		out = append(out, providerButton{ID: id, Name: s.providers[id].cfg.Name, URL: api.PathOAuthStartPrefix + id + "?portal=1"})
	}
	return out
}

func (s *Server) portalHome(w http.ResponseWriter, r *http.Request) error {
	a, err := s.portalAuth(r)
	if err != nil {
		return err
	}
	if a != nil {
		http.Redirect(w, r, "/portal/account", http.StatusFound)
	} else {
		http.Redirect(w, r, "/portal/signin", http.StatusFound)
	}
	return nil
}

// formErr renders page again with the error's message, keeping what was typed
// (except passwords).
func (s *Server) formErr(w http.ResponseWriter, r *http.Request, page string, err error, d *pageData) error {
	var ae *apiErr
	if !errors.As(err, &ae) {
		return err
	}
	d.Err = ae.body.Message
	if d.Form == nil {
		d.Form = map[string]string{}
	}
	for k, v := range r.PostForm {
		if !strings.Contains(k, "password") && k != "csrf" && len(v) > 0 {
			d.Form[k] = v[0]
		}
	}
	return s.render(w, r, ae.status, page, d)
}

func (s *Server) portalSignInPage(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "signin", &pageData{Title: "Sign in", Providers: s.providerButtons("")})
}

func (s *Server) portalSignInPost(w http.ResponseWriter, r *http.Request) error {
	d := &pageData{Title: "Sign in", Providers: s.providerButtons("")}
	f := r.PostForm
	email, err := normalizeEmail(f.Get("email"))
	if err == nil {
		err = s.rateLimit(r, "email:"+email)
	}
	var acct *store.Account
	if err == nil {
		acct, err = s.checkCredentials(r, email, f.Get("password"), f.Get("captcha_id"), f.Get("captcha_answer"))
	}
	var ae *apiErr
	if errors.As(err, &ae) && ae.body.Captcha != nil {
		d.Captcha = ae.body.Captcha
	}
	if err != nil {
		return s.formErr(w, r, "signin", err, d)
	}
	if !acct.EmailVerified {
		ch, err := s.startEmailCheck(acct, emailSignIn, "Web portal")
		if err != nil {
			return s.formErr(w, r, "signin", err, d)
		}
		return s.render(w, r, http.StatusOK, "verify", &pageData{Title: "Enter the code we e-mailed", EmailCheck: ch})
	}
	return s.portalSignedIn(w, r, acct, d)
}

// portalSignedIn finishes a password sign-in: the SMS step, or the session.
func (s *Server) portalSignedIn(w http.ResponseWriter, r *http.Request, acct *store.Account, d *pageData) error {
	if acct.TwoStep {
		ch, err := s.startSMS(acct, smsSignIn, acct.Phone, "Web portal", "")
		if err != nil {
			return s.formErr(w, r, "signin", err, d)
		}
		d.SMS = ch
		return s.render(w, r, http.StatusOK, "signin", d)
	}
	return s.portalSignIn(w, r, acct)
}

func (s *Server) portalSignInSMS(w http.ResponseWriter, r *http.Request) error {
	f := r.PostForm
	d := &pageData{Title: "Sign in", Providers: s.providerButtons("")}
	if err := s.rateLimit(r, "sms:"+f.Get("challenge_id")); err != nil {
		return s.formErr(w, r, "signin", err, d)
	}
	if f.Get("resend") != "" {
		ch, err := s.resendSMS(f.Get("challenge_id"))
		if err != nil {
			d.SMS = &api.SMSChallenge{ChallengeID: f.Get("challenge_id")}
			return s.formErr(w, r, "signin", err, d)
		}
		d.SMS, d.Msg = ch, "A new code was sent."
		return s.render(w, r, http.StatusOK, "signin", d)
	}
	rec, err := s.verifySMS(f.Get("challenge_id"), f.Get("code"), smsSignIn)
	if err != nil {
		var ae *apiErr
		if errors.As(err, &ae) && ae.body.Code == api.CodeCodeWrong {
			d.SMS = &api.SMSChallenge{ChallengeID: f.Get("challenge_id")}
		}
		return s.formErr(w, r, "signin", err, d)
	}
	acct, err := s.st.Account(rec.AccountID)
	if err != nil {
		return err
	}
	return s.portalSignIn(w, r, acct)
}

func (s *Server) portalSignUpPage(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "signup", &pageData{Title: "Create account", Form: map[string]string{"region": s.cfg.DefaultRegion}})
}

func (s *Server) portalSignUpPost(w http.ResponseWriter, r *http.Request) error {
	f := r.PostForm
	d := &pageData{Title: "Create account"}
	if f.Get("password") != f.Get("password_confirm") {
		return s.formErr(w, r, "signup", errf(http.StatusBadRequest, api.CodeBadRequest, "The passwords do not match."), d)
	}
	acct, err := s.createPasswordAccount(r, api.CreateAccountRequest{Email: f.Get("email"), Password: f.Get("password"),
		MarketingConsent: f.Get("marketing") == "on", AcceptTerms: true, Region: f.Get("region"), AcceptDataProvision: f.Get("data_provision") == "on"})
	if err != nil {
		return s.formErr(w, r, "signup", err, d)
	}
	if acct.EmailVerified {
		return s.portalSignIn(w, r, acct)
	}
	// Signed in at once, as in the app; then the code proves the address.
	if err := s.portalCookie(w, r, acct); err != nil {
		return err
	}
	ch, err := s.startEmailCheck(acct, emailSignUp, "Web portal")
	if err != nil {
		return s.formErr(w, r, "signup", err, d)
	}
	return s.render(w, r, http.StatusOK, "verify", &pageData{Title: "Enter the code we e-mailed", EmailCheck: ch})
}

func (s *Server) portalForgotPage(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "forgot", &pageData{Title: "Forgot your password?"})
}

func (s *Server) portalForgotPost(w http.ResponseWriter, r *http.Request) error {
	if err := s.forgot(r, r.PostForm.Get("email")); err != nil {
		return s.formErr(w, r, "forgot", err, &pageData{Title: "Forgot your password?"})
	}
	http.Redirect(w, r, "/portal/signin?msg=sent", http.StatusSeeOther)
	return nil
}

func (s *Server) portalResetPage(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "reset", &pageData{Title: "Choose a new password", Form: map[string]string{"token": r.URL.Query().Get("token")}})
}

func (s *Server) portalResetPost(w http.ResponseWriter, r *http.Request) error {
	f := r.PostForm
	d := &pageData{Title: "Choose a new password"}
	var err error
	if f.Get("password") != f.Get("password_confirm") {
		err = errf(http.StatusBadRequest, api.CodeBadRequest, "The passwords do not match.")
	} else {
		err = s.resetPassword(r, f.Get("token"), f.Get("password"))
	}
	if err != nil {
		return s.formErr(w, r, "reset", err, d)
	}
	http.Redirect(w, r, "/portal/signin?msg=reset", http.StatusSeeOther)
	return nil
}

func (s *Server) portalWelcomePage(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "welcome", &pageData{Title: "Welcome to Valv", Pending: r.URL.Query().Get("pending"),
		Form: map[string]string{"region": s.cfg.DefaultRegion}})
}

func (s *Server) portalWelcomePost(w http.ResponseWriter, r *http.Request) error {
	f := r.PostForm
	err := s.completePending(w, r, f.Get("pending"), f.Get("region"), f.Get("terms") == "on", f.Get("marketing") == "on", f.Get("data_provision") == "on")
	if err != nil {
		return s.formErr(w, r, "welcome", err, &pageData{Title: "Welcome to Valv", Pending: f.Get("pending")})
	}
	return nil
}

// portalConnectPage is "Accept and connect" for a quick sign-in held back by the
// region's statement on data provision.
func (s *Server) portalConnectPage(w http.ResponseWriter, r *http.Request) error {
	id := r.URL.Query().Get("pending")
	st, err := s.pendingStatement(id)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "connect", &pageData{Title: "Accept and connect", Pending: id, Statement: st})
}

func (s *Server) portalConnectPost(w http.ResponseWriter, r *http.Request) error {
	return s.acceptPendingDP(w, r, r.PostForm.Get("pending"))
}
