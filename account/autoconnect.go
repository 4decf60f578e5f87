package account

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/user"
	"runtime"
	"strings"
)

// Candidate is an account another Valv app on this computer is signed in to.
type Candidate struct {
	Email    string
	Included bool   // its subscription includes the password manager
	Status   string // that licence's status (the mark shows whatever it is)
}

// AutoConnect reads the family-wide sign-in entry and, if it is for this client's
// server, asks the server about that account (PRODUCT.md §1.1). No entry, another
// server, or a token the server no longer accepts: no candidates, no error, because
// the person simply signs in by hand.
func (c *Client) AutoConnect(ctx context.Context) ([]Candidate, error) {
	e := ReadFamilyEntry()
	if e == nil {
		return nil, nil
	}
	if u, err := CheckURL(e.Server); err != nil || u.String() != c.base.String() {
		return nil, nil
	}
	r, err := c.Included(ctx, e.RefreshToken)
	if _, isAPI := Details(err); isAPI {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	email := r.Email
	if email == "" {
		email = e.Email
	}
	return []Candidate{{Email: email, Included: r.IncludedInSubscription, Status: r.Status}}, nil
}

// ClientName names this device and OS user in the account's session list, e.g.
// "Valv for Linux on kitchen-pc (ayu) #3fa92c1d". The tag after # is a hash of the
// machine's identity: sessions of one account with the same tag but another OS user
// mean two OS users of this computer share the account (PRODUCT.md §1.7).
func ClientName(app string) string {
	host, _ := os.Hostname()
	return fmt.Sprintf("%s for %s on %s (%s) #%s", app, osName(), host, osUser(), machineTag())
}

func osName() string {
	switch runtime.GOOS {
	case "darwin":
		return "macOS"
	case "windows":
		return "Windows"
	case "linux":
		return "Linux"
	}
	return runtime.GOOS
}

func osUser() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return os.Getenv("USER")
}

// machineTag hashes the OS's machine identity (falling back to the host name), so the
// session list can tell this computer apart without revealing the identity itself.
func machineTag() string {
	id := ""
	for _, p := range []string{"/etc/machine-id", "/var/lib/dbus/machine-id"} {
		if b, err := os.ReadFile(p); err == nil {
			id = strings.TrimSpace(string(b))
			break
		}
	}
	if id == "" {
		id, _ = os.Hostname()
	}
	sum := sha256.Sum256([]byte("valv/machine/v1\x00" + id))
	return hex.EncodeToString(sum[:4])
}

// OtherOSUsers returns the OS users of this computer, other than the current one,
// whose Valv sessions belong to the signed-in account — the warning of PRODUCT.md §1.7.
func (c *Client) OtherOSUsers(ctx context.Context) ([]string, error) {
	sessions, err := c.Sessions(ctx)
	if err != nil {
		return nil, err
	}
	tag, me := "#"+machineTag(), osUser()
	seen := map[string]bool{}
	var out []string
	for _, s := range sessions {
		if !strings.HasSuffix(s.Client, tag) {
			continue
		}
		// "… (user) #tag": the OS user is in the last parentheses.
		rest := strings.TrimSuffix(s.Client, " "+tag)
		i, j := strings.LastIndex(rest, "("), strings.LastIndex(rest, ")")
		if i < 0 || j < i {
			continue
		}
		u := rest[i+1 : j]
		if u != me && !seen[u] {
			seen[u] = true
			out = append(out, u)
		}
	}
	return out, nil
}
