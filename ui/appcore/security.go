package appcore

import (
	"github.com/valvpm/valv/vault/breach"
)

// SecuritySettings are Settings → Security: how password health finds exposed
// passwords. By default nothing leaves the computer: the check uses the list built
// into Valv, and the online check is off until the person turns it on.
type SecuritySettings struct {
	// OnlineCheck also asks a Pwned Passwords range endpoint about each password,
	// sending only the first five hex digits of its SHA-1.
	OnlineCheck bool `json:"onlineCheck,omitempty"`
	// Endpoint is the range endpoint; "" means breach.DefaultRangeEndpoint.
	Endpoint string `json:"endpoint,omitempty"`
	// BreachFilter is a full filter file (valv-cli breach-filter build); "" means the
	// list built into Valv.
	BreachFilter string `json:"breachFilter,omitempty"`
}

// RangeEndpoint is the address the online check asks.
func (s SecuritySettings) RangeEndpoint() string {
	if s.Endpoint == "" {
		return breach.DefaultRangeEndpoint
	}
	return s.Endpoint
}

// normalise turns the online check off when settings.json names an address Valv
// refuses (plain http to another computer), rather than sending the digits elsewhere:
// the default service is not what the person chose either.
func (s *SecuritySettings) normalise() {
	if s.Endpoint != "" && breach.CheckEndpoint(s.Endpoint) != nil {
		s.Endpoint = ""
		s.OnlineCheck = false
	}
}
