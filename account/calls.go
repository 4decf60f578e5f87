package account

import (
	"context"
	"net/http"
	"net/url"

	"github.com/valvpm/valv/cloud/api"
)

// The account API, one method per endpoint the apps use. The flow (flow.go) strings
// them together; these stay thin.

// Regions lists the regions, their quick sign-in providers and statements.
func (c *Client) Regions(ctx context.Context) (*api.RegionsResponse, error) {
	var r api.RegionsResponse
	return &r, c.do(ctx, http.MethodGet, api.PathRegions, nil, &r, false)
}

// signIn posts credentials; the answer is a session or an SMS challenge.
func (c *Client) signIn(ctx context.Context, req api.SignInRequest) (*api.SignInResponse, error) {
	req.ClientName = c.clientName
	var r api.SignInResponse
	if err := c.do(ctx, http.MethodPost, api.PathSessions, req, &r, false); err != nil {
		return nil, err
	}
	if r.Session != nil {
		return &r, c.adopt(r.Session)
	}
	return &r, nil
}

// signInSMS finishes a sign-in with the SMS code.
func (c *Client) signInSMS(ctx context.Context, challengeID, code string) (*api.Session, error) {
	var r api.SignInResponse
	err := c.do(ctx, http.MethodPost, api.PathSessionsSMS, api.SMSCodeRequest{ChallengeID: challengeID, Code: code, ClientName: c.clientName}, &r, false)
	if err != nil {
		return nil, err
	}
	if r.Session == nil {
		return nil, ErrServer
	}
	return r.Session, c.adopt(r.Session)
}

// resendSMS asks for a new SMS code, which invalidates the old one.
func (c *Client) resendSMS(ctx context.Context, challengeID string) (*api.SMSChallenge, error) {
	var r api.SMSChallenge
	return &r, c.do(ctx, http.MethodPost, api.PathSessionsResend, api.ResendRequest{ChallengeID: challengeID}, &r, false)
}

// createAccount registers a new account; the server signs it in at once.
func (c *Client) createAccount(ctx context.Context, req api.CreateAccountRequest) (*api.Session, error) {
	req.ClientName = c.clientName
	var s api.Session
	if err := c.do(ctx, http.MethodPost, api.PathAccounts, req, &s, false); err != nil {
		return nil, err
	}
	return &s, c.adopt(&s)
}

// Account returns the signed-in account.
func (c *Client) Account(ctx context.Context) (*api.Account, error) {
	var a api.Account
	return &a, c.do(ctx, http.MethodGet, api.PathAccount, nil, &a, true)
}

// Subscriptions lists the account's licences and what the app runs on by default.
func (c *Client) Subscriptions(ctx context.Context) (*api.SubscriptionsResponse, error) {
	var r api.SubscriptionsResponse
	return &r, c.do(ctx, http.MethodGet, api.PathSubscriptions, nil, &r, true)
}

// Sessions lists the account's sessions.
func (c *Client) Sessions(ctx context.Context) ([]api.SessionInfo, error) {
	var r api.SessionsResponse
	return r.Sessions, c.do(ctx, http.MethodGet, api.PathSessions, nil, &r, true)
}

// SignOut ends the session on the server and forgets it here. The local session is
// dropped even when the server cannot be reached: signing out must always work.
func (c *Client) SignOut(ctx context.Context) error {
	var err error
	if c.SignedIn() {
		err = c.do(ctx, http.MethodDelete, api.PathSessionCurrent, nil, nil, true)
	}
	if ferr := c.forget(); ferr != nil {
		return ferr
	}
	if _, ok := Details(err); ok {
		return nil // already gone on the server
	}
	return err
}

// Included asks whether the account behind another Valv app's sign-in token has a
// subscription that includes the password manager.
func (c *Client) Included(ctx context.Context, signInToken string) (*api.IncludedResponse, error) {
	var r api.IncludedResponse
	return &r, c.do(ctx, http.MethodPost, api.PathIncludedCheck, api.IncludedRequest{SignInToken: signInToken}, &r, false)
}

// CaptchaImageURL is where a captcha's picture can also be fetched.
func (c *Client) CaptchaImageURL(cp *api.Captcha) string {
	if cp.ImageURL != "" {
		if u, err := url.Parse(cp.ImageURL); err == nil && u.IsAbs() {
			return cp.ImageURL
		}
		return c.URL(cp.ImageURL)
	}
	return c.URL(api.PathCaptchaPrefix + url.PathEscape(cp.ID) + ".png")
}

// exchangeOAuth trades the one-time code from the loopback redirect for a session.
func (c *Client) exchangeOAuth(ctx context.Context, code, verifier, redirectURI string) (*api.Session, error) {
	var s api.Session
	err := c.do(ctx, http.MethodPost, api.PathOAuthToken, api.OAuthTokenRequest{Code: code, CodeVerifier: verifier, RedirectURI: redirectURI, ClientName: c.clientName}, &s, false)
	if err != nil {
		return nil, err
	}
	return &s, c.adopt(&s)
}

// Plans lists the server's plans and what each allows.
func (c *Client) Plans(ctx context.Context) ([]api.Plan, error) {
	var plans []api.Plan
	return plans, c.do(ctx, http.MethodGet, api.PathPlans, nil, &plans, false)
}

// planName returns the display name of a plan ID, or the ID itself if the server does
// not say (the name is for show only).
func (c *Client) planName(ctx context.Context, id string) string {
	if plans, err := c.Plans(ctx); err == nil {
		for _, p := range plans {
			if p.ID == id {
				return p.Name
			}
		}
	}
	return id
}
