package cloud

import (
	"testing"

	"github.com/valvpm/valv/cloud/api"
)

// TestHealthReportsVersion: /healthz says which build answers, so an operator can tell
// the replicas behind a load balancer apart during a rolling upgrade.
func TestHealthReportsVersion(t *testing.T) {
	for _, tc := range []struct{ set, want string }{{"1.4.0-2-gabc1234", "1.4.0-2-gabc1234"}, {"", "dev"}} {
		e := newEnv(t, func(c *Config) { c.Version = tc.set })
		var h api.Health
		e.must("GET", api.PathHealth, "", nil, &h)
		if h.Version != tc.want {
			t.Errorf("Config.Version %q: /healthz version = %q, want %q", tc.set, h.Version, tc.want)
		}
	}
}
