// Package account is the client side of a Valv Account: an HTTP client of valv-cloud's
// account API (only cloud/api is shared with the server), the sign-in flow as a state
// machine the UI merely renders (credentials → captcha → SMS code → data-provision
// statement → choose subscription → connected), quick sign-in with a provider through
// the system browser (RFC 8252: loopback redirect, PKCE S256, single-use state), the
// session kept in the OS keyring, and auto-connect from the family-wide sign-in entry
// other Valv apps write.
//
// Keyring entries (go-keyring, so the OS keyring: Secret Service on Linux, Keychain on
// macOS, Credential Manager on Windows):
//
//	service "Valv", user "session <server host>"           the desktop app's session
//	service "Valv", user "valv-cli session <server host>"  valv-cli's session
//	service "Valv Sign-In", user "family"         the family-wide sign-in entry
//
// The family entry is JSON {"server": URL, "email": E, "token": T} where T is a refresh
// token of the app that wrote it; any Valv app that signs in writes it, and the desktop
// app reads it on first start to offer "Sign in as E" (PRODUCT.md §1.1).
package account
