package cloud

import (
	"errors"
	"net/http"
	"time"

	"github.com/valvpm/valv/cloud/api"
	"github.com/valvpm/valv/cloud/store"
)

// Who a quick sign-in may reach: only the browser that started it (a cookie bound to
// the state), and an account only if the provider vouches for its address — taking
// over one whose address was never proven.

// oauthCookieName is the browser-binding cookie of one sign-in: one per state, so two
// sign-ins started in one browser do not undo each other.
func oauthCookieName(state string) string { return "valv_oauth_" + hashSecret(state)[:16] }

// setOAuthCookie sets (or, with maxAge < 0, removes) a sign-in's binding cookie. It is
// only sent to the callback. Apple posts the callback from its own site, which a
// SameSite=Lax cookie would miss, so over HTTPS the cookie is SameSite=None (the state
// and PKCE still guard it; the cookie only has to reach this server).
func (s *Server) setOAuthCookie(w http.ResponseWriter, state, value string, maxAge time.Duration) {
	same := http.SameSiteLaxMode
	if s.cfg.SecureCookies {
		same = http.SameSiteNoneMode
	}
	http.SetCookie(w, &http.Cookie{Name: oauthCookieName(state), Value: value, Path: api.PathOAuthCallback, HttpOnly: true,
		Secure: s.cfg.SecureCookies, SameSite: same, MaxAge: int(maxAge.Seconds())})
}

// linkIdentity adds a provider identity whose owner the provider vouches has acct's
// e-mail address. An account whose address was never proven is taken over instead:
// whoever set its password never showed they own the address — perhaps to wait for
// its owner (account pre-hijacking) — so that password, its two-step phone, its other
// identities, every session and the cloud vault go, and the owner is told.
func (s *Server) linkIdentity(acct *store.Account, id store.Identity, providerName string) (*store.Account, error) {
	takeover := false
	acct, err := s.st.UpdateAccount(acct.ID, func(a *store.Account) error {
		if a.EmailVerified {
			a.Identities = append(a.Identities, id)
			return nil
		}
		takeover = true
		a.PasswordHash, a.PasswordChosenAt, a.TwoStep, a.Phone = "", time.Time{}, false, ""
		a.Identities, a.EmailVerified = []store.Identity{id}, true
		return nil
	})
	if err != nil || !takeover {
		return acct, err
	}
	if err := s.st.DeleteSessions(acct.ID, ""); err != nil {
		return nil, err
	}
	if _, err := s.st.Wipe(acct.ID); err != nil && !errors.Is(err, store.ErrEpochLimit) {
		return nil, err
	}
	s.cfg.Log.Printf("account %s: taken over by a %s sign-in; the unconfirmed password was removed", acct.ID, providerName)
	s.sendLater(acct.Email, "Your Valv Account is yours now",
		"You signed in to Valv with "+providerName+" as "+acct.Email+".\n\n"+
			"A Valv Account with this address existed already, but whoever created it never confirmed the address: "+
			"perhaps someone made it to wait for you. Its password was removed, every device signed in to it was signed out, "+
			"and what was stored in its cloud vault was deleted. The account is now yours alone; choose a password on the "+
			"Valv Account website if you want one.")
	return acct, nil
}
