package account

import "github.com/valvpm/valv/cloud/api"

// The server's answers the client hands on, named here so that the desktop app reaches
// the server through this package only (DESIGN.md: only the client packages and the
// server share cloud/api). They are the wire types themselves, not copies, so nothing
// is converted on the way.
type (
	// Regions is the server's list of regions and its current Web Portal Statement.
	Regions = api.RegionsResponse
	// Region is one region: its quick sign-in providers and data-provision statement.
	Region = api.Region
	// Statement names a text the person accepts and where to read it.
	Statement = api.Statement
	// Captcha is a picture to read, with its ID.
	Captcha = api.Captcha
	// SMSChallenge is a sent SMS code: the phone's hint, its expiry and when to resend.
	SMSChallenge = api.SMSChallenge
	// Licence is one subscription of the account.
	Licence = api.Licence
	// Entitlements is what a plan allows.
	Entitlements = api.Entitlements
	// Subscriptions is the account's licences and what applies when none is chosen.
	Subscriptions = api.SubscriptionsResponse
	// Action names a dangerous action an action token is bound to.
	Action = api.Action
	// ReauthRequest confirms a dangerous action with the account password, then the
	// SMS code of two-step verification.
	ReauthRequest = api.ReauthRequest
)

// The dangerous actions (PRODUCT.md §4).
const (
	ActionResetMasterPassword = api.ActionResetMasterPassword
	ActionReplaceCloudVault   = api.ActionReplaceCloudVault
	ActionClearVault          = api.ActionClearVault
)

// Licence status values.
const (
	StatusActive    = api.StatusActive
	StatusExpired   = api.StatusExpired
	StatusSuspended = api.StatusSuspended
	StatusBlocked   = api.StatusBlocked
)
