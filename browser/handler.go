package browser

import (
	"errors"
	"strings"

	"github.com/valvpm/valv/vault"
)

// handle does one opened request. Every action that touches a login first checks the
// frame (top or same-origin only) and then that the login belongs to the page, here
// in the app, whatever the extension believed.
func (s *Server) handle(r *Request) *Response {
	core := s.o.Core
	switch r.Action {
	case ActionStatus:
		return &Response{Locked: core.Locked()}
	case ActionUnlock:
		if core.Locked() && s.o.ShowUnlock != nil {
			s.o.ShowUnlock()
		}
		return &Response{Locked: core.Locked()}
	case ActionGenerate:
		pw, err := core.GeneratePassword()
		if err != nil {
			return failure(err)
		}
		return &Response{Password: pw}
	}
	if core.Locked() {
		return &Response{Error: CodeLocked, Message: "Valv is locked", Locked: true}
	}
	switch r.Action {
	case ActionSite, ActionSetSite:
		return s.site(r)
	}
	if !s.frameAllowed(r) {
		return &Response{Error: CodeNoMatch, Message: "Valv fills only the page itself and frames of the same site"}
	}
	switch r.Action {
	case ActionFind:
		logins, err := core.FindLogins(r.URL)
		if err != nil {
			return failure(err)
		}
		return &Response{Logins: logins}
	case ActionFill, ActionTOTP:
		cr, err := s.credentialsFor(r)
		if err != nil {
			return failure(err)
		}
		if r.Action == ActionTOTP {
			if cr.TOTP == "" {
				return &Response{Error: CodeNoTOTP, Message: "this login has no authenticator code"}
			}
			return &Response{Ref: r.Ref, TOTP: cr.TOTP}
		}
		return &Response{Ref: r.Ref, Username: cr.Username, Password: cr.Password, TOTP: cr.TOTP}
	case ActionLoadFill:
		return s.loadFill(r)
	case ActionCheck:
		return s.check(r)
	case ActionSave:
		return s.save(r)
	case ActionUpdate:
		if _, err := s.credentialsFor(r); err != nil {
			return failure(err)
		}
		if r.Password == "" {
			return &Response{Error: CodeBadRequest, Message: "there is no password to save"}
		}
		if err := core.UpdatePassword(r.Ref, r.Password); err != nil {
			return failure(err)
		}
		return &Response{Ref: r.Ref}
	}
	return &Response{Error: CodeBadRequest, Message: "the app does not know that request"}
}

// errNoMatch is what credentialsFor returns for a login of another site.
var errNoMatch = errors.New("that login does not belong to this page")

// credentialsFor returns the login r.Ref names, only if it may fill r.URL.
func (s *Server) credentialsFor(r *Request) (Credentials, error) {
	cr, err := s.o.Core.Credentials(r.Ref)
	if err != nil {
		return Credentials{}, err
	}
	if BestRank(cr.URLs, r.URL) == NoMatch {
		return Credentials{}, errNoMatch
	}
	return cr, nil
}

// check tells whether a submitted user name and password are new, changed or known
// for the page. With several logins of that user name, the exact host decides.
func (s *Server) check(r *Request) *Response {
	if r.Password == "" {
		return &Response{State: StateKnown}
	}
	logins, err := s.o.Core.FindLogins(r.URL)
	if err != nil {
		return failure(err)
	}
	changed := ""
	for _, l := range logins { // exact hosts come first
		if !strings.EqualFold(l.Username, r.Username) {
			continue
		}
		cr, err := s.o.Core.Credentials(l.Ref)
		if err != nil {
			return failure(err)
		}
		if cr.Password == r.Password {
			return &Response{State: StateKnown, Ref: l.Ref}
		}
		if changed == "" {
			changed = l.Ref
		}
	}
	if changed != "" {
		return &Response{State: StateChanged, Ref: changed}
	}
	return &Response{State: StateNew}
}

func (s *Server) save(r *Request) *Response {
	origin := Origin(r.URL)
	if origin == "" {
		return &Response{Error: CodeBadRequest, Message: "Valv saves logins only for http and https pages"}
	}
	if r.Password == "" {
		return &Response{Error: CodeBadRequest, Message: "there is no password to save"}
	}
	title := strings.TrimSpace(r.Title)
	if title == "" {
		title = SiteTitle(r.URL)
	}
	ref, err := s.o.Core.SaveLogin(title, origin, r.Username, r.Password)
	if err != nil {
		return failure(err)
	}
	return &Response{Ref: ref}
}

// failure turns an error into the answer's code; vault errors are sentences without
// secrets, so they may travel as the message.
func failure(err error) *Response {
	switch {
	case errLocked(err):
		return &Response{Error: CodeLocked, Message: "Valv is locked", Locked: true}
	case errors.Is(err, vault.ErrNotFound):
		return &Response{Error: CodeNotFound, Message: "that login is no longer in Valv"}
	case errors.Is(err, errNoMatch):
		return &Response{Error: CodeNoMatch, Message: err.Error()}
	case errors.Is(err, ErrBadMessage):
		return &Response{Error: CodeBadRequest, Message: err.Error()}
	}
	return &Response{Error: CodeFailed, Message: err.Error()}
}
