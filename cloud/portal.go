package cloud

import (
	"net/http"

	"github.com/valvpm/valv/cloud/store"
)

// portal is the web portal's state (templates, cookie settings).
type portal struct{}

func (s *Server) initPortal() error { s.portal = &portal{}; return nil }

func (s *Server) portalRoutes() {}

// portalSignIn starts a browser session for acct and goes to the account page.
func (s *Server) portalSignIn(w http.ResponseWriter, r *http.Request, acct *store.Account) error {
	return nil
}
