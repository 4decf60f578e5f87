package appcore

import "github.com/valvpm/valv/account"

// Plan names the plan the app runs on: a plan ID the app has words for ("free",
// "personal", …) and the server's name for one it does not know.
type Plan struct {
	ID         string
	ServerName string
}

// PlanOf is the plan of the licence in use, else of the entitlements (Free when the
// server names none).
func PlanOf(l *account.Licence, e account.Entitlements) Plan {
	switch {
	case l != nil:
		return Plan{ID: l.Plan, ServerName: l.PlanName}
	case e.Plan == "":
		return Plan{ID: "free"}
	}
	return Plan{ID: e.Plan, ServerName: e.Plan}
}

// CurrentPlan is the plan the app runs on: the licence chosen in Choose subscription
// while it is still active, else what the server says applies.
func CurrentPlan(subs *account.Subscriptions, chosen string) Plan {
	for _, l := range subs.Licences {
		if l.ID == chosen && l.Status == account.StatusActive {
			return PlanOf(&l, l.Entitlements)
		}
	}
	return PlanOf(nil, subs.Effective)
}

// InactiveLicence is the licence to warn about on the connected page: with no licence
// in use, one that includes the password manager but is expired, suspended or
// blocked, so the person learns why the app runs on the Free plan. Nil otherwise.
func InactiveLicence(st account.State) *account.Licence {
	if st.Licence != nil || len(st.Inactive) == 0 {
		return nil
	}
	l := st.Inactive[0]
	return &l
}
