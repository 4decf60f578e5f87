package cloud

import (
	"errors"
	"net/http"
	"sort"
	"strings"

	"github.com/valvpm/valv/cloud/api"
	"github.com/valvpm/valv/cloud/store"
)

// plan returns the configured plan, or a plan with no entitlements for an unknown ID
// (an operator removed it): never more than configured.
func (s *Server) plan(id string) api.Plan {
	for _, p := range s.cfg.Plans {
		if p.ID == id {
			return p
		}
	}
	return api.Plan{ID: id, Name: id, Entitlements: api.Entitlements{Plan: id}}
}

func (s *Server) handlePlans(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, s.cfg.Plans)
}

// licenceView computes the status a client sees: active past expiry reads expired.
func (s *Server) licenceView(l *store.Licence) api.Licence {
	p := s.plan(l.Plan)
	st := l.Status
	if st == api.StatusActive && !s.now().Before(l.ExpiresAt) {
		st = api.StatusExpired
	}
	return api.Licence{ID: l.ID, Plan: l.Plan, PlanName: p.Name, Status: st, ExpiresAt: l.ExpiresAt,
		IncludesPasswordManager: p.IncludesPasswordManager, Entitlements: p.Entitlements}
}

// subscriptions lists licences, newest expiry first, and picks the effective plan:
// the active licence including the password manager that lasts longest, else Free.
func (s *Server) subscriptions(acctID string) (*api.SubscriptionsResponse, error) {
	ls, err := s.st.Licences(acctID)
	if err != nil {
		return nil, err
	}
	out := &api.SubscriptionsResponse{Licences: []api.Licence{}, Effective: s.plan(s.cfg.FreePlan).Entitlements}
	for _, l := range ls {
		out.Licences = append(out.Licences, s.licenceView(l))
	}
	sort.Slice(out.Licences, func(i, j int) bool { return out.Licences[i].ExpiresAt.After(out.Licences[j].ExpiresAt) })
	for _, l := range out.Licences {
		if l.Status == api.StatusActive && l.IncludesPasswordManager {
			out.Effective = l.Entitlements
			break
		}
	}
	return out, nil
}

func (s *Server) handleSubscriptions(w http.ResponseWriter, r *http.Request, a *authCtx) error {
	out, err := s.subscriptions(a.acct.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// activate redeems an activation code into a licence for the account.
func (s *Server) activate(r *http.Request, acctID, code string) (*api.Licence, error) {
	if err := s.rateLimit(r, "acct:"+acctID); err != nil {
		return nil, err
	}
	code = strings.ToUpper(strings.TrimSpace(code))
	id, err := s.randomID()
	if err != nil {
		return nil, err
	}
	now := s.now()
	l, err := s.st.RedeemActivationCode(code, acctID, now, func(c *store.ActivationCode) *store.Licence {
		return &store.Licence{ID: id, AccountID: acctID, Plan: c.Plan, Status: api.StatusActive,
			ExpiresAt: now.AddDate(0, 0, c.Days), CreatedAt: now}
	})
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrCodeUsed) {
		return nil, errf(http.StatusBadRequest, api.CodeActivationCodeInvalid, "This activation code is not valid or was already used.")
	} else if err != nil {
		return nil, err
	}
	v := s.licenceView(l)
	return &v, nil
}

func (s *Server) handleActivate(w http.ResponseWriter, r *http.Request, a *authCtx) error {
	var req api.ActivateRequest
	if err := s.readJSON(r, &req); err != nil {
		return err
	}
	l, err := s.activate(r, a.acct.ID, req.Code)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, l)
	return nil
}

// handleIncluded answers, for the holder of another Valv app's sign-in (refresh) token,
// whether that account's subscription includes the password manager — in any status,
// because the app shows the mark even for expired, suspended or blocked licences.
func (s *Server) handleIncluded(w http.ResponseWriter, r *http.Request) error {
	var req api.IncludedRequest
	if err := s.readJSON(r, &req); err != nil {
		return err
	}
	if err := s.rateLimit(r, ""); err != nil {
		return err
	}
	a, err := s.authenticate(req.SignInToken, tokenPrefixRef)
	if err != nil {
		return err
	}
	subs, err := s.subscriptions(a.acct.ID)
	if err != nil {
		return err
	}
	out := api.IncludedResponse{Email: a.acct.Email}
	for _, l := range subs.Licences {
		if l.IncludesPasswordManager {
			out.IncludedInSubscription, out.Status = true, l.Status
			break
		}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// AddActivationCode stores an activation code (operator tooling and -demo use it).
func (s *Server) AddActivationCode(code, plan string, days int) error {
	return s.st.PutActivationCode(&store.ActivationCode{Code: strings.ToUpper(code), Plan: plan, Days: days})
}
