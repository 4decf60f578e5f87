package cloud

import (
	"errors"
	"net/http"
	"net/url"
	"time"

	"github.com/valvpm/valv/cloud/api"
)

// The account page of the portal and its forms.

// signedIn wraps account pages: no session cookie → the sign-in page.
func (s *Server) signedIn(w http.ResponseWriter, r *http.Request) (*authCtx, error) {
	a, err := s.portalAuth(r)
	if err == nil && a == nil {
		http.Redirect(w, r, "/portal/signin", http.StatusSeeOther)
	}
	return a, err
}

func (s *Server) accountPage(w http.ResponseWriter, r *http.Request, a *authCtx, status int, d *pageData) error {
	acct, err := s.st.Account(a.acct.ID)
	if err != nil {
		return err
	}
	view := s.accountView(acct)
	d.Title, d.Account = "Your Valv Account", &view
	if d.Sessions, err = s.sessionInfos(&authCtx{acct: acct, sess: a.sess}); err != nil {
		return err
	}
	if d.Subs, err = s.subscriptions(acct.ID); err != nil {
		return err
	}
	return s.render(w, r, status, "account", d)
}

func (s *Server) portalAccount(w http.ResponseWriter, r *http.Request) error {
	a, err := s.signedIn(w, r)
	if a == nil {
		return err
	}
	return s.accountPage(w, r, a, http.StatusOK, &pageData{})
}

// accountAction runs one account-page form: errors re-render the page, success
// redirects with a fixed message.
func (s *Server) accountAction(do func(r *http.Request, a *authCtx, d *pageData) (msg string, err error)) func(w http.ResponseWriter, r *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		a, err := s.signedIn(w, r)
		if a == nil {
			return err
		}
		d := &pageData{}
		msg, err := do(r, a, d)
		var ae *apiErr
		if errors.As(err, &ae) {
			d.Err = ae.body.Message
			return s.accountPage(w, r, a, ae.status, d)
		} else if err != nil {
			return err
		}
		if msg == "" { // the action shows a follow-up form on the page itself
			return s.accountPage(w, r, a, http.StatusOK, d)
		}
		http.Redirect(w, r, "/portal/account?msg="+url.QueryEscape(msg), http.StatusSeeOther)
		return nil
	}
}

func (s *Server) portalSettings(w http.ResponseWriter, r *http.Request) error {
	return s.accountAction(func(r *http.Request, a *authCtx, _ *pageData) (string, error) {
		f := r.PostForm
		req := api.SettingsRequest{AcceptDataProvision: f.Get("data_provision") == "on"}
		if f.Has("marketing_form") {
			on := f.Get("marketing") == "on"
			req.MarketingConsent = &on
		}
		if reg := f.Get("region"); reg != "" {
			if f.Get("terms") != "on" {
				return "", errf(http.StatusBadRequest, api.CodeTermsNotAccepted, "Accept the Web Portal Statement to save the region.")
			}
			req.Region, req.AcceptTerms = &reg, true
		}
		_, err := s.applySettings(a.acct.ID, req)
		return "settings", err
	})(w, r)
}

func (s *Server) portalPassword(w http.ResponseWriter, r *http.Request) error {
	return s.accountAction(func(r *http.Request, a *authCtx, _ *pageData) (string, error) {
		f := r.PostForm
		if f.Get("new_password") != f.Get("new_password_confirm") {
			return "", errf(http.StatusBadRequest, api.CodeBadRequest, "The passwords do not match.")
		}
		return "password", s.setPassword(r, a, f.Get("current_password"), f.Get("new_password"))
	})(w, r)
}

func (s *Server) portalTwoStep(w http.ResponseWriter, r *http.Request) error {
	return s.accountAction(func(r *http.Request, a *authCtx, d *pageData) (string, error) {
		ch, err := s.startTwoStep(r, a.acct, r.PostForm.Get("phone"), formProof(r))
		d.SMS = ch
		return "", err
	})(w, r)
}

func (s *Server) portalTwoStepConfirm(w http.ResponseWriter, r *http.Request) error {
	return s.accountAction(func(r *http.Request, a *authCtx, d *pageData) (string, error) {
		_, err := s.confirmTwoStep(r, a.acct, r.PostForm.Get("challenge_id"), r.PostForm.Get("code"))
		var ae *apiErr
		if errors.As(err, &ae) && ae.body.Code == api.CodeCodeWrong {
			d.SMS = &api.SMSChallenge{ChallengeID: r.PostForm.Get("challenge_id")}
		}
		return "twostep", err
	})(w, r)
}

func (s *Server) portalTwoStepOff(w http.ResponseWriter, r *http.Request) error {
	return s.accountAction(func(r *http.Request, a *authCtx, _ *pageData) (string, error) {
		_, err := s.twoStepOff(r, a.acct, formProof(r))
		return "twostepoff", err
	})(w, r)
}

func (s *Server) portalActivate(w http.ResponseWriter, r *http.Request) error {
	return s.accountAction(func(r *http.Request, a *authCtx, _ *pageData) (string, error) {
		_, err := s.activate(r, a.acct.ID, r.PostForm.Get("code"))
		return "activated", err
	})(w, r)
}

func (s *Server) portalRevoke(w http.ResponseWriter, r *http.Request) error {
	return s.accountAction(func(r *http.Request, a *authCtx, _ *pageData) (string, error) {
		return "revoked", s.revoke(a, r.PostForm.Get("session"))
	})(w, r)
}

func (s *Server) portalDelete(w http.ResponseWriter, r *http.Request) error {
	a, err := s.signedIn(w, r)
	if a == nil {
		return err
	}
	if err := s.deleteAccount(r, a.acct, formProof(r)); err != nil {
		var ae *apiErr
		if errors.As(err, &ae) {
			return s.accountPage(w, r, a, ae.status, &pageData{Err: ae.body.Message})
		}
		return err
	}
	s.setCookie(w, cookieSession, "", -time.Second, http.SameSiteLaxMode)
	http.Redirect(w, r, "/portal/signin?msg=deleted", http.StatusSeeOther)
	return nil
}

func (s *Server) portalSignOut(w http.ResponseWriter, r *http.Request) error {
	a, err := s.portalAuth(r)
	if err != nil {
		return err
	}
	if a != nil {
		if err := s.revoke(a, a.sess.ID); err != nil {
			return err
		}
	}
	s.setCookie(w, cookieSession, "", -time.Second, http.SameSiteLaxMode)
	http.Redirect(w, r, "/portal/signin?msg=signedout", http.StatusSeeOther)
	return nil
}
