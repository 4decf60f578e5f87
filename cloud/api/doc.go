// Package api is the wire contract between the Valv clients (the desktop app, valv-cli)
// and valv-cloud: request and response types, stable error codes and URL paths.
//
// It imports only the standard library, so that the client packages and the server
// share exactly this and nothing else (DESIGN.md "Shape"). It holds no logic but one
// rule both sides must apply identically: the account password rules (password.go),
// which the server enforces and the clients show while the person types. Everything is
// JSON over HTTPS under versioned paths (/v1/...); errors always have the shape
//
//	{"error":{"code":"...","message":"..."}}
//
// where code is one of the Code constants in this package and message is a sentence a
// person may be shown. Byte slices travel as standard base64 (encoding/json's default).
// docs/protocol.md describes every endpoint with an example.
package api
