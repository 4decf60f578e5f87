package cloud

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/valvpm/valv/cloud/api"
	"github.com/valvpm/valv/cloud/fakeoauth"
	"github.com/valvpm/valv/cloud/store"
)

// DevOAuthPrefix is where DevProviders mounts the fake providers.
const DevOAuthPrefix = "/dev/oauth/"

// DevProviders makes one loopback fake OIDC provider per preset (google, facebook,
// apple, yandex, vk) rooted at base+DevOAuthPrefix+name, so quick sign-in works with no
// internet. Serve the returned handler at DevOAuthPrefix next to the Server.
func DevProviders(base string) (map[string]ProviderConfig, http.Handler, error) {
	mux := http.NewServeMux()
	cfgs := map[string]ProviderConfig{}
	for name, preset := range Presets() {
		issuer := base + DevOAuthPrefix + name
		fp, err := fakeoauth.New(issuer, "valv-dev-"+name, "dev-secret-"+name)
		if err != nil {
			return nil, nil, err
		}
		fp.Name = preset.Name + " (fake)"
		fp.DefaultEmail = "quick." + name + "@example.com"
		mux.Handle(DevOAuthPrefix+name+"/", fp)
		cfgs[name] = ProviderConfig{Name: preset.Name, ClientID: fp.ClientID, ClientSecret: fp.ClientSecret, Issuer: issuer,
			Scopes: []string{"openid", "email"}}
	}
	return cfgs, mux, nil
}

// DemoAccount is a seeded account; its password is printed by valv-cloud -dev -demo.
type DemoAccount struct {
	Email, Password, Note string
}

// DemoActivationCodes are seeded with the demo accounts.
var DemoActivationCodes = map[string]string{"DEMO-PERSONAL-0001": "personal", "DEMO-FAMILY-0001": "family"}

// SeedDemo creates demo accounts and activation codes (idempotent: existing ones stay).
func (s *Server) SeedDemo() ([]DemoAccount, error) {
	now := s.now()
	demos := []struct {
		DemoAccount
		phone   string
		plans   []string
		status  string
		expires time.Duration
	}{
		{DemoAccount{"alice@example.com", "Alice-demo-1", "Personal subscription"}, "", []string{"personal"}, api.StatusActive, 365 * 24 * time.Hour},
		{DemoAccount{"bob@example.com", "Bob-demo-1", "Personal + Family (Choose subscription); two-step SMS on"}, "+15550100200", []string{"personal", "family"}, api.StatusActive, 180 * 24 * time.Hour},
		{DemoAccount{"carol@example.com", "Carol-demo-1", "Family subscription, blocked (still marked Included in subscription)"}, "", []string{"family"}, api.StatusBlocked, 30 * 24 * time.Hour},
		{DemoAccount{"dave@example.com", "Dave-demo-1", "No subscription (Free plan)"}, "", nil, "", 0},
	}
	var out []DemoAccount
	created := false
	for _, d := range demos {
		out = append(out, d.DemoAccount)
		if _, err := s.st.AccountByEmail(d.Email); err == nil {
			continue
		} else if !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
		a, err := s.newAccount(d.Email, "eu", true, false, false)
		if err != nil {
			return nil, err
		}
		if a.PasswordHash, err = hashPassword(d.Password, s.cfg.Argon2, s.cfg.Rand); err != nil {
			return nil, err
		}
		a.Phone, a.TwoStep = d.phone, d.phone != ""
		a.EmailVerified = true // the demo addresses are example.com: nobody can prove them
		if err := s.st.CreateAccount(a); err != nil {
			return nil, err
		}
		created = true
		for i, plan := range d.plans {
			l := &store.Licence{ID: fmt.Sprintf("demo-%s-%d", a.ID[:8], i), AccountID: a.ID, Plan: plan, Status: d.status,
				ExpiresAt: now.Add(d.expires), CreatedAt: now}
			if err := s.st.PutLicence(l); err != nil {
				return nil, err
			}
		}
	}
	if !created { // seeded before: do not make used codes usable again
		return out, nil
	}
	for code, plan := range DemoActivationCodes {
		if err := s.AddActivationCode(code, plan, 365); err != nil {
			return nil, err
		}
	}
	return out, nil
}
