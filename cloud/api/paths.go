package api

// Paths of the endpoints. A path ending in "/" takes one more segment (an ID or a
// provider name). Clients join them to the server's base URL.
const (
	PathHealth = "/healthz"

	PathRegions = "/v1/regions" // GET: regions, their providers and statements
	PathPlans   = "/v1/plans"   // GET: plans and their entitlements

	PathAccounts = "/v1/accounts" // POST: create account
	PathAccount  = "/v1/account"  // GET: the signed-in account; DELETE: delete it
	// PathAccountSettings changes marketing consent, region and accepted terms.
	PathAccountSettings = "/v1/account/settings" // POST
	// PathAccountPassword sets (provider-only accounts) or changes the account password.
	PathAccountPassword = "/v1/account/password" // POST
	PathTwoStep         = "/v1/account/two-step" // POST: start setup (phone); DELETE: turn off
	PathTwoStepConfirm  = "/v1/account/two-step/confirm"
	// PathEmailVerify proves the account's e-mail address with the e-mailed code
	// (EmailVerifyRequest → EmailVerifyResponse); no session needed.
	PathEmailVerify    = "/v1/account/email/verify" // POST
	PathEmailResend    = "/v1/account/email/resend" // POST ResendRequest: a new code, 30 s after the last
	PathPasswordForgot = "/v1/password/forgot"      // POST: e-mail a reset link
	PathPasswordReset  = "/v1/password/reset"       // POST: set a new password with the link's token

	PathSessions        = "/v1/sessions"     // POST: sign in; GET: list
	PathSessionsSMS     = "/v1/sessions/sms" // POST: finish sign-in with the SMS code
	PathSessionsResend  = "/v1/sessions/sms/resend"
	PathSessionsRefresh = "/v1/sessions/refresh" // POST: new access token for a refresh token
	PathSessionCurrent  = "/v1/sessions/current" // DELETE: sign out
	PathSessionPrefix   = "/v1/sessions/"        // DELETE /v1/sessions/{id}: revoke

	PathCaptchaPrefix = "/v1/captchas/" // GET /v1/captchas/{id}.png

	PathOAuthStartPrefix = "/v1/oauth/start/" // GET /v1/oauth/start/{provider}?... (browser)
	PathOAuthCallback    = "/v1/oauth/callback"
	PathOAuthToken       = "/v1/oauth/token" // POST: app exchanges the one-time code

	PathActionCodes  = "/v1/actions/codes"  // POST: e-mail a code for a dangerous action
	PathActionTokens = "/v1/actions/tokens" // POST: code → action token
	PathActionReauth = "/v1/actions/reauth" // POST: password (+SMS) → action token

	PathSubscriptions  = "/v1/subscriptions" // GET
	PathActivate       = "/v1/subscriptions/activate"
	PathIncludedCheck  = "/v1/subscriptions/included" // POST: family-wide token → mark
	PathVault          = "/v1/vault"                  // GET header; PUT header
	PathVaultChanges   = "/v1/vault/changes"          // GET ?since=N&limit=M
	PathVaultPush      = "/v1/vault/push"             // POST
	PathVaultReplace   = "/v1/vault/replace"          // POST (action token)
	PathVaultWipe      = "/v1/vault/wipe"             // POST (action token)
	PathDevOutbox      = "/dev/outbox"                // dev mode only
	PathPortal         = "/portal/"                   // the web portal (HTML)
	HeaderActionToken  = "X-Valv-Action-Token"
	HeaderAuthorize    = "Authorization" // "Bearer <access token>"
	ContentTypeJSON    = "application/json"
	MaxPullLimit       = 1000 // most items one pull page returns
	DefaultPullLimit   = 200
	CodeChallengeS256  = "S256"
	TermsVersionLatest = "" // AcceptTerms with an empty version accepts the current one
)
