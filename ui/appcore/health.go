package appcore

import (
	"context"
	"errors"
	"log"
	"time"

	"github.com/valvpm/valv/vault"
	"github.com/valvpm/valv/vault/breach"
	"github.com/valvpm/valv/vault/health"
)

// healthTimeout bounds a check. Offline it takes well under a second at 10k items;
// the bound is for the online check, which asks once per distinct hash prefix.
const healthTimeout = 10 * time.Minute

// HealthResult is a finished password health check.
type HealthResult struct {
	// Report names the items that want attention; nil when the check could not run.
	Report *health.Report
	// Online says the online check was asked and answered.
	Online bool
	// Notices say what could not be checked as set in Settings → Security (the chosen
	// list, the online check); the report then holds what the built-in list found.
	Notices []Message
	// Err is why there is no report (the vault locked meanwhile).
	Err error
}

// CheckHealth runs the password health report over the whole vault off the UI
// goroutine, as Settings → Security say (the list to use, the online check), and calls
// done with the result on the UI goroutine. cancel ends an online check sooner, when
// the person closes the view.
func (c *Controller) CheckHealth(done func(HealthResult)) (cancel func()) {
	v, err := c.Unlocked()
	if err != nil {
		done(HealthResult{Err: err})
		return func() {}
	}
	c.Touch()
	sec, now := c.Settings().Security, c.clock.Now()
	var res HealthResult
	return c.run.Go(healthTimeout, func(ctx context.Context) {
		res = checkHealth(ctx, v, sec, now)
	}, func() { done(res) })
}

func checkHealth(ctx context.Context, v *vault.Vault, sec SecuritySettings, now time.Time) HealthResult {
	items, err := v.List(vault.Filter{})
	if err != nil {
		return HealthResult{Err: err}
	}
	var res HealthResult
	o := health.Options{Now: now}
	if sec.BreachFilter != "" {
		f, err := breach.OpenFile(sec.BreachFilter)
		if err != nil {
			// The built-in list still answers; the person is told theirs was not read.
			res.Notices = append(res.Notices, Message{Key: "health.filterError"})
		} else {
			o.Filter = f
			defer func() {
				if err := f.Close(); err != nil {
					log.Printf("valv: closing the breach filter: %v", err)
				}
			}()
		}
	}
	if sec.OnlineCheck {
		o.Online = &breach.Range{Endpoint: sec.RangeEndpoint()}
	}
	r, err := health.Check(ctx, items, o)
	switch {
	case err == nil:
		res.Online = o.Online != nil
	case errors.Is(err, breach.ErrOnline) && r != nil:
		// Not MessageFor: a cancelled or timed-out check would read as a sign-in's.
		res.Notices = append(res.Notices, Message{Key: "health.onlineFailed"})
	default:
		return HealthResult{Err: err}
	}
	res.Report = r
	return res
}
