package cloud

import (
	"errors"
	"net/http"

	"github.com/valvpm/valv/cloud/api"
)

// Portal pages that confirm something with an e-mailed code: proving the account's
// address ("Enter the code we e-mailed"), and the code that stands in for the password
// on sensitive forms (two-step verification, deleting the account).

// formProof is a form's confirmation: its password field, or its e-mailed code field.
func formProof(r *http.Request) proof {
	return proof{password: r.PostForm.Get("password"), emailCode: r.PostForm.Get("email_code")}
}

// portalVerifyPost checks the address-proving code (or sends a new one).
func (s *Server) portalVerifyPost(w http.ResponseWriter, r *http.Request) error {
	f := r.PostForm
	id := f.Get("challenge_id")
	d := &pageData{Title: "Enter the code we e-mailed", EmailCheck: &api.EmailChallenge{ChallengeID: id}}
	if f.Get("resend") != "" {
		if err := s.rateLimit(r, "email-check:"+id); err != nil {
			return s.formErr(w, r, "verify", err, d)
		}
		ch, err := s.resendEmailCheck(id)
		if err != nil {
			return s.formErr(w, r, "verify", err, d)
		}
		d.EmailCheck, d.Msg = ch, "A new code was sent. The previous code no longer works."
		return s.render(w, r, http.StatusOK, "verify", d)
	}
	acct, rec, err := s.verifyEmail(r, id, f.Get("code"))
	if err != nil {
		var ae *apiErr
		if errors.As(err, &ae) && ae.body.Code != api.CodeCodeWrong {
			d.EmailCheck = nil // nothing left to answer: start again
		}
		return s.formErr(w, r, "verify", err, d)
	}
	if rec.Purpose == emailSignIn {
		if acct.Blocked {
			return errf(http.StatusForbidden, api.CodeAccountBlocked, "This account is blocked. Contact support.")
		}
		return s.portalSignedIn(w, r, acct, &pageData{Title: "Sign in", Providers: s.providerButtons("")})
	}
	http.Redirect(w, r, "/portal/account?msg=verified", http.StatusSeeOther)
	return nil
}

// portalVerifySend e-mails a new address-proving code to a signed-in account that has
// not proven its address yet.
func (s *Server) portalVerifySend(w http.ResponseWriter, r *http.Request) error {
	a, err := s.signedIn(w, r)
	if a == nil {
		return err
	}
	if a.acct.EmailVerified {
		http.Redirect(w, r, "/portal/account?msg=verified", http.StatusSeeOther)
		return nil
	}
	ch, err := s.startEmailCheck(a.acct, emailSignUp, "Web portal")
	if err != nil {
		var ae *apiErr
		if errors.As(err, &ae) {
			return s.accountPage(w, r, a, ae.status, &pageData{Err: ae.body.Message})
		}
		return err
	}
	return s.render(w, r, http.StatusOK, "verify", &pageData{Title: "Enter the code we e-mailed", EmailCheck: ch})
}

// portalActionCode e-mails the code that confirms one of the account page's sensitive
// forms instead of the password.
func (s *Server) portalActionCode(w http.ResponseWriter, r *http.Request) error {
	return s.accountAction(func(r *http.Request, a *authCtx, _ *pageData) (string, error) {
		action := api.Action(r.PostForm.Get("action"))
		if action != api.ActionChangeTwoStep && action != api.ActionDeleteAccount {
			return "", errf(http.StatusBadRequest, api.CodeUnknownAction, "Unknown action.")
		}
		return "codesent", s.sendActionCode(r, a.acct, action)
	})(w, r)
}
